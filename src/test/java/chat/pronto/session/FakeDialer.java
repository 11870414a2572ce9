package chat.pronto.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/** Records dials; the test decides how each one ends. */
final class FakeDialer implements Dialer {
    record Dial(PeerId peer, PeerAdvert advert, Consumer<DialOutcome> outcome) {
    }

    private final List<Dial> dials = new ArrayList<>();

    @Override
    public synchronized void dial(PeerId peer, PeerAdvert advert, Consumer<DialOutcome> outcome) {
        dials.add(new Dial(peer, advert, outcome));
    }

    synchronized int count() {
        return dials.size();
    }

    /** Ends the newest dial with {@code outcome}. */
    void answer(DialOutcome outcome) {
        Dial last;
        synchronized (this) {
            last = dials.get(dials.size() - 1);
        }
        last.outcome().accept(outcome);
    }

    synchronized List<Dial> dials() {
        return new ArrayList<>(dials);
    }
}
