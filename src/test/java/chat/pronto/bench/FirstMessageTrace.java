package chat.pronto.bench;

import java.util.List;

/** Throwaway: prints both consoles' lines, timed from typing, for a few first messages. */
public final class FirstMessageTrace {
    public static void main(String[] args) throws Exception {
        try (ProntoPath path = ProntoPath.create()) {
            path.trace(Integer.parseInt(args[0]));
        }
    }
}
