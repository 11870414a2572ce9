package chat.pronto.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;


import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;
import chat.pronto.widearea.WideArea;

/**
 * Peers found through wide-area DNS-SD, told to presence listeners as mDNS's are (in order, on a
 * lane of their own), so the sessions treat them alike. Failures become notices.
 */
final class WideAreaPeers implements WideArea.Listener {
    private final PeerEventFanout fanout;
    private final java.util.function.Consumer<Problem> notices;
    private volatile WideArea source;

    WideAreaPeers(Executor events, java.util.function.Consumer<Problem> notices) {
        this.fanout = new PeerEventFanout(events);
        this.notices = notices;
    }

    void use(WideArea wide) {
        source = wide;
    }

    Optional<WideArea> source() {
        return Optional.ofNullable(source);
    }

    void addListener(PresenceListener listener) {
        fanout.add(listener);
    }

    List<PeerAdvert> peers() {
        WideArea wide = source;
        return wide == null ? List.of() : wide.peers();
    }

    Optional<PeerAdvert> peer(PeerId id) {
        WideArea wide = source;
        return wide == null ? Optional.empty() : wide.peer(id);
    }

    @Override
    public void appeared(PeerAdvert advert) {
        tell(new PeerEvent.Appeared(advert));
    }

    @Override
    public void updated(PeerAdvert advert) {
        tell(new PeerEvent.Updated(advert));
    }

    @Override
    public void vanished(PeerId id) {
        tell(new PeerEvent.Vanished(id));
    }

    @Override
    public void failed(String what) {
        notices.accept(Problem.of(Problem.Kind.WIDE_AREA_FAILED, what));
    }

    private void tell(PeerEvent event) {
        fanout.tell(event);
    }
}
