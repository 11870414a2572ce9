package chat.pronto.presence;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.tasks.DNSTask;
import javax.jmdns.impl.tasks.RecordReaper;
import javax.jmdns.impl.tasks.resolver.ServiceInfoResolver;
import javax.jmdns.impl.tasks.resolver.ServiceResolver;
import javax.jmdns.impl.tasks.state.Announcer;
import javax.jmdns.impl.tasks.state.Canceler;
import javax.jmdns.impl.tasks.state.Prober;
import javax.jmdns.impl.tasks.state.Renewer;

import chat.pronto.threads.Threads;

/**
 * Runs JmDNS's own probe, announce, goodbye and reaper tasks on RFC 6762 timings instead of JmDNS's
 * fixed ones (its constants are compile-time, so only its public task-starter hook can change them):
 *
 * <ul>
 * <li>probing: a random 0–250 ms wait, then probes 250 ms apart (§8.1); JmDNS waits 1000 ms between
 *     probes until its host name is claimed, which made a cold start take 4 s;</li>
 * <li>announcing: at once when probing succeeds, again 1 s later (§8.3); JmDNS waits 1 s first, which
 *     also delayed every TXT update (status change) by 1 s;</li>
 * <li>goodbyes: three, 50 ms apart (§10.1), so quitting takes 0.1 s instead of 2; each goodbye a
 *     receiver gets restarts its one-second countdown, so spreading them out only delays departure;</li>
 * <li>the cache reaper every 5 s instead of 10 s, and once more 1 s after a goodbye was heard
 *     ({@link #reapAfterGoodbye}), so a goodbye'd peer goes right after the 1 s the RFC asks receivers
 *     to keep it; a sweep every 100 ms cost 1.75 % of a core with 1,000 peers cached, one a second
 *     0.9 % with 5,000 (issue 13); what else expires (a record's time running out, one a cache-flush
 *     record replaced) goes within 5 s, and is never read meanwhile: readers check expiry;</li>
 * <li>queries: the first after a random 20–120 ms (§5.2) instead of 225 ms; browsing asks once, then
 *     1 s, 2 s, 4 s… later (§5.2), where JmDNS asked three times 225 ms apart and stopped: one such
 *     series per type ({@link #startServiceResolver}); resolving a name keeps JmDNS's three queries.</li>
 * </ul>
 * The rate limit of §8.1 stays: after 10 probe starts within 5 s, probing slows to once a second.
 * Depends on JmDNS internals ({@code javax.jmdns.impl}): the version is pinned to 3.6.5.
 */
final class RfcTimingTaskStarter implements DNSTaskStarter {
    private static final Random RANDOM = new SecureRandom();
    private static final int PROBE_INTERVAL_MS = 250;
    private static final int PROBE_MAX_WAIT_MS = 250;
    private static final int THROTTLED_INTERVAL_MS = 1000;
    private static final int THROTTLE_COUNT = 10;
    private static final long THROTTLE_WINDOW_MS = 5000;
    private static final int ANNOUNCE_INTERVAL_MS = 1000;
    private static final int GOODBYE_INTERVAL_MS = 50;
    private static final int REAPER_INTERVAL_MS = 5000;
    /** JmDNS keeps a goodbye'd record for 1 s (RFC 6762 §10.1); the sweep comes just after. */
    private static final int AFTER_GOODBYE_MS = 1050;
    private static final int QUERY_INTERVAL_MS = 225;
    private static final long FIRST_REQUERY_MS = 1000;
    private static final long MAX_REQUERY_MS = 3_600_000;

    private final JmDNSImpl dns;
    private final DNSTaskStarter standard;
    private final Timer stateTimer;
    private final Timer reaperTimer;
    private final Timer queryTimer;
    private volatile long lastGoodbye;
    private final AtomicBoolean goodbyeSweepPending = new AtomicBoolean();
    /** The types whose continuous browsing runs (one series each). */
    private final Set<String> requeried = ConcurrentHashMap.newKeySet();

