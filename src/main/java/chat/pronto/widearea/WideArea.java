package chat.pronto.widearea;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.Adverts;
import chat.pronto.presence.TxtRecord;
import chat.pronto.threads.Threads;

/**
 * Wide-area DNS-SD: reads the configured domains (and the browsing domains they offer) for
 * {@code _presence._tcp} instances every little while, and tells who appeared, changed or went; and
 * registers us with DNS UPDATE where configured, withdrawing the records at close. All DNS work is on
 * its own thread ({@code pronto-widearea}); a server that does not answer costs that thread a few
 * seconds, nobody else.
 */
public final class WideArea implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WideArea.class);
    /** Bounds: a zone that lists more instances than this is read only this far. */
    private static final int MAX_INSTANCES = 2_000;
    private static final int MAX_DOMAINS = 16;

    /** Who appeared, changed and went, on the wide-area thread. */
    public interface Listener {
        void appeared(PeerAdvert advert);

        void updated(PeerAdvert advert);

        void vanished(PeerId id);

        /** Something failed (the server, the update); said once per kind of failure until it works again. */
        void failed(String what);
    }

    static {
        // dnsjava's network thread would add a shutdown hook of its own when first used, and that fails
        // (and so would our goodbye) when the first use is the withdrawal at shutdown: we close it ourselves.
        System.setProperty("dnsjava.nio.register_shutdown_hook", "false");
    }

    private final WideAreaConfig config;
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private volatile Map<PeerId, PeerAdvert> seen = Map.of();
    private volatile Registration registration;
    private volatile PeerId self;
    private String lastFailure;
    private volatile boolean closed;

    public WideArea(WideAreaConfig config, Listener listener) {
        this.config = config;
        this.listener = listener;
        this.thread = Threads.timer("pronto-widearea");
    }

    /**
     * Registers us (where configured) and starts browsing.
     *
     * @param addresses what our host name resolves to in the zone (the addresses our port listens on)
     */
    public void start(PeerId name, OwnPresence own, int port, Supplier<List<InetAddress>> addresses) {
        self = name;
        thread.execute(() -> {
            if (config.registerIn().isPresent()) {
                try {
                    registration = new Registration(dns(), config.registerIn().get(), name, port, addresses,
                            config.key().isPresent());
                    registration.publish(own);
                    worked();
                } catch (IOException | RuntimeException e) {
                    fail("registering in " + config.registerIn().get() + " failed: " + e.getMessage());
                }
            }
        });
        thread.scheduleWithFixedDelay(this::browse, 0, config.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes a changed status, message or names (our TXT record, replaced). */
    public void update(OwnPresence own) {
        thread.execute(() -> {
            Registration current = registration;
            if (current != null) {
                try {
                    current.publish(own);
                } catch (IOException | RuntimeException e) {
                    fail("updating our record failed: " + e.getMessage());
                }
            }
        });
    }

    public List<PeerAdvert> peers() {
        return List.copyOf(seen.values());
    }

    public Optional<PeerAdvert> peer(PeerId id) {
        return Optional.ofNullable(seen.get(id));
    }

    /** Reads every domain once: runs now and then on the wide-area thread. */
    void browse() {
        if (closed) {
            return;
        }
        try {
            DnsSd dns = dns();
            Map<PeerId, PeerAdvert> now = new HashMap<>();
            for (Name domain : domains(dns)) {
                for (Name instance : dns.pointers(DnsSd.serviceIn(domain))) {
                    if (now.size() >= MAX_INSTANCES) {
                        break;
                    }
                    read(dns, instance).filter(advert -> !advert.id().equals(self))
                            .ifPresent(advert -> now.putIfAbsent(advert.id(), advert));
                }
            }
            tellChanges(now);
            worked();
        } catch (IOException | RuntimeException e) {
            fail("browsing failed: " + e.getMessage());
        }
    }

    /** The configured domains and those they offer for browsing, each once, in that order. */
    private List<Name> domains(DnsSd dns) throws IOException {
        Set<Name> all = new LinkedHashSet<>();
        for (String text : config.domains()) {
            Name domain = DnsSd.domain(text);
            all.add(domain);
            all.addAll(browsingDomainsOffered(dns, domain));
        }
        if (config.askTheNetwork()) {
            for (Name offering : NetworkDomains.offering()) {
                try {
                    all.addAll(browsingDomainsOffered(dns, offering));
                } catch (IOException e) {
                    LOG.debug("asking {} for browsing domains: {}", offering, e.getMessage()); // most offer none
                }
            }
        }
        if (config.registerIn().isPresent()) {
            all.add(DnsSd.domain(config.registerIn().get()));
        }
        return new ArrayList<>(all).subList(0, Math.min(all.size(), MAX_DOMAINS));
    }

    /** What {@code domain} offers for browsing: its {@code b._dns-sd._udp} and {@code lb._dns-sd._udp} PTRs. */
    private static List<Name> browsingDomainsOffered(DnsSd dns, Name domain) throws IOException {
        List<Name> offered = new ArrayList<>();
        for (String offer : List.of("b._dns-sd._udp", "lb._dns-sd._udp")) {
            offered.addAll(dns.pointers(Name.concatenate(Name.fromString(offer), domain)));
        }
        return offered;
    }

    private Optional<PeerAdvert> read(DnsSd dns, Name instance) throws IOException {
        Optional<SRVRecord> srv = dns.service(instance);
        if (srv.isEmpty()) {
            return Optional.empty(); // listed, but gone (or not yet there)
        }
        List<InetAddress> addresses = dns.addresses(srv.get().getTarget());
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        TxtRecord txt = TxtRecord.decode(dns.text(instance).orElse(new byte[0]));
        try {
            return Optional.of(Adverts.read(PeerId.of(DnsSd.firstLabel(instance)), txt, addresses, srv.get().getPort()));
        } catch (IllegalArgumentException badName) {
            return Optional.empty();
        }
    }

    private void tellChanges(Map<PeerId, PeerAdvert> now) {
        Map<PeerId, PeerAdvert> before = seen;
        seen = Map.copyOf(now);
        now.forEach((id, advert) -> {
            PeerAdvert was = before.get(id);
            if (was == null) {
                listener.appeared(advert);
            } else if (!was.equals(advert)) {
                listener.updated(advert);
            }
        });
        before.keySet().stream().filter(id -> !now.containsKey(id)).forEach(listener::vanished);
    }

    private DnsSd dns() throws IOException {
        return DnsSd.using(config.server(), config.key());
    }

    private void fail(String what) {
        LOG.info("wide-area DNS-SD: {}", what);
        if (!what.equals(lastFailure)) {
            lastFailure = what;
            listener.failed(what);
        }
    }

    private void worked() {
        lastFailure = null;
    }

    /** Withdraws our records (bounded by the DNS timeout) and stops. */
    @Override
    public void close() {
        closed = true;
        thread.execute(() -> {
            Registration current = registration;
            if (current != null) {
                try {
                    current.withdraw();
                } catch (IOException | RuntimeException e) {
                    LOG.info("wide-area DNS-SD: withdrawing our records failed: {}", e.getMessage());
                }
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(8, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
