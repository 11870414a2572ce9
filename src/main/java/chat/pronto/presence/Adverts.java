package chat.pronto.presence;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import chat.pronto.model.AvatarHash;
import chat.pronto.model.Capabilities;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

/** Translates between adverts and TXT records (XEP-0174 §6.1), with the quirks of real peers. */
public final class Adverts {
    private Adverts() {
    }

    /** Our TXT record: {@code txtvers=1} first, {@code port.p2pj} equal to the SRV port (Adium dials it). */
    public static byte[] txtFor(OwnPresence own, int port) {
        TxtRecord.Builder txt = new TxtRecord.Builder()
                .put("txtvers", "1")
                .put("port.p2pj", Integer.toString(port))
                .put("status", own.status().txtValue())
                .put("msg", own.message())
                .put("nick", own.nick())
                .put("1st", own.firstName())
                .put("last", own.lastName())
                .put("email", own.email())
                .put("jid", own.jid());
        own.capabilities().ifPresent(caps -> txt.put("node", caps.node()).put("hash", caps.hash())
                .put("ver", caps.ver()));
        own.avatarHash().ifPresent(hash -> txt.put("phsh", hash));
        return txt.encode();
    }

    /** What a peer's records say. Never throws: every key may be missing or odd. */
    public static PeerAdvert read(PeerId id, TxtRecord txt, List<InetAddress> addresses, int port) {
        Optional<Capabilities> caps = txt.get("node").isPresent() || txt.get("ver").isPresent()
                ? Optional.of(new Capabilities(txt.get("node").orElse(null), txt.get("hash").orElse(null),
                        txt.get("ver").orElse(null)))
                : Optional.empty();
        return new PeerAdvert(id, addresses, port, status(txt, caps), txt.get("msg").orElse(""),
                txt.get("nick").orElse(null), txt.get("1st").orElse(null), txt.get("last").orElse(null),
                txt.get("email").orElse(null), txt.get("jid").orElse(null), caps,
                txt.get("phsh").flatMap(AvatarHash::parse));
    }

    /**
     * libpurple (Pidgin, finch) has only Available and Away for Bonjour, and publishes Away as
     * {@code dnd} and idle as {@code away}: for it, both mean away.
     */
    private static Status status(TxtRecord txt, Optional<Capabilities> caps) {
        Status said = Status.fromTxt(txt.get("status").orElse(null));
        boolean libpurple = caps.map(Capabilities::node).filter("libpurple"::equalsIgnoreCase).isPresent();
        return libpurple && said == Status.DO_NOT_DISTURB ? Status.AWAY : said;
    }
}