    RfcTimingTaskStarter(JmDNSImpl dns) {
        this.dns = dns;
        this.standard = new DNSTaskStarter.DNSTaskStarterImpl(dns);
        this.stateTimer = Threads.taskTimer("pronto-mdns-" + dns.getName() + "-state");
        this.reaperTimer = Threads.taskTimer("pronto-mdns-" + dns.getName() + "-reaper");
        this.queryTimer = Threads.taskTimer("pronto-mdns-" + dns.getName() + "-query");
    }

    private boolean stopping() {
        return dns.isCanceling() || dns.isCanceled();
    }

    /**
     * Runs one of JmDNS's own tasks on our timing: its {@code start(Timer)} would pick JmDNS's fixed
     * delays, so the task is handed to the timer directly ({@code period} 0: once). Nothing starts
     * once the responder is closing, except goodbyes, and a timer cancelled by closing is not an error.
     */
    private void schedule(Timer timer, TimerTask task, long delay, long period, boolean evenWhenStopping) {
        if (stopping() && !evenWhenStopping) {
            return;
        }
        try {
            if (period > 0) {
                timer.schedule(task, delay, period);
            } else {
                timer.schedule(task, delay);
            }
        } catch (IllegalStateException cancelled) {
            // The responder closed meanwhile.
        }
    }

    /** RFC 6762 §8.1 rate limit: after 10 probe starts within 5 s, probe once a second. */
    @Override
    public void startProber() {
        long now = System.currentTimeMillis();
        dns.setThrottle(now - dns.getLastThrottleIncrement() < THROTTLE_WINDOW_MS ? dns.getThrottle() + 1 : 1);
        dns.setLastThrottleIncrement(now);
        if (dns.getThrottle() < THROTTLE_COUNT) {
            schedule(stateTimer, new Prober(dns), RANDOM.nextInt(PROBE_MAX_WAIT_MS + 1), PROBE_INTERVAL_MS, false);
        } else {
            schedule(stateTimer, new Prober(dns), THROTTLED_INTERVAL_MS, THROTTLED_INTERVAL_MS, false);
        }
    }

    @Override
    public void startAnnouncer() {
        schedule(stateTimer, new Announcer(dns), 0, ANNOUNCE_INTERVAL_MS, false);
    }

    @Override
    public void startCanceler() {
        schedule(stateTimer, new Canceler(dns), 0, GOODBYE_INTERVAL_MS, true);
    }

    @Override
    public void startReaper() {
        schedule(reaperTimer, reaper(), REAPER_INTERVAL_MS, REAPER_INTERVAL_MS, false);
    }

    /**
     * One more sweep of the cache just after a goodbye heard now takes effect. Goodbyes come in bursts
     * (three per record, 50 ms apart, §10.1), and each restarts the record's last second: one sweep
     * waits at a time, and when its moment comes it waits on if a goodbye came meanwhile.
     */
    void reapAfterGoodbye() {
        lastGoodbye = System.nanoTime();
        if (goodbyeSweepPending.compareAndSet(false, true)) {
            scheduleGoodbyeSweep(AFTER_GOODBYE_MS);
        }
    }

