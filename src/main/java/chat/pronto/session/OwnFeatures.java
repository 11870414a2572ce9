package chat.pronto.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverInfoBuilder;

import chat.pronto.model.Capabilities;

/**
 * Who we are in XEP-0030 terms (one identity, our features) and the XEP-0115 capabilities hash of
 * it, which presence publishes as {@code node}/{@code hash}/{@code ver} in TXT.
 */
final class OwnFeatures {
    static final String NODE = "https://github.com/pronto-chat/pronto";
    static final String CATEGORY = "client";
    static final String TYPE = "pc";
    static final String NAME = "Pronto";
    static final List<String> FEATURES = List.of(
            "http://jabber.org/protocol/bytestreams",
            "http://jabber.org/protocol/caps",
            "http://jabber.org/protocol/chatstates",
            "http://jabber.org/protocol/disco#info",
            "http://jabber.org/protocol/si",
            "http://jabber.org/protocol/si/profile/file-transfer",
            "jabber:iq:oob",
            "jabber:iq:version",
            "urn:xmpp:hashes:2",
            "urn:xmpp:hash-function-text-names:sha-256",
            "urn:xmpp:ping",
            "urn:xmpp:pronto:files:0",
            "urn:xmpp:pronto:tls-bytestreams:0",
            "urn:xmpp:receipts");

    private OwnFeatures() {
    }

    /** The answer to a disco#info request (for no node, or for our caps node#ver). */
    static DiscoverInfo answer(DiscoverInfo request) {
        DiscoverInfoBuilder builder = DiscoverInfoBuilder.buildResponseFor(request, IQ.ResponseType.result);
        builder.addIdentity(new DiscoverInfo.Identity(CATEGORY, NAME, TYPE));
        builder.addFeatures(FEATURES);
        return builder.build();
    }

    /** Whether a disco#info request asks about us: no node, or our own {@code node#ver}. */
    static boolean isOurs(DiscoverInfo request) {
        String node = request.getNode();
        return node == null || node.equals(NODE + "#" + ver());
    }

    static Capabilities capabilities() {
        return new Capabilities(NODE, "sha-1", ver());
    }

    /** XEP-0115 §5.1: identities and features sorted, each followed by '<', SHA-1, base64. */
    static String ver() {
        StringBuilder input = new StringBuilder(CATEGORY + "/" + TYPE + "//" + NAME + "<");
        for (String feature : new TreeSet<>(FEATURES)) {
            input.append(feature).append('<');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(input.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
