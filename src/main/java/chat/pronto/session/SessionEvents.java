package chat.pronto.session;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.stream.StreamEnd;

/** Where the parts of a session report what the front ends should hear. */
interface SessionEvents {
    /** Tells the front ends, in order, on the event thread. */
    void emit(ChatEvent event);

    /** Something the user should know that belongs to no conversation. */
    default void notice(Problem problem) {
        emit(new ChatEvent.Notice(problem));
    }

    /** The streams with {@code peer} changed (opened, ended, secured otherwise): its contact is told anew. */
    void linkChanged(PeerId peer);

    /** {@code peer} presented another key than the pinned one: kept for {@code acceptNewKey}, and told. */
    void keyChanged(PeerId peer, StreamEnd.KeyChanged changed);
}
