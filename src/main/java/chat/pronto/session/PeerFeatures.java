package chat.pronto.session;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;

import chat.pronto.model.PeerId;

/**
 * What the peer's client supports, as far as we know: learned from its disco#info answer (asked
 * once per stream of a 1.0 peer) and from what it sends (a receipt, a chat state). Whether it
 * acknowledges messages is also remembered across restarts (through {@code remember}): after a
 * crash, only messages to peers that acknowledge are sent again. Any thread.
 */
final class PeerFeatures {
    static final String RECEIPTS = "urn:xmpp:receipts";
    static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private volatile boolean sendsReceipts;
    private volatile boolean knowsChatStates;
    private volatile boolean known;
    private final java.util.function.Consumer<Boolean> remember;
    private volatile Boolean remembered;

    /** @param remember keeps whether the peer acknowledges messages (called when that changes) */
    PeerFeatures(java.util.function.Consumer<Boolean> remember) {
        this.remember = remember;
    }

    /** The request that asks a peer what it supports (never sent to legacy peers: Pidgin does not answer). */
    static DiscoverInfo request(PeerId from, PeerId to, String id) {
        return DiscoverInfo.builder(id)
                .ofType(IQ.Type.get)
                .from(ChatStanzas.jid(from))
                .to(ChatStanzas.jid(to))
                .build();
    }

    /** The peer's disco#info answer. */
    void learn(DiscoverInfo answer) {
        if (answer.containsFeature(RECEIPTS)) {
            sendsReceipts = true;
        }
        keep(answer.containsFeature(RECEIPTS));
        if (answer.containsFeature(CHAT_STATES)) {
            knowsChatStates = true;
        }
        known = true;
    }

    void sawReceipt() {
        sendsReceipts = true;
        keep(true);
    }

    /** A pre-1.0 peer (Pidgin): it never acknowledges anything. */
    void sawLegacyStream() {
        keep(false);
    }

    private void keep(boolean acknowledges) {
        if (!Boolean.valueOf(acknowledges).equals(remembered)) {
            remembered = acknowledges;
            remember.accept(acknowledges);
        }
    }

    void sawChatState() {
        knowsChatStates = true;
    }

    boolean sendsReceipts() {
        return sendsReceipts;
    }

    boolean knowsChatStates() {
        return knowsChatStates;
    }

    /** It told us (disco#info) that it sends no receipts: a message sent again would show twice. */
    boolean saidItSendsNoReceipts() {
        return known && !sendsReceipts;
    }
}
