package chat.pronto.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.Avahi;
import chat.pronto.lab.Finch;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Real processes on a lab link with real mDNS: two Pronto instances (the app in terminal mode), and
 * Pronto with Pidgin's finch, chatting both ways whoever opens the stream.
 */
class ChatLabIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private NetnsLab lab;
    private Finch finch;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
    }

    @AfterEach
    void stopLab() throws Exception {
        if (finch != null) {
            finch.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private ProntoProcess pronto(int host, String name) throws Exception {
        NetnsLab.Host where = lab.host(host);
        return ProntoProcess.start(lab, where, Main.class, List.of("--console", "--name", name, "--interface", where.address(),
                "--bind", where.address(), "--port", "5299", "--data-dir", where.directory().resolve("pronto").toString(),
                "--nick", name.substring(0, name.indexOf('@'))));
    }

    @Test
    void twoProntoProcessesFindEachOtherAndChatOverAnEncryptedStream() throws Exception {
        ProntoProcess alice = pronto(0, "alice@hosta");
        ProntoProcess bob = pronto(1, "bob@hostb");
        await().atMost(WAIT).until(() -> alice.output().contains("~ bob@hostb (bob) AVAILABLE"));
        await().atMost(WAIT).until(() -> bob.output().contains("~ alice@hosta (alice) AVAILABLE"));

        alice.tell("msg bob@hostb hello from alice");
        await().atMost(WAIT).until(() -> bob.output().contains("< alice@hosta: hello from alice"));
        await().atMost(WAIT).until(() -> alice.output().matches("(?s).*delivered bob@hostb pronto-.*"));
        bob.tell("msg alice@hosta hello from bob");
        await().atMost(WAIT).until(() -> alice.output().contains("< bob@hostb: hello from bob"));
        await().atMost(WAIT).until(() -> bob.output().matches("(?s).*delivered alice@hosta pronto-.*"));
        await().atMost(WAIT).until(() -> alice.output().contains("link=ENCRYPTED"));
    }

    /**
     * A link with nothing but IPv6 link-local addresses: mDNS over IPv6, the peer's address with its
     * scope id, the stream dialed there, and the chat over it.
     */
    @Test
    void twoProntoProcessesChatOverAnIpv6LinkLocalOnlyLink() throws Exception {
        lab.close();
        lab = NetnsLab.twoHostsLinkLocalOnly();
        ProntoProcess alice = ipv6Only(0, "alice@hosta");
        ProntoProcess bob = ipv6Only(1, "bob@hostb");
        await().atMost(WAIT).until(() -> alice.output().contains("~ bob@hostb (bob) AVAILABLE"));
        await().atMost(WAIT).until(() -> bob.output().contains("~ alice@hosta (alice) AVAILABLE"));

        alice.tell("msg bob@hostb hello over IPv6");
        await().atMost(WAIT).until(() -> bob.output().contains("< alice@hosta: hello over IPv6"));
        await().atMost(WAIT).until(() -> alice.output().matches("(?s).*delivered bob@hostb pronto-.*"));
        await().atMost(WAIT).until(() -> alice.output().contains("link=ENCRYPTED"));
    }

    /** Pronto as a user runs it on such a link: the interface named, everything else as it comes. */
    private ProntoProcess ipv6Only(int host, String name) throws Exception {
        NetnsLab.Host where = lab.host(host);
        return ProntoProcess.start(lab, where, Main.class, List.of("--console", "--name", name, "--interface",
                where.device(), "--data-dir", where.directory().resolve("pronto").toString(),
                "--nick", name.substring(0, name.indexOf('@'))));
    }

    @Test
    void prontoAndFinchChatBothWaysOverTheStreamProntoOpened() throws Exception {
        assumeFinch();
        ProntoProcess alice = prontoThenFinch();

        alice.tell("msg bob@hostb hi finch, from pronto");
        finchShows("hi finch, from pronto");
        await().atMost(WAIT).until(() -> alice.output().matches("(?s).*sent bob@hostb pronto-.*"));
        await().atMost(WAIT).until(() -> alice.output().contains("link=LEGACY"));

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> finch.sendIm("alice@hosta",
                "hi pronto, from finch").contains("sent"));
        await().atMost(WAIT).until(() -> alice.output().contains("< bob@hostb: hi pronto, from finch"));
        assertFalse(alice.output().contains("< bob@hostb: hi pronto, from finch\n< bob@hostb: hi pronto, from finch"),
                "finch's XHTML copy is not a second message");
    }

    @Test
    void prontoAndFinchChatBothWaysOverTheStreamFinchOpened() throws Exception {
        assumeFinch();
        ProntoProcess alice = prontoThenFinch();

        // libpurple needs a moment after login before it takes D-Bus commands: retry until it does.
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> finch.sendIm("alice@hosta",
                "finch dials first").contains("sent"));
        await().atMost(WAIT).until(() -> alice.output().contains("< bob@hostb: finch dials first"));

        alice.tell("msg bob@hostb and pronto answers");
        finchShows("and pronto answers");
        await().atMost(WAIT).until(() -> alice.output().matches("(?s).*sent bob@hostb pronto-.*"));

        // A stanza typed by hand in the terminal's debug console reaches finch's screen too.
        alice.tell("send bob@hostb <message type='chat'><body>typed by hand, raw</body></message>");
        await().atMost(WAIT).until(() -> alice.output().contains("* sent to bob@hostb"));
        finchShows("typed by hand, raw");
    }

    /** Waits until finch's screen shows {@code text}; says what it showed instead when it does not. */
    private void finchShows(String text) throws Exception {
        try {
            // A new conversation opens behind the buddy list: cycle through finch's windows like a user.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(700)).until(() -> {
                if (finch.screen().contains(text)) {
                    return true;
                }
                finch.nextWindow();
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("finch never showed \"" + text + "\"; its screen:\n" + finch.screen(), e);
        }
    }

    private void assumeFinch() {
        assumeTrue(Avahi.installed() && Finch.installed(), "needs avahi, dbus, finch and tmux (.ci/run installs them)");
        assumeTrue(Finch.remoteInstalled(), "needs python3-dbus and libpurple-bin (.ci/run installs them)");
    }

    /** Pronto first, finch once Pronto has announced itself (see FinchInteropIT on the start-time race). */
    private ProntoProcess prontoThenFinch() throws Exception {
        Avahi avahi = Avahi.start(lab, lab.host(1), "hostb");
        ProntoProcess alice = pronto(0, "alice@hosta");
        await().atMost(WAIT).until(() -> alice.output().contains("Pronto is listening as alice@hosta"));
        finch = Finch.start(lab, lab.host(1), avahi, "bob@hostb", "Bob", "Builder", 5298);
        await().atMost(WAIT).until(() -> alice.output().contains("~ bob@hostb (Bob Builder)"));
        return alice;
    }
}
