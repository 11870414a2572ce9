package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One Pronto per data folder: a later launch hands its link to the first and ends; strangers are ignored. */
class SingleInstanceTest {
    @TempDir
    Path data;

    @Test
    void aSecondLaunchHandsItsLinkToTheFirstAndAStrangerWithoutTheTokenIsIgnored() throws Exception {
        LinkedBlockingQueue<SingleInstance.Request> asked = new LinkedBlockingQueue<>();
        try (SingleInstance first = SingleInstance.claim(data, asked::add).orElseThrow()) {
            assertTrue(SingleInstance.claim(data, asked::add).isEmpty(), "the folder is held");

            String port = Files.readString(data.resolve("instance")).strip().split(" ")[0];
            try (Socket stranger = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port))) {
                OutputStream out = stranger.getOutputStream();
                out.write("not-the-token\nopen xmpp:evil@x?pronto\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(SingleInstance.forward(data, new SingleInstance.Request(Optional.of("xmpp:bob@b?pronto;v=1"))));
            assertTrue(SingleInstance.forward(data, new SingleInstance.Request(Optional.empty())));

            assertEquals(Optional.of("xmpp:bob@b?pronto;v=1"), asked.poll(10, TimeUnit.SECONDS).link(),
                    "the stranger's request never arrives: the first is the link");
            assertEquals(Optional.empty(), asked.poll(10, TimeUnit.SECONDS).link());
        }
        // Released: the next launch is the one Pronto again.
        try (SingleInstance again = SingleInstance.claim(data, asked::add).orElseThrow()) {
            assertFalse(Files.readString(data.resolve("instance")).isBlank());
        }
    }

    @Test
    void nobodyToForwardToIsSaid() {
        assertFalse(SingleInstance.forward(data, new SingleInstance.Request(Optional.empty())));
    }
}
