package chat.pronto.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;

/**
 * Tells presence listeners of peers found other than by mDNS (by address, through DNS), one event at
 * a time and in order, on the executor given; a listener that fails does not stop the others.
 */
final class PeerEventFanout {
    private static final Logger LOG = LoggerFactory.getLogger(PeerEventFanout.class);

    private final Executor events;
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();

    /** @param events a serial executor: events reach listeners in the order told */
    PeerEventFanout(Executor events) {
        this.events = events;
    }

    void add(PresenceListener listener) {
        listeners.add(listener);
    }

    void tell(PeerEvent event) {
        events.execute(() -> listeners.forEach(listener -> {
            try {
                listener.onPeerEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a presence listener failed on {}", event, e);
            }
        }));
    }
}
