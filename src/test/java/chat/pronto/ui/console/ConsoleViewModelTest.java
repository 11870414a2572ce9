package chat.pronto.ui.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import chat.pronto.model.TrafficLine;
import chat.pronto.testing.FakeChatService;

/** What the console keeps of the raw traffic: bounded in characters, not only in lines. */
class ConsoleViewModelTest {
    /** One peer's whitespace kept 624 MiB alive in 11 s when only the number of chunks was bounded. */
    @Test
    void hugeChunksKeepTheConsoleWithinItsCharacterBudget() {
        FakeChatService chat = new FakeChatService();
        ConsoleViewModel console = new ConsoleViewModel(chat, Runnable::run);
        console.start();
        String megabyte = " ".repeat(1024 * 1024);
        for (int i = 0; i < 200; i++) {
            chat.traffic(new TrafficLine(Instant.now(), 1, "flood@hostf", true, megabyte, true));
        }
        long kept = console.shown().stream().mapToLong(line -> line.xml().length()).sum();
        assertTrue(kept <= ConsoleViewModel.MAX_CHARS, kept + " characters kept");
        assertTrue(console.shown().stream().allMatch(line -> line.xml().length() <= ConsoleViewModel.MAX_LINE_CHARS + 100));
        assertTrue(console.shown().get(console.shown().size() - 1).xml().contains("more characters"));
        console.pausedProperty().set(true);
        for (int i = 0; i < 200; i++) {
            chat.traffic(new TrafficLine(Instant.now(), 1, "flood@hostf", true, megabyte, true));
        }
        console.pausedProperty().set(false);
        kept = console.shown().stream().mapToLong(line -> line.xml().length()).sum();
        assertTrue(kept <= ConsoleViewModel.MAX_CHARS, kept + " characters kept after a pause");
    }
}
