package chat.pronto.session;

import java.io.IOException;

import chat.pronto.model.Problem;

/** A stanza (a hand-typed one, or a message that could not be stored) did not go out, and why, as data. */
public final class NotSentException extends IOException {
    private final transient Problem problem;

    public NotSentException(Problem problem) {
        super("not sent: " + problem.kind() + (problem.facts().isEmpty() ? "" : " " + problem.facts()));
        this.problem = problem;
    }

    public NotSentException(Problem problem, Throwable cause) {
        this(problem);
        initCause(cause);
    }

    public Problem problem() {
        return problem;
    }
}
