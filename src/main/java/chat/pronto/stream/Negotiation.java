package chat.pronto.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.jivesoftware.smack.packet.Mechanisms;
import org.jivesoftware.smack.packet.StartTls;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.packet.TlsFailure;
import org.jivesoftware.smack.packet.TlsProceed;
import org.jivesoftware.smack.sasl.packet.SaslNonza;

import chat.pronto.security.PeerTls;

/**
 * The opening of a stream, as a straight sequence per role (XEP-0174 §Initiating, XEP-0246, RFC 6120
 * §4–6): headers; for XMPP 1.0 peers, features, STARTTLS with both certificates pinned, a restart,
 * SASL EXTERNAL and another restart. A peer that never said version='1.0' (Pidgin) gets no features
 * and is never waited on.
 */
final class Negotiation {
    private static final String TLS_NAMESPACE = StartTls.NAMESPACE;
    private static final String SASL_NAMESPACE = Mechanisms.NAMESPACE;
    private static final String EXTERNAL = "EXTERNAL";
    private static final int MAX_AUTH_ATTEMPTS = 3;

    /** The negotiated stream, and an element that already arrived when the peer skipped a step. */
    record Result(StreamInfo info, ElementReader.Element pending) {
    }

    private final XmlStream stream;
    private final StreamConfig config;
    private final String localName;

    Negotiation(XmlStream stream) {
        this.stream = stream;
        this.config = stream.engine().config();
        this.localName = stream.localName();
    }

    // ---- initiator ------------------------------------------------------------------------------

    Result initiate() throws IOException, StreamErrorException, PeerEndedException {
        String peer = stream.peer().orElse(null);
        StreamHeader ours = new StreamHeader(localName, peer, null, StreamHeader.VERSION_1);
        stream.sendHeader(ours);
        StreamHeader theirs = stream.readHeader("the stream header");
        if (peer == null) {
            peer = learnName(theirs);
            ours = new StreamHeader(localName, peer, null, StreamHeader.VERSION_1);
        }
        checkAnswerIsFrom(theirs, peer);
        if (!theirs.speaksVersion1()) {
            requireNoEncryption("the peer speaks pre-1.0 XMPP and cannot encrypt");
            return result(StreamSecurity.LEGACY_PLAINTEXT, null, null);
        }
        ElementReader.Element first = stream.readElement("the stream features");
        if (!isFeatures(first)) {
            requireNoEncryption("the peer sent no stream features, so no TLS");
            return result(StreamSecurity.PLAINTEXT, null, first);
        }
        ElementReader.Features features = ElementReader.features(first);
        if (!features.startTls() || config.encryption() == Encryption.DISABLED) {
            requireNoEncryption("the peer does not offer STARTTLS");
            return result(StreamSecurity.PLAINTEXT, null, null);
        }

        stream.sendNonza(StartTls.INSTANCE);
        ElementReader.Element answer = stream.readElement("<proceed/>");
        if (answer.is(TLS_NAMESPACE, TlsFailure.ELEMENT)) {
            throw new PeerEndedException(new StreamEnd.TlsFailed("the peer refused STARTTLS"));
        }
        if (!answer.is(TLS_NAMESPACE, TlsProceed.ELEMENT)) {
            throw new StreamErrorException(Condition.policy_violation, "expected <proceed/> after <starttls/>");
        }
        PeerTls tls = stream.engine().tls().forPeer(stream.localName(), peer);
        stream.startTls(tls);

        stream.sendHeader(ours);
        checkAnswerIsFrom(requireVersion1(stream.readHeader("the stream header after TLS")), peer);
        ElementReader.Element secured = stream.readElement("the stream features after TLS");
        if (!isFeatures(secured)) {
            return result(StreamSecurity.TLS, tls, secured);
        }
        if (!ElementReader.features(secured).mechanisms().contains(EXTERNAL)) {
            return result(StreamSecurity.TLS, tls, null);
        }

        // SASL EXTERNAL: our certificate, already verified by the peer, is the credential (XEP-0178).
        stream.sendNonza(new SaslNonza.AuthMechanism(EXTERNAL, "="));
        ElementReader.Element outcome = stream.readElement("the SASL outcome");
        if (!outcome.is(SASL_NAMESPACE, SaslNonza.Success.ELEMENT)) {
            throw new PeerEndedException(new StreamEnd.TlsFailed("the peer refused SASL EXTERNAL"));
        }
        stream.restartStream();
        stream.sendHeader(ours);
        checkAnswerIsFrom(requireVersion1(stream.readHeader("the stream header after SASL")), peer);
        ElementReader.Element last = stream.readElement("the final stream features");
        return result(StreamSecurity.TLS_AUTHENTICATED, tls, isFeatures(last) ? null : last);
    }

