package chat.pronto.presence;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import chat.pronto.model.AvatarHash;

/**
 * The picture we publish, and what to answer a query for it (XEP-0174 §"Buddy Icons", RFC 6762 §6).
 * It answers questions for the NULL (or ANY) record of our own instance name only: a query from a port
 * other than 5353 gets a legacy unicast reply to that port (§6.7); a QU question a unicast response
 * (§5.4); any other a multicast response, at most once a second per interface (§6), unless the query
 * already lists our record with at least half its TTL left (known-answer suppression, §7.1). Deciding
 * is quick and never blocks: it runs on JmDNS's listener thread.
 */
final class OwnAvatar {
    private static final long MULTICAST_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A picture and its {@code phsh}. */
    record Published(byte[] picture, String hash) {
    }

    /**
     * What to send: {@code packet} to {@code to} (null: the mDNS group of the interface that heard the
     * query) after {@code delayNanos}, if {@code published} is still what we publish by then.
     */
    record Reply(byte[] packet, InetSocketAddress to, long delayNanos, Published published) {
        boolean multicast() {
            return to == null;
        }
    }

    private volatile Published current;
    /** Per interface (a responder's address): when the record may next be multicast there. */
    private final Map<String, Long> nextMulticast = new ConcurrentHashMap<>();

    /** Publishes {@code picture} from now on (checked: {@link AvatarHash#checkPublishable}); returns it with its hash. */
    Published publish(byte[] picture) {
        AvatarHash.checkPublishable(picture);
        byte[] copy = picture.clone();
        Published published = new Published(copy, AvatarHash.of(copy));
        current = published;
        nextMulticast.clear(); // a new record: its announcement may go at once
        return published;
    }

    /** Publishes no picture any more; returns the one that was published. */
    Optional<Published> clear() {
        Published before = current;
        current = null;
        return Optional.ofNullable(before);
    }

    Optional<Published> current() {
        return Optional.ofNullable(current);
    }

    Optional<String> hash() {
        return current().map(Published::hash);
    }

    boolean isCurrent(Published published) {
        return current == published;
    }

    /** Notes a multicast of our record on {@code via} that went out unasked (an announcement or a goodbye). */
    void multicastSent(String via, long now) {
        nextMulticast.put(via, now + MULTICAST_SPACING_NANOS);
    }

    /**
     * What to answer {@code query}, heard on {@code via} from {@code from}, while we are {@code instance}
     * there (null: not established there, nothing is answered).
     */
    Optional<Reply> answer(MdnsMessage query, String instance, InetSocketAddress from, String via, long now) {
        Published published = current;
        if (query.response() || published == null || instance == null) {
            return Optional.empty();
        }
        String ours = AvatarRecords.nameOf(instance);
        MdnsMessage.Question asked = null;
        for (MdnsMessage.Question question : query.questions()) {
            if (question.name().equals(ours)
                    && (question.type() == MdnsMessage.TYPE_NULL || question.type() == MdnsMessage.TYPE_ANY)) {
                asked = question;
                break;
            }
        }
        if (asked == null) {
            return Optional.empty();
        }
        if (from.getPort() != AvatarRecords.MDNS_PORT) {
            // A legacy resolver (or a one-shot query): it listens only on its own port.
            return Optional.of(new Reply(AvatarRecords.legacyReply(query.id(), instance, asked.type(),
                    published.picture()), from, 0, published));
        }
        if (knownAlready(query, ours, published.picture())) {
            return Optional.empty();
        }
        byte[] packet = AvatarRecords.response(instance, published.picture(), AvatarRecords.TTL);
        if (asked.unicastResponse()) {
            return Optional.of(new Reply(packet, from, 0, published));
        }
        return multicastSlot(via, now).map(delay -> new Reply(packet, null, delay, published));
    }

    /**
     * When the record may be multicast on {@code via}: now, or when a second has passed since the last
     * time; empty when one is already planned then (it answers this query too).
     */
    private synchronized Optional<Long> multicastSlot(String via, long now) {
        long next = nextMulticast.getOrDefault(via, now);
        if (next - now <= 0) {
            nextMulticast.put(via, now + MULTICAST_SPACING_NANOS);
            return Optional.of(0L);
        }
        if (next - now > MULTICAST_SPACING_NANOS) {
            return Optional.empty(); // one is planned already
        }
        nextMulticast.put(via, next + MULTICAST_SPACING_NANOS);
        return Optional.of(next - now);
    }

    /** RFC 6762 §7.1: the asker lists our record, with at least half its TTL left. */
    private static boolean knownAlready(MdnsMessage query, String ours, byte[] picture) {
        for (MdnsMessage.Record known : query.answers()) {
            if (known.type() == MdnsMessage.TYPE_NULL && known.name().equals(ours)
                    && known.ttl() >= AvatarRecords.TTL / 2 && Arrays.equals(known.rdata(), picture)) {
                return true;
            }
        }
        return false;
    }
}
