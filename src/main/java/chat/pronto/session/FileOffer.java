package chat.pronto.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * An XEP-0096 file offer ({@code set}) or its acceptance ({@code result}). Smack's own
 * {@code StreamInitiation} drops what Pronto needs: the XEP-0300 SHA-256 of the file and the
 * {@code <range offset/>} with which a receiver asks for the rest of a file it has partly (a resume), so
 * this class and its provider replace it for the {@code si} element.
 */
final class FileOffer extends IQ {
    static final String SI = "http://jabber.org/protocol/si";
    static final String PROFILE = "http://jabber.org/protocol/si/profile/file-transfer";
    static final String FEATURE_NEG = "http://jabber.org/protocol/feature-neg";
    static final String HASHES = "urn:xmpp:hashes:2";
    /** XEP-0065, as libpurple and everyone else speak it: the bytes travel in the clear. */
    static final String BYTESTREAMS = "http://jabber.org/protocol/bytestreams";
    /** XEP-0047: the bytes in IQs over the chat stream (encrypted when it is): slow, but it always gets through. */
    static final String IBB = "http://jabber.org/protocol/ibb";
    /** The same SOCKS5 set-up, then TLS with both sides' pinned keys over the connection: Pronto ↔ Pronto. */
    static final String TLS_BYTESTREAMS = "urn:xmpp:pronto:tls-bytestreams:0";

    final String sid;
    final String name;
    final long size;
    final String mimeType;
    /** Lower-case hex; empty when the offer carries none. */
    final String sha256;
    /** In an offer: whether the sender can start elsewhere than at 0. In an acceptance: where to start. */
    final OptionalLong range;
    /** Offered (a set) or chosen (a result, exactly one). */
    final List<String> methods;
    /**
     * Where the file sits in a folder that is sent ({@code holiday/day 1/beach.jpg}), in Pronto's own
     * {@code <path/>} inside {@code <file/>} (other clients ignore it and see the name); empty for a lone file.
     */
    final String path;

    private FileOffer(String sid, String name, long size, String mimeType, String sha256, OptionalLong range,
                      List<String> methods, String path) {
        super("si", SI);
        this.sid = sid;
        this.name = name;
        this.size = size;
        this.mimeType = mimeType;
        this.sha256 = sha256;
        this.range = range;
        this.methods = List.copyOf(methods);
        this.path = path;
    }

    static FileOffer offer(String sid, String name, long size, String mimeType, String sha256, List<String> methods) {
        return offer(sid, name, size, mimeType, sha256, methods, "");
    }

    static FileOffer offer(String sid, String name, long size, String mimeType, String sha256, List<String> methods,
                           String path) {
        FileOffer offer = new FileOffer(sid, name, size, mimeType, sha256, OptionalLong.of(0), methods, path);
        offer.setType(Type.set);
        offer.setStanzaId(sid); // the id is the sid, as libpurple expects (its decline carries the sid as id)
        return offer;
    }

    /** The receiver's yes: which method, and from which byte (non-zero: it has the start already). */
    static FileOffer accept(FileOffer offer, String method, long from) {
        FileOffer accepted = new FileOffer(offer.sid, offer.name, offer.size, offer.mimeType, offer.sha256,
                from > 0 ? OptionalLong.of(from) : OptionalLong.empty(), List.of(method), "");
        accepted.setType(Type.result);
        accepted.setStanzaId(offer.getStanzaId());
        accepted.setTo(offer.getFrom());
        accepted.setFrom(offer.getTo());
        return accepted;
    }