    /**
     * Dialed by address: the answer's {@code from} is the only name we get (XEP-0174 peers answer with
     * their instance name); the TLS that follows checks the key against the one pinned for it.
     */
    private String learnName(StreamHeader theirs) throws StreamErrorException {
        String named = theirs.from();
        if (named == null || named.isBlank()) {
            throw new StreamErrorException(Condition.invalid_from, "the peer at "
                    + stream.remoteAddress().getAddress().getHostAddress() + " did not say its name");
        }
        if (named.equals(localName)) {
            throw new StreamErrorException(Condition.invalid_from, "that address is our own");
        }
        stream.setPeer(named);
        return named;
    }

    /** The recipient's header names who answered: it must be the peer we dialed, if it names anyone. */
    private void checkAnswerIsFrom(StreamHeader theirs, String peer) throws StreamErrorException {
        if (theirs.from() != null && !theirs.from().equals(peer)) {
            throw new StreamErrorException(Condition.invalid_from,
                    "we dialed " + peer + " but " + theirs.from() + " answered");
        }
    }

    // ---- recipient ------------------------------------------------------------------------------

    Result accept() throws IOException, StreamErrorException, PeerEndedException {
        StreamHeader theirs = stream.readHeader("the stream header");
        checkAddressedToUs(theirs);
        PeerMatcher.Verdict verdict = stream.engine().matcher()
                .match(theirs.from(), stream.remoteAddress().getAddress());
        if (!verdict.accepted()) {
            throw new StreamErrorException(Condition.fromString(verdict.refusalCondition()), verdict.reason());
        }
        String peer = verdict.peer();
        stream.setPeer(peer);
        if (verdict.mustEncrypt()) {
            stream.requireEncryption();
        }
        if (!theirs.speaksVersion1()) {
            stream.sendHeader(stream.replyHeader(false));
            requireNoEncryption("the peer speaks pre-1.0 XMPP and cannot encrypt");
            return result(StreamSecurity.LEGACY_PLAINTEXT, null, null);
        }
        stream.sendHeader(stream.replyHeader(true));
        boolean offerTls = config.encryption() != Encryption.DISABLED;
        stream.sendNonza(new StreamFeatures(offerTls
                ? List.of(new StartTls(encryptionRequiredWith(peer)))
                : List.of()));
        if (!offerTls) {
            requireNoEncryption("encryption is switched off here");
            return result(StreamSecurity.PLAINTEXT, null, null); // nothing left to negotiate
        }
        if (!encryptionRequiredWith(peer)) {
            // TLS is optional, so a peer that does not want it may stay silent until it has a stanza
            // to send: that is idleness, not a stalled negotiation (but it has a limit too).
            stream.armQuietTimer();
        }
        ElementReader.Element first = stream.readElement("<starttls/>");
        if (!first.is(TLS_NAMESPACE, StartTls.ELEMENT)) {
            requireNoEncryption("the peer did not start TLS");
            return result(StreamSecurity.PLAINTEXT, null, first);
        }

        stream.sendNonza(TlsProceed.INSTANCE);
        PeerTls tls = stream.engine().tls().forPeer(stream.localName(), peer);
        stream.startTls(tls);
        checkSameStream(stream.readHeader("the stream header after TLS"), peer);
        stream.sendHeader(stream.replyHeader(true));
        stream.sendNonza(new StreamFeatures(List.of(new Mechanisms(EXTERNAL))));

        for (int attempt = 1; ; attempt++) {
            ElementReader.Element next = stream.readElement("<auth/>");
            if (!next.is(SASL_NAMESPACE, SaslNonza.AuthMechanism.ELEMENT)) {
                return result(StreamSecurity.TLS, tls, next);
            }
            String failure = checkExternal(next, peer);
            if (failure == null) {
                break;
            }
            stream.sendNonza(new SaslNonza.SASLFailure(failure));
            if (attempt == MAX_AUTH_ATTEMPTS) {
                throw new StreamErrorException(Condition.policy_violation, "too many failed SASL attempts");
            }
        }
        stream.sendNonza(new SaslNonza.Success(null));
        stream.restartStream();
        checkSameStream(stream.readHeader("the stream header after SASL"), peer);
        stream.sendHeader(stream.replyHeader(true));
        stream.sendNonza(new StreamFeatures(List.of()));
        return result(StreamSecurity.TLS_AUTHENTICATED, tls, null);
    }

