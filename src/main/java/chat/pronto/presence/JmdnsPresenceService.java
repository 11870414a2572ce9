package chat.pronto.presence;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/**
 * {@link PresenceService} on JmDNS: one responder per chosen interface address, each advertising us
 * and browsing {@code _presence._tcp}. JmDNS calls back on its own threads; everything it reports is
 * copied there and handed to one event thread, which owns the {@link PeerTable} and tells listeners.
 */
public final class JmdnsPresenceService implements PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(JmdnsPresenceService.class);

    private final List<InetAddress> addresses;
    private final List<Responder> responders = new CopyOnWriteArrayList<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private final PeerTable table = new PeerTable();
    private final ScheduledThreadPoolExecutor events;
    private static final long NAME_CHECK_MS = 100;

    static {
        JmdnsTuning.install();
    }

    private volatile PeerId self;
    private volatile OwnPresence own;
    private volatile int port;
    private volatile boolean closed;

    /** One JmDNS responder per address: tests pass 127.0.0.1 or a namespace's veth address, never nothing. */
    public JmdnsPresenceService(List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no interface address to advertise on");
        }
        this.addresses = List.copyOf(addresses);
        this.events = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pronto-presence-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void start(PeerId name, OwnPresence presence, int streamPort) throws IOException {
        this.self = Objects.requireNonNull(name);
        this.own = Objects.requireNonNull(presence);
        this.port = streamPort;
        for (InetAddress address : addresses) {
            JmDNS jmdns = JmDNS.create(address, name.machine().isEmpty() ? "pronto" : name.machine());
            Responder responder = new Responder(jmdns, address.getHostAddress());
            responders.add(responder);
            jmdns.addServiceListener(SERVICE_TYPE, responder);
        }
        for (Responder responder : responders) {
            responder.register(name);
        }
        checkOwnName(); // JmDNS renames at once when its cache knows another owner of the name
        events.scheduleWithFixedDelay(this::checkOwnName, NAME_CHECK_MS, NAME_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * JmDNS renames a service in place when probing finds another owner of the name (through
     * {@link XepNameRegister}, so the XEP-0174 way) and tells nobody: look at our own records.
     */
    private void checkOwnName() {
        PeerId current = self;
        for (Responder responder : responders) {
            ServiceInfo info = responder.registered;
            if (current != null && info != null && !info.getName().equals(current.name())) {
                adopt(PeerId.of(info.getName()));
                return;
            }
        }
    }

    /** Advertises {@code newName} on every interface (XEP-0174 {@code user-1@machine}) and tells the app. */
    private void adopt(PeerId newName) {
        PeerId before = self;
        self = newName;
        LOG.info("{} is taken on the link: advertising as {}", before, newName);
        events.execute(() -> {
            for (Responder responder : responders) {
                ServiceInfo info = responder.registered;
                if (info != null && !info.getName().equals(newName.name())) {
                    responder.jmdns.unregisterService(info);
                    try {
                        responder.register(newName);
                    } catch (IOException e) {
                        LOG.warn("could not advertise {} on {}: {}", newName, responder.via, e.getMessage());
                    }
                }
            }
            listeners.forEach(listener -> listener.onRenamed(newName));
        });
    }

    @Override
    public void update(OwnPresence presence) {
        this.own = Objects.requireNonNull(presence);
        byte[] txt = Adverts.txtFor(presence, port);
        for (Responder responder : responders) {
            ServiceInfo info = responder.registered;
            if (info != null) {
                info.setText(txt);
            }
        }
    }

    @Override
    public PeerId self() {
        return self;
    }

    @Override
    public List<PeerAdvert> peers() {
        return onEventThread(table::adverts);
    }

    @Override
    public Optional<PeerAdvert> peer(PeerId id) {
        return onEventThread(() -> table.advert(id));
    }

    @Override
    public void markGone(PeerId id) {
        events.execute(() -> table.gone(id).ifPresent(this::tell));
    }

    @Override
    public void addListener(PresenceListener listener) {
        listeners.add(listener);
    }

    /** Sends the goodbyes and closes the responders, each on its own thread (JmDNS blocks for seconds). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Responder responder : responders) {
            closing.add(CompletableFuture.runAsync(() -> {
                try {
                    responder.jmdns.close(); // sends the goodbyes itself
                } catch (IOException e) {
                    LOG.debug("closing mDNS on {}: {}", responder.via, e.getMessage());
                }
            }));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("mDNS did not close cleanly: {}", e.toString());
        }
        events.shutdownNow();
    }

    private void tell(PeerEvent event) {
        for (PresenceListener listener : listeners) {
            try {
                listener.onPeerEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a presence listener failed on {}", event, e);
            }
        }
    }

    private <T> T onEventThread(java.util.concurrent.Callable<T> query) {
        try {
            return events.submit(query).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the presence event thread did not answer", e);
        }
    }

    /** One JmDNS instance, bound to one address, and what it reports. */
    private final class Responder implements ServiceListener {
        private final JmDNS jmdns;
        private final String via;
        private volatile ServiceInfo registered;

        Responder(JmDNS jmdns, String via) {
            this.jmdns = jmdns;
            this.via = via;
        }

        void register(PeerId name) throws IOException {
            ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name.name(), port, 0, 0, Adverts.txtFor(own, port));
            jmdns.registerService(info);
            registered = info;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            if (!isSelf(event.getName())) {
                // Persistent: keeps listening for TXT changes (status) after the first resolution.
                jmdns.requestServiceInfo(event.getType(), event.getName(), true);
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (isSelf(event.getName()) || info == null) {
                return;
            }
            PeerId id = PeerId.of(event.getName());
            TxtRecord txt = TxtRecord.decode(info.getTextBytes());
            List<InetAddress> found = new ArrayList<>();
            found.addAll(Arrays.<Inet4Address>asList(info.getInet4Addresses()));
            found.addAll(Arrays.<Inet6Address>asList(info.getInet6Addresses()));
            int servicePort = info.getPort();
            events.execute(() -> table.resolved(id, via, txt, found, servicePort).ifPresent(
                    JmdnsPresenceService.this::tell));
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            if (isSelf(event.getName())) {
                return;
            }
            PeerId id = PeerId.of(event.getName());
            events.execute(() -> table.removed(id, via).ifPresent(JmdnsPresenceService.this::tell));
        }

        private boolean isSelf(String name) {
            PeerId current = self;
            return name == null || name.isBlank() || (current != null && current.name().equals(name));
        }
    }

}
