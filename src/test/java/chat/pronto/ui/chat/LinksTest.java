package chat.pronto.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class LinksTest {
    @Test
    void findsWebLinksWithoutTheSentenceAroundThem() {
        assertEquals(List.of("https://example.org/a?b=1", "http://x.test/path_(1)"),
                Links.in("See https://example.org/a?b=1. Or (http://x.test/path_(1)), fine"));
        assertEquals(List.of(), Links.in("no links, and not file:///etc/passwd or javascript:alert(1)"));
    }
}