    private void scheduleGoodbyeSweep(long delayMs) {
        TimerTask sweep = reaper();
        schedule(reaperTimer, new TimerTask() {
            @Override
            public void run() {
                long wait = AFTER_GOODBYE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastGoodbye);
                if (wait > 0) {
                    scheduleGoodbyeSweep(wait);
                    return;
                }
                goodbyeSweepPending.set(false);
                sweep.run();
            }
        }, delayMs, 0, false);
    }

    /** The sweep: JmDNS's own, which a {@link GatedJmdns} runs only from here (see its cleanCache). */
    private TimerTask reaper() {
        if (dns instanceof GatedJmdns gated) {
            return new TimerTask() {
                @Override
                public void run() {
                    if (!stopping()) {
                        gated.reap();
                    }
                }
            };
        }
        return new RecordReaper(dns);
    }

    @Override
    public void startRenewer() {
        new Renewer(dns).start(stateTimer);
    }

    @Override
    public void startServiceInfoResolver(ServiceInfoImpl info) {
        schedule(queryTimer, new ServiceInfoResolver(dns, info), firstQueryDelay(), QUERY_INTERVAL_MS, false);
    }

    @Override
    public void startTypeResolver() {
        standard.startTypeResolver();
    }

    /**
     * Browsing (RFC 6762 §5.2 continuous querying): one query after a random 20–120 ms, then 1 s after
     * it, 2 s after that, 4 s… up to once an hour, each with the answers we hold. JmDNS asks three
     * times 225 ms apart and then stops; §5.2 wants the first two queries at least a second apart, and
     * a host answering for thousands of peers had to build its whole answer three times over. When
     * JmDNS asks for the type again later (a cached record of it nears its end), one query goes, with
     * the answers we hold.
     */
    @Override
    public void startServiceResolver(String type) {
        boolean first = requeried.add(type.toLowerCase(Locale.ROOT));
        schedule(queryTimer, new TimerTask() {
            @Override
            public void run() {
                new BrowseQuery(type).run();
                if (first) {
                    queryAgain(type, FIRST_REQUERY_MS); // timed from this query: the interval is never short
                }
            }
        }, firstQueryDelay(), 0, false);
    }

    /** RFC 6762 §5.2: a random 20–120 ms before the first query (JmDNS waits 225 ms). */
    private static long firstQueryDelay() {
        return 20 + RANDOM.nextInt(101);
    }

    /**
     * The next query of the continuous browsing in {@code delay}, and the one after it at twice that:
     * a service that was still being probed while we asked (one that started with us) is found without
     * waiting for its announcement; known answers keep the link quiet.
     */
    private void queryAgain(String type, long delay) {
        schedule(queryTimer, new TimerTask() {
            @Override
            public void run() {
                new BrowseQuery(type).run();
                queryAgain(type, Math.min(delay * 2, MAX_REQUERY_MS));
            }
        }, delay, 0, false);
    }

    /** One query for the instances of a type, sent when run (JmDNS's resolver, told to ask once), with known answers. */
    private final class BrowseQuery extends ServiceResolver {
        private final String type;

        BrowseQuery(String type) {
            super(dns, type);
            this.type = type;
            count = 2; // JmDNS's resolver asks while count < 3
        }

        @Override
        protected DNSOutgoing addAnswers(DNSOutgoing out) throws IOException {
            return withKnownAnswers(super.addAnswers(out), type, this);
        }
    }

    /**
     * RFC 6762 §7.1 known-answer suppression, which JmDNS leaves out: the PTR records of {@code type}
     * we hold with more than half their lifetime left, for names resolved, go along with the question
     * (over several packets if need be, §7.2), so that responders answer only with what we lack. Without it, every query of
     * the continuous browsing drew every peer's records again: 5,000 peers answered in full every few
     * seconds at first (issue 13). Records near their end are renewed by {@link RefreshQuestions}.
     */
    private DNSOutgoing withKnownAnswers(DNSOutgoing out, String type, DNSTask task) throws IOException {
        DNSOutgoing last = out;
        long now = System.currentTimeMillis();
        for (DNSRecord pointer : RefreshQuestions.knownPointers(dns.getCache(), type, now)) {
            last = task.addAnswer(last, pointer, now);
        }
        return last;
    }

    @Override
    public void startResponder(DNSIncoming in, InetAddress address, int port) {
        standard.startResponder(in, address, port);
    }

    @Override
    public void purgeTimer() {
        standard.purgeTimer();
        reaperTimer.purge();
        queryTimer.purge();
    }

    @Override
    public void purgeStateTimer() {
        stateTimer.purge();
        standard.purgeStateTimer();
    }

    @Override
    public void cancelTimer() {
        standard.cancelTimer();
        reaperTimer.cancel();
        queryTimer.cancel();
    }

    @Override
    public void cancelStateTimer() {
        stateTimer.cancel();
        standard.cancelStateTimer();
    }
}