    /** An e2e stream is addressed to one instance: a {@code to} naming anyone else is host-unknown. */
    private void checkAddressedToUs(StreamHeader theirs) throws StreamErrorException {
        if (theirs.to() != null && !theirs.to().equals(localName)) {
            throw new StreamErrorException(Condition.host_unknown, theirs.to() + " is not served here");
        }
    }

    /** After a restart the peer must still be who it was: no switching names under TLS. */
    private void checkSameStream(StreamHeader theirs, String peer) throws StreamErrorException {
        requireVersion1(theirs);
        checkAddressedToUs(theirs);
        if (theirs.from() != null && !theirs.from().equals(peer)) {
            throw new StreamErrorException(Condition.invalid_from, "the stream began as " + peer);
        }
    }

    /** SASL EXTERNAL (RFC 6120 §6, XEP-0178): the TLS certificate, pinned for {@code peer}, authenticates it. */
    private static String checkExternal(ElementReader.Element auth, String peer) throws StreamErrorException {
        if (!EXTERNAL.equals(ElementReader.attribute(auth, "mechanism"))) {
            return "invalid-mechanism";
        }
        String response = ElementReader.text(auth).trim();
        if (response.isEmpty() || response.equals("=")) {
            return null;
        }
        try {
            String authzid = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
            return authzid.equals(peer) ? null : "invalid-authzid";
        } catch (IllegalArgumentException e) {
            return "incorrect-encoding";
        }
    }

    // ---- both -----------------------------------------------------------------------------------

    private static StreamHeader requireVersion1(StreamHeader header) throws StreamErrorException {
        if (!header.speaksVersion1()) {
            throw new StreamErrorException(Condition.unsupported_version, "a restarted stream must be XMPP 1.0");
        }
        return header;
    }

    private void requireNoEncryption(String why) throws StreamErrorException {
        if (config.encryption() == Encryption.REQUIRED || stream.encryptionRequired()) {
            throw new StreamErrorException(Condition.policy_violation, (config.encryption() == Encryption.REQUIRED
                    ? "encryption is required: " : "only an encrypted stream will do with a peer the network does"
                    + " not show (its key is all that says who it is): ") + why,
                    StreamEnd.Refusal.UNENCRYPTED_WHILE_REQUIRED);
        }
        String peer = stream.peer().orElse(null);
        if (config.encryption() != Encryption.DISABLED && stream.engine().tls().isPinned(peer)) {
            throw new StreamErrorException(Condition.policy_violation, peer + " has encrypted before (its key is"
                    + " pinned), so an unencrypted stream in its name is refused: " + why,
                    StreamEnd.Refusal.UNENCRYPTED_WHILE_PINNED);
        }
    }

    /** Encryption is a must with this peer: we require it, or it has a pinned key. */
    private boolean encryptionRequiredWith(String peer) {
        return config.encryption() == Encryption.REQUIRED || stream.encryptionRequired()
                || config.encryption() != Encryption.DISABLED && stream.engine().tls().isPinned(peer);
    }

    private static boolean isFeatures(ElementReader.Element element) {
        return element.is(StreamHeader.STREAM_NAMESPACE, StreamFeatures.ELEMENT);
    }

    private Result result(StreamSecurity security, PeerTls tls, ElementReader.Element pending) {
        Optional<SSLSession> session = stream.socket() instanceof SSLSocket secured
                ? Optional.of(secured.getSession())
                : Optional.empty();
        StreamInfo info = new StreamInfo(stream.peer().orElseThrow(), stream.role(), security,
                tls == null ? Optional.empty() : tls.peerKey(),
                session.map(SSLSession::getProtocol), session.map(SSLSession::getCipherSuite),
                Long.toHexString(stream.id()), stream.remoteAddress(),
                (java.net.InetSocketAddress) stream.socket().getLocalSocketAddress(), tls != null && tls.resumed());
        return new Result(info, pending);
    }
}
