package chat.pronto.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;

/** notify-send as Pronto calls it, with a stand-in script that records its arguments and "clicks" Open. */
@ExtendWith(ApplicationExtension.class)
class NotifySendNotifierTest {
    @Test
    void theNotificationCarriesTitleTextAndAnOpenActionWhoseClickRunsOnTheFxThread(@TempDir Path dir) throws Exception {
        Path arguments = dir.resolve("arguments");
        Path script = dir.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + arguments + "'\necho open\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        CountDownLatch clicked = new CountDownLatch(1);
        boolean[] onFxThread = new boolean[1];
        new NotifySendNotifier(script).notify("Bob the Builder", "Tea at six?", () -> {
            onFxThread[0] = Platform.isFxApplicationThread();
            clicked.countDown();
        });

        assertTrue(clicked.await(10, TimeUnit.SECONDS), "the click came back");
        assertTrue(onFxThread[0]);
        String called = Files.readString(arguments);
        assertTrue(called.contains("--action=open=Open") && called.contains("--wait"), called);
        assertEquals(2, called.lines().filter(line -> line.equals("Bob the Builder") || line.equals("Tea at six?"))
                .count(), called);
    }

    @Test
    void aPersonsPictureIsTheIconWhenThereIsOne(@TempDir Path dir) throws Exception {
        Path arguments = dir.resolve("arguments");
        Path script = dir.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + arguments + "'\necho closed\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path picture = Files.write(dir.resolve("0123abcd"), new byte[] {1, 2, 3});
        new NotifySendNotifier(script).notify("Bob", "hi", picture, () -> { });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(arguments)
                && Files.readString(arguments).contains("hi"));
        assertTrue(Files.readString(arguments).lines().anyMatch(line -> line.equals("--icon=" + picture)),
                Files.readString(arguments));
    }

    /** Notification servers read the body as markup: a message's text must show as text. */
    @Test
    void aMessageThatLooksLikeMarkupIsShownAsText() {
        assertEquals("&lt;a href='http://evil'&gt;click&lt;/a&gt; &amp; &lt;img src=x&gt;",
                NotifySendNotifier.asBodyText("<a href='http://evil'>click</a> & <img src=x>"));
        assertEquals("Tea at six?", NotifySendNotifier.asBodyText("Tea at six?"));
    }
}
