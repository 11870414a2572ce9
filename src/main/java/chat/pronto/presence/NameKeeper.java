package chat.pronto.presence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerId;

/**
 * Our instance name, one for the whole host: every responder (each interface, IPv4 and IPv6)
 * advertises the same one. It is decided once before any responder registers it (asking the link
 * whether someone owns it, and taking {@code user-1@machine}, {@code -2}… if so), and afterwards
 * only here: JmDNS never sees another host's records for our name (the gate hands them to
 * {@link #inspect}), so it can neither rename an established owner nor leave IPv4 and IPv6 with
 * different names. {@link ClaimRules} says what to do about them; the changes run on the network
 * thread, never on JmDNS's.
 */
final class NameKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(NameKeeper.class);
    /**
     * How long to wait for an owner of a name we want (it answers within 20–120 ms); the query goes
     * again halfway. Probing, which follows, would still find an owner this missed.
     */
    private static final long LOOKUP_MS = 200;
    /** RFC 6762 §8.2: the loser of a tie-break probes again after a second. */
    private static final long DEFER_MS = 1000;
    private static final String TYPE = PresenceService.SERVICE_TYPE;

    /** What the keeper needs from the presence service. */
    interface Host {
        Collection<Responder> responders();

        byte[] txt();

        int port();

        /** We now advertise {@code to} instead of {@code from} everywhere. */
        void renamed(PeerId from, PeerId to);
    }

    private final Host host;
    private final ScheduledExecutorService network;
    private final ClaimRules rules = new ClaimRules();
    /** Instance names (qualified, lower case) other hosts assert, until their records expire. */
    private final Map<String, Long> othersUntil = new ConcurrentHashMap<>();
    /** Changed without a lock: the gate renames on JmDNS's listener thread, which must not wait for {@link #apply}. */
    private final AtomicReference<PeerId> current = new AtomicReference<>();
    private volatile PeerId told;
    private volatile Lookup lookup;

    NameKeeper(Host host, ScheduledExecutorService network) {
        this.host = host;
        this.network = network;
    }

    /** The name we advertise (or are about to); null before {@link #claim}. */
    PeerId current() {
        return current.get();
    }

    /** Whether {@code name} is ours: the name we want, or one a responder still advertises. */
    boolean isOurs(String name) {
        PeerId wanted = current.get();
        if (wanted != null && wanted.name().equals(name)) {
            return true;
        }
        for (Responder responder : host.responders()) {
            PeerId registered = responder.registeredName();
            if (registered != null && registered.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the first of {@code wanted}, {@code user-1@machine}… that nobody on any responder's link
     * owns, then advertises it everywhere. Blocks about 0.3 s per name tried.
     */
    void claim(PeerId wanted) {
        PeerId candidate = wanted;
        while (ownedByOthers(candidate) || askWhetherOwned(candidate)) {
            LOG.info("{} is taken on the link: trying the next name", candidate);
            candidate = XepNameRegister.next(candidate);
        }
        told = wanted;
        current.set(candidate);
        apply();
    }

    private boolean askWhetherOwned(PeerId candidate) {
        Lookup asking = new Lookup(qualified(candidate));
        lookup = asking;
        try {
            for (long sent = 0; sent < LOOKUP_MS; sent += LOOKUP_MS / 2) {
                host.responders().forEach(responder -> responder.ask(candidate.name(), null));
                if (asking.answered.await(LOOKUP_MS / 2, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lookup = null;
        }
    }

    private boolean ownedByOthers(PeerId name) {
        Long until = othersUntil.get(qualified(name));
        return until != null && until - System.nanoTime() > 0;
    }

    /**
     * On a responder's listener thread, before JmDNS sees the packet: notes other hosts' records,
     * reacts to those for our name, and keeps them from JmDNS (false: drop the packet).
     */
    boolean inspect(Responder responder, MdnsMessage message) {
        long now = System.nanoTime();
        PeerId wanted = current.get();
        String ours = wanted == null ? null : qualified(wanted);
        PeerId here = responder.registeredName();
        String stillHere = here == null || here.equals(wanted) ? null : qualified(here);
        String hostName = responder.hostName();
        int port = host.port();
        if (message.response()) {
            boolean conflict = false;
            boolean onCurrent = false;
            for (MdnsMessage.Record record : message.asserted()) {
                if (!record.isSrv() || isOurs(record, hostName, port)) {
                    continue;
                }
                noteOthers(record, now);
                if (record.ttl() > 0 && (record.name().equals(ours) || record.name().equals(stillHere))) {
                    conflict = true;
                    onCurrent |= record.name().equals(ours);
                }
            }
            if (onCurrent) {
                ClaimRules.State state = stateOf(wanted, responder);
                if (state != null) {
                    LOG.info("another host answers for {} on {} while we are {}", wanted, responder.via, state);
                    react(rules.onAnswer(state, now), wanted, responder);
                }
            }
            return !conflict;
        }
        if (ours != null) {
            List<TieBreak.Proposed> theirs = message.authorities().stream()
                    .filter(record -> record.name().equals(ours)).map(TieBreak.Proposed::of).toList();
            ClaimRules.State state = theirs.isEmpty() ? null : stateOf(wanted, responder);
            if (state != null) {
                TieBreak.Outcome outcome = TieBreak.compare(List.of(ourProbe(hostName, port)), theirs);
                if (outcome != TieBreak.Outcome.IDENTICAL) {
                    LOG.debug("another host probes for {} on {}: tie-break {}", wanted, responder.via, outcome);
                    react(rules.onProbe(state, outcome, now), wanted, responder);
                }
            }
        }
        return true;
    }

    private static boolean isOurs(MdnsMessage.Record srv, String hostName, int port) {
        return srv.port() == port && srv.target().equalsIgnoreCase(hostName);
    }

    private void noteOthers(MdnsMessage.Record srv, long now) {
        if (srv.ttl() == 0) {
            othersUntil.remove(srv.name());
        } else {
            othersUntil.put(srv.name(), now + TimeUnit.SECONDS.toNanos(srv.ttl()));
            Lookup asking = lookup;
            if (asking != null && asking.name.equals(srv.name())) {
                asking.answered.countDown();
            }
        }
    }

    /** Our record's state on {@code responder}, or where it stands furthest elsewhere if not registered there yet. */
    private ClaimRules.State stateOf(PeerId wanted, Responder responder) {
        if (wanted.equals(responder.registeredName())) {
            return responder.state();
        }
        ClaimRules.State furthest = null;
        for (Responder other : host.responders()) {
            ClaimRules.State state = wanted.equals(other.registeredName()) ? other.state() : null;
            if (state != null && (furthest == null || state.compareTo(furthest) > 0)) {
                furthest = state;
            }
        }
        return furthest;
    }

    private void react(ClaimRules.Reaction reaction, PeerId wanted, Responder responder) {
        switch (reaction) {
            case RENAME -> rename(wanted, XepNameRegister.next(wanted));
            case REPROBE -> later(() -> reprobe(wanted, 0), 0);
            case DEFER -> later(() -> reprobe(wanted, DEFER_MS), 0);
            case DEFEND -> later(responder::defend, 0);
            case IGNORE -> {
            }
        }
    }

    /** Moves from {@code from} to {@code to}, unless we have moved on already. */
    private void rename(PeerId from, PeerId to) {
        if (current.compareAndSet(from, to)) {
            LOG.info("{} is taken on the link: advertising as {}", from, to);
            rules.renamed();
            later(this::apply, 0);
        }
    }

    /** Probes our record again on every responder, now or after {@code delay} ms. */
    private void reprobe(PeerId wanted, long delay) {
        if (!wanted.equals(current.get())) {
            return;
        }
        Collection<Responder> all = host.responders();
        all.forEach(Responder::revertToProbing);
        later(() -> all.forEach(Responder::probe), delay);
    }

    /**
     * Makes every responder advertise the current name (on the network thread). A record that was
     * still probing leaves without a goodbye; JmDNS taking another name at registration (its cache
     * knew an owner) is a rename like any other.
     */
    synchronized void apply() {
        PeerId wanted = current.get();
        if (wanted == null) {
            return;
        }
        for (Responder responder : host.responders()) {
            if (wanted.equals(responder.registeredName())) {
                continue;
            }
            responder.withdraw();
            try {
                PeerId took = responder.register(wanted, host.txt(), host.port());
                if (!took.equals(wanted)) {
                    rename(wanted, took);
                    return;
                }
                LOG.info("advertising {} on {}", wanted, responder.via);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not advertise {} on {}: {}", wanted, responder.via, e.getMessage());
            }
        }
        PeerId before = told;
        if (before != null && !before.equals(wanted)) {
            told = wanted;
            host.renamed(before, wanted);
        }
    }

    /** For a rescan: a responder whose name differs from ours can only have been renamed by JmDNS itself. */
    synchronized void check() {
        PeerId wanted = current.get();
        for (Responder responder : host.responders()) {
            PeerId registered = responder.registeredName();
            if (wanted != null && registered != null && !registered.equals(wanted)) {
                rename(wanted, registered);
                return;
            }
        }
    }

    private void later(Runnable action, long delayMillis) {
        try {
            network.schedule(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("keeping our name failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // Shutting down.
        }
    }

    static String qualified(PeerId name) {
        return MdnsMessage.qualified(name.name(), TYPE);
    }

    /** The record JmDNS's prober proposes for our name: our SRV (priority 0, weight 0), as §8.2 compares it. */
    static TieBreak.Proposed ourProbe(String hostName, int port) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        rdata.write(0);
        rdata.write(0);
        rdata.write(0);
        rdata.write(0);
        rdata.write(port >> 8);
        rdata.write(port & 0xff);
        for (String label : hostName.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                rdata.write(bytes.length);
                rdata.write(bytes, 0, bytes.length);
            }
        }
        rdata.write(0);
        return new TieBreak.Proposed(MdnsMessage.CLASS_IN, MdnsMessage.TYPE_SRV, rdata.toByteArray());
    }

    /** A pending question: does anyone own {@code name}? */
    private static final class Lookup {
        final String name;
        final CountDownLatch answered = new CountDownLatch(1);

        Lookup(String name) {
            this.name = name;
        }
    }
}
