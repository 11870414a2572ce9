package chat.pronto.session;

import java.util.function.Consumer;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/** Opens streams to peers. */
interface Dialer {
    /**
     * Opens a stream to {@code peer}, trying the addresses of {@code advert} in order; reports the
     * outcome once, on any thread, without holding the caller's thread meanwhile.
     */
    void dial(PeerId peer, PeerAdvert advert, Consumer<DialOutcome> outcome);
}
