package chat.pronto.session;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.PresenceService;

/**
 * Peers' pictures for the front ends: when a peer publishes a {@code phsh} whose picture is not in
 * the {@link AvatarCache}, presence is asked for it; once it is stored, the peer's contact shows it
 * ({@link chat.pronto.model.Contact#avatar()}) and a contact event says so. A picture presence gave up
 * on is not asked for again for a while, unless the peer publishes another one.
 */
final class Avatars {
    private static final Logger LOG = LoggerFactory.getLogger(Avatars.class);
    static final long RETRY_AFTER_GIVING_UP_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int MAX_REMEMBERED_FAILURES = 1000;

    private final PresenceService presence;
    private final java.util.function.Consumer<PeerId> changed;
    private final Executor workers;
    private final LongSupplier ticker;
    private volatile AvatarCache cache = AvatarCache.inMemory();
    /** Peer and hash of the pictures being fetched. */
    private final Set<String> fetching = ConcurrentHashMap.newKeySet();
    /** Peer and hash of pictures presence gave up on, and when. */
    private final Map<String, Long> gaveUp = new ConcurrentHashMap<>();

    /** @param changed told of a peer whose picture arrived (its contact is told anew) */
    Avatars(PresenceService presence, java.util.function.Consumer<PeerId> changed, Executor workers, LongSupplier ticker) {
        this.presence = presence;
        this.changed = changed;
        this.workers = workers;
        this.ticker = ticker;
    }

    /** Keeps pictures in {@code cache} (before the service starts). */
    void useCache(AvatarCache value) {
        cache = value;
    }

    void load() throws IOException {
        cache.load();
    }

    /** The hash of {@code advert}'s picture once it is here to be shown. */
    Optional<String> ready(Optional<PeerAdvert> advert) {
        AvatarCache stored = cache;
        return advert.flatMap(PeerAdvert::avatarHash).filter(stored::has);
    }

    Optional<byte[]> read(String hash) throws IOException {
        return cache.read(hash);
    }

    /** Keeps our own picture too (so that it is shown without a trip over the network). */
    void keep(String hash, byte[] picture) throws IOException {
        cache.store(hash, picture);
    }

    /** Presence sees {@code advert} (on its event thread: quick). */
    void seen(PeerAdvert advert) {
        Optional<String> hash = advert.avatarHash();
        if (hash.isEmpty() || cache.has(hash.get())) {
            return;
        }
        String key = advert.id() + " " + hash.get();
        Long failedAt = gaveUp.get(key);
        if (failedAt != null && ticker.getAsLong() - failedAt < RETRY_AFTER_GIVING_UP_NANOS) {
            return;
        }
        if (!fetching.add(key)) {
            return;
        }
        PeerId peer = advert.id();
        presence.fetchAvatar(peer, hash.get()).whenComplete((picture, error) -> {
            try {
                workers.execute(() -> arrived(key, peer, hash.get(), picture == null ? Optional.empty() : picture));
            } catch (RejectedExecutionException closing) {
                fetching.remove(key);
            }
        });
    }

    private void arrived(String key, PeerId peer, String hash, Optional<byte[]> picture) {
        try {
            if (picture.isEmpty()) {
                if (gaveUp.size() >= MAX_REMEMBERED_FAILURES) {
                    gaveUp.clear();
                }
                gaveUp.put(key, ticker.getAsLong());
                return;
            }
            gaveUp.remove(key);
            cache.store(hash, picture.get());
            LOG.debug("picture {} of {} stored", hash, peer);
            changed.accept(peer);
        } catch (IOException | RuntimeException e) {
            LOG.warn("the picture of {} could not be stored: {}", peer, e.getMessage());
        } finally {
            fetching.remove(key);
        }
    }
}
