package chat.pronto.cli;

import java.io.PrintStream;

import chat.pronto.model.NetworkCheck;
import chat.pronto.words.DiagnosisText;

/** {@code pronto --diagnose}: the network diagnostics as text, printed once. */
public final class DiagnosisReport {
    private DiagnosisReport() {
    }

    public static void print(NetworkCheck check, PrintStream out) {
        out.print(DiagnosisText.of(check));
        out.flush();
    }
}
