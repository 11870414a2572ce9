package chat.pronto.bench;

/**
 * Where a round trip on an open stream goes between two Pronto processes, by the lines their consoles
 * print: {@code .bench/main chat.pronto.bench.OpenStreamTrace 2000}.
 */
public final class OpenStreamTrace {
    private OpenStreamTrace() {
    }

    public static void main(String[] args) throws Exception {
        try (ProntoPath path = ProntoPath.create()) {
            path.traceOpenStream(Integer.parseInt(args[0]));
        }
    }
}
