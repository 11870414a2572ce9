package chat.pronto.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InviteLinkTest {
    private static final String KEY = "0123456789abcdef".repeat(4);

    @Test
    void roundTripsANameWithSpacesAndUnicodeAndSeveralAddresses() {
        InviteLink link = new InviteLink(PeerId.of("zoë@Zoë's laptop (2)"), KEY.toUpperCase(), 5299,
                List.of("192.168.1.20", "fd00::20", "laptop.lan"));
        String text = link.format();
        assertEquals("xmpp:zo%C3%AB@Zo%C3%AB's%20laptop%20(2)?pronto;v=1;fp=" + KEY
                + ";port=5299;addr=192.168.1.20;addr=fd00::20;addr=laptop.lan", text);
        assertEquals(link, InviteLink.parse("  " + text + "\n"));
        assertEquals(KEY, link.fingerprint(), "stored as lower-case hex");
    }

    @Test
    void ignoresKeysOfLaterVersionsAndTakesAnyCaseOfTheScheme() {
        InviteLink link = InviteLink.parse("XMPP:bob@b?Pronto;v=1;fp=" + KEY + ";port=5298;addr=10.0.0.2;relay=x");
        assertEquals(PeerId.of("bob@b"), link.name());
        assertEquals(List.of("10.0.0.2"), link.addresses());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|paste a Pronto invite link (it starts with xmpp:)",
            "https://example.com|not an invite link: it must start with xmpp:",
            "xmpp://bob@b?pronto|an invite link names the person right after xmpp:, with no //",
            "xmpp:bob@b|this xmpp: link is an address, not a Pronto invite (no ?pronto part)",
            "xmpp:bob@b?message;body=hi|this xmpp: link asks for \"message\", not a Pronto invite",
            "xmpp:bob@b?pronto;fp=K;port=1;addr=a|the link has no version (v=1)",
            "xmpp:bob@b?pronto;v=2;fp=K;port=1;addr=a|the link is of version 2; this Pronto reads version 1",
            "xmpp:bob@b?pronto;v=1;port=1;addr=a|the link carries no key fingerprint (fp=)",
            "xmpp:bob@b?pronto;v=1;fp=abc;port=1;addr=a|the key fingerprint must be 64 hex digits (SHA-256)",
            "xmpp:bob@b?pronto;v=1;fp=K;addr=a|the link names no port (port=)",
            "xmpp:bob@b?pronto;v=1;fp=K;port=x;addr=a|the link's port is not a number: x",
            "xmpp:bob@b?pronto;v=1;fp=K;port=70000;addr=a|the port must be between 1 and 65535, not 70000",
            "xmpp:bob@b?pronto;v=1;fp=K;port=1|the link names no address to reach bob@b at",
            "xmpp:bob@b?pronto;v=1;fp=K;port=1;addr=bad_host|not a host name or address: bad_host",
            "xmpp:bob@b?pronto;v=1;v=1;fp=K;port=1;addr=a|the link gives v twice",
            "xmpp:bob@b?pronto;v=1;fp=K;port=1;addr|the link's part \"addr\" is not key=value",
            "xmpp:bob%2@b?pronto;v=1;fp=K;port=1;addr=a|the name has a % without two hex digits",
            "xmpp:bob%FF@b?pronto;v=1;fp=K;port=1;addr=a|the name is not valid UTF-8 once decoded",
            "xmpp:bob%0A@b?pronto;v=1;fp=K;port=1;addr=a|the link's name is empty, too long or holds control characters",
            "xmpp:bob b?pronto;v=1;fp=K;port=1;addr=a|the name holds a character that must be percent-encoded",
            "xmpp:?pronto;v=1;fp=K;port=1;addr=a|the link's name is empty, too long or holds control characters"})
    void refusesMalformedLinksWithAReason(String text, String reason) {
        String link = text.replace("fp=K", "fp=" + KEY);
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> InviteLink.parse(link)).getMessage());
    }

    @Test
    void refusesAGiganticLink() {
        String huge = "xmpp:a@b?pronto;v=1;fp=" + KEY + ";port=1" + ";addr=10.0.0.1".repeat(300);
        assertEquals("that is " + huge.length() + " characters long, too long for an invite link",
                assertThrows(IllegalArgumentException.class, () -> InviteLink.parse(huge)).getMessage());
        String many = "xmpp:a@b?pronto;v=1;fp=" + KEY + ";port=1" + ";addr=10.0.0.1".repeat(17);
        assertEquals("the link names 17 addresses; at most 16 are taken",
                assertThrows(IllegalArgumentException.class, () -> InviteLink.parse(many)).getMessage());
    }
}
