package chat.pronto.testing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/**
 * A pretend network segment for {@link FakePresence}s: whatever one member advertises, the others
 * see at once. Lets session tests control exactly who is visible, and when.
 */
public final class FakeLink {
    private final List<FakePresence> members = new CopyOnWriteArrayList<>();

    void join(FakePresence member) {
        members.add(member);
        members.stream().filter(other -> other != member).forEach(other -> {
            other.announced(member.advert());
            member.announced(other.advert());
        });
    }

    void changed(FakePresence member) {
        members.stream().filter(other -> other != member).forEach(other -> other.announced(member.advert()));
    }

    void leave(FakePresence member) {
        if (members.remove(member)) {
            members.forEach(other -> other.goodbye(member.self()));
        }
    }

    /** The picture the member called {@code id} publishes, if it is on the link. */
    Optional<byte[]> pictureOf(PeerId id) {
        return members.stream().filter(m -> m.self().equals(id)).findFirst().flatMap(FakePresence::picture);
    }

    Optional<PeerAdvert> advertOf(PeerId id) {
        return members.stream().filter(m -> m.self().equals(id)).findFirst().map(FakePresence::advert);
    }
}
