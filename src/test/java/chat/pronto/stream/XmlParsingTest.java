package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.jivesoftware.smack.xml.SmackXmlParser;
import org.junit.jupiter.api.Test;

class XmlParsingTest {
    /** Found by the soak: parsers made on two stream threads at once failed now and then. */
    @Test
    void parsersAreMadeOnManyThreadsAtOnceWithoutFail() throws Exception {
        XmlParsing.ready();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        SmackXmlParser.newXmlParser(new StringReader("<presence/>"));
                    }
                } catch (Exception | Error e) {
                    failures.incrementAndGet();
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, failures.get(), "threads whose parsers failed");
    }
}
