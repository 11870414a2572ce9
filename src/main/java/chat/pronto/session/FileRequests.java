package chat.pronto.session;

import org.jivesoftware.smack.packet.IQ;

import chat.pronto.model.PeerId;
import chat.pronto.stream.StanzaStream;

/** Where a peer's file-transfer IQs go (on the stream's reader thread, which must not block on them). */
interface FileRequests {
    /** True when it took {@code request} and will answer it (now or once the user decides). */
    boolean onRequest(StanzaStream stream, PeerId peer, IQ request);

    /** An answer ({@code result} or {@code error}) that may be to one of our transfer requests. */
    void onAnswer(StanzaStream stream, PeerId peer, IQ answer);

    FileRequests NONE = new FileRequests() {
        @Override
        public boolean onRequest(StanzaStream stream, PeerId peer, IQ request) {
            return false;
        }

        @Override
        public void onAnswer(StanzaStream stream, PeerId peer, IQ answer) {
        }
    };
}