    Optional<String> method() {
        return methods.isEmpty() ? Optional.empty() : Optional.of(methods.get(0));
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        boolean offering = getType() == Type.set;
        if (offering) {
            xml.attribute("id", sid);
            xml.attribute("profile", PROFILE);
            xml.optAttribute("mime-type", mimeType.isEmpty() ? null : mimeType);
        }
        xml.rightAngleBracket();
        if (offering) {
            xml.halfOpenElement("file").xmlnsAttribute(PROFILE).attribute("name", name).attribute("size", size);
            xml.rightAngleBracket();
            if (!sha256.isEmpty()) {
                xml.halfOpenElement("hash").xmlnsAttribute(HASHES).attribute("algo", "sha-256").rightAngleBracket();
                xml.escape(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)));
                xml.closeElement("hash");
            }
            xml.halfOpenElement("range").closeEmptyElement();
            if (!path.isEmpty()) {
                xml.halfOpenElement("path").xmlnsAttribute(TransferCancel.NAMESPACE).rightAngleBracket();
                xml.escape(path);
                xml.closeElement("path");
            }
            xml.closeElement("file");
        } else if (range.isPresent()) {
            xml.halfOpenElement("file").xmlnsAttribute(PROFILE).rightAngleBracket();
            xml.halfOpenElement("range").attribute("offset", range.getAsLong()).closeEmptyElement();
            xml.closeElement("file");
        }
        xml.halfOpenElement("feature").xmlnsAttribute(FEATURE_NEG).rightAngleBracket();
        xml.halfOpenElement("x").xmlnsAttribute("jabber:x:data").attribute("type", offering ? "form" : "submit");
        xml.rightAngleBracket();
        xml.halfOpenElement("field").attribute("var", "stream-method");
        if (offering) {
            xml.attribute("type", "list-single");
        }
        xml.rightAngleBracket();
        for (String method : methods) {
            if (offering) {
                xml.append("<option>");
            }
            xml.element("value", method);
            if (offering) {
                xml.append("</option>");
            }
        }
        xml.closeElement("field").closeElement("x").closeElement("feature");
        return xml;
    }

    /** Replaces Smack's {@code si} provider (once per process; later calls do nothing). */
    static void register() {
        ProviderManager.addIQProvider("si", SI, Provider.INSTANCE);
    }

    /** Reads offers and acceptances; an offer without a usable file gets {@code bad-request} from the caller. */
    static final class Provider extends IQProvider<FileOffer> {
        static final Provider INSTANCE = new Provider();
        /** Longer hashes or names than this are not a real offer. */
        private static final int MAX_TEXT = 4096;

        @Override
        public FileOffer parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                throws XmlPullParserException, IOException, SmackParsingException {
            String sid = orEmpty(parser.getAttributeValue("id"));
            String mimeType = orEmpty(parser.getAttributeValue("mime-type"));
            String name = "";
            long size = -1;
            String sha256 = "";
            OptionalLong range = OptionalLong.empty();
            List<String> methods = new ArrayList<>();
            String path = "";
            boolean inMethods = false;
            while (true) {
                XmlPullParser.Event event = parser.next();
                if (event == XmlPullParser.Event.END_ELEMENT) {
                    if (parser.getDepth() == initialDepth) {
                        break;
                    }
                    if ("field".equals(parser.getName())) {
                        inMethods = false;
                    }
                    continue;
                }
                if (event != XmlPullParser.Event.START_ELEMENT) {
                    continue;
                }
                switch (parser.getName()) {
                    case "file" -> {
                        if (PROFILE.equals(parser.getNamespace())) {
                            name = orEmpty(parser.getAttributeValue("name"));
                            size = number(parser.getAttributeValue("size"), -1);
                        }
                    }
                    case "hash" -> {
                        String algorithm = parser.getAttributeValue("algo");
                        String namespace = parser.getNamespace();
                        String text = parser.nextText();
                        if (HASHES.equals(namespace) && "sha-256".equals(algorithm) && text.length() < MAX_TEXT) {
                            sha256 = sha256Hex(text);
                        }
                    }
                    case "path" -> {
                        String namespace = parser.getNamespace();
                        String text = parser.nextText();
                        if (TransferCancel.NAMESPACE.equals(namespace) && text.length() < MAX_TEXT) {
                            path = text;
                        }
                    }
                    case "range" -> range = OptionalLong.of(Math.max(0, number(parser.getAttributeValue("offset"), 0)));
                    case "field" -> inMethods = "stream-method".equals(parser.getAttributeValue("var"));
                    case "value" -> {
                        String method = parser.nextText().strip();
                        if (inMethods && methods.size() < 16 && method.length() < 256) {
                            methods.add(method);
                        }
                    }
                    default -> { }
                }
            }
            if (name.length() > MAX_TEXT) {
                name = name.substring(0, MAX_TEXT);
            }
            return new FileOffer(sid, name, size, mimeType, sha256, range, methods, path);
        }

        private static String sha256Hex(String base64) {
            try {
                byte[] bytes = Base64.getDecoder().decode(base64.strip());
                return bytes.length == 32 ? HexFormat.of().formatHex(bytes) : "";
            } catch (IllegalArgumentException notBase64) {
                return "";
            }
        }

        private static long number(String text, long otherwise) {
            if (text == null) {
                return otherwise;
            }
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        private static String orEmpty(String text) {
            return text == null ? "" : text;
        }
    }
}
