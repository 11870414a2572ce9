package chat.pronto.presence;

import static chat.pronto.presence.TxtRecordTest.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import chat.pronto.model.Capabilities;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

class AdvertsTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");
    private static final List<InetAddress> ADDRESSES = List.of(InetAddress.getLoopbackAddress());

    private static PeerAdvert read(String... strings) {
        return Adverts.read(BOB, TxtRecord.decode(wire(strings)), ADDRESSES, 5298);
    }

    @Test
    void publishesTxtversFirstAndThePortTwice() {
        OwnPresence own = OwnPresence.available("Alice").withStatus(Status.AWAY, "lunch");

        TxtRecord txt = TxtRecord.decode(Adverts.txtFor(own, 41234));

        assertEquals("txtvers", txt.keys().get(0));
        assertEquals(Optional.of("41234"), txt.get("port.p2pj"));
        assertEquals(Optional.of("away"), txt.get("status"));
        assertEquals(Optional.of("lunch"), txt.get("msg"));
        assertEquals(Optional.of("Alice"), txt.get("nick"));
    }

    @Test
    void publishesNoNamesOrAddressesTheUserWithholds() {
        TxtRecord txt = TxtRecord.decode(Adverts.txtFor(OwnPresence.available("A"), 1));

        for (String withheld : List.of("1st", "last", "email", "jid", "msg", "node")) {
            assertFalse(txt.has(withheld), withheld);
        }
    }

    @Test
    void publishesCapabilitiesWhenTheSessionLayerHasThem() {
        OwnPresence own = OwnPresence.available("A")
                .withCapabilities(new Capabilities("https://pronto.chat", "sha-1", "QgayPKawpkPSDYmwT/WM94uAlu0="));

        TxtRecord txt = TxtRecord.decode(Adverts.txtFor(own, 1));

        assertEquals(Optional.of("sha-1"), txt.get("hash"));
        assertEquals(Optional.of("QgayPKawpkPSDYmwT/WM94uAlu0="), txt.get("ver"));
    }

    @Test
    void readsAnAdvertWithNoKeysAtAll() {
        PeerAdvert advert = read();

        assertEquals(Status.AVAILABLE, advert.status());
        assertEquals("", advert.message());
        assertEquals("bob@hostb", advert.displayName());
        assertEquals(Optional.empty(), advert.capabilities());
    }

    @ParameterizedTest(name = "status={0} → {1}")
    @CsvSource({"avail,AVAILABLE", "away,AWAY", "dnd,DO_NOT_DISTURB", "xa,AWAY", "chat,AVAILABLE",
        "AWAY,AWAY", "busy,DO_NOT_DISTURB", "¿garbage?,AVAILABLE", "'',AVAILABLE"})
    void mapsEveryStatusValueSensibly(String published, Status shown) {
        assertEquals(shown, read("status=" + published).status());
    }

    @Test
    void showsPidginsAwayWhichItPublishesAsDndAsAway() {
        PeerAdvert finch = read("1st=Bob", "last=Builder", "port.p2pj=5298", "status=dnd", "node=libpurple",
                "ver=2.14.12", "txtvers=1");

        assertEquals(Status.AWAY, finch.status());
        assertEquals("Bob Builder", finch.displayName());
        assertFalse(finch.capabilities().orElseThrow().isHash(), "libpurple's ver is a version, not a caps hash");
    }

    @Test
    void prefersNickThenFirstAndLastThenTheInstanceName() {
        assertEquals("Bobby", read("nick=Bobby", "1st=Bob").displayName());
        assertEquals("Bob", read("1st=Bob").displayName());
        assertEquals("Builder", read("last=Builder").displayName());
        assertEquals("bob@hostb", read("nick=  ").displayName());
    }

    @Test
    void keepsOddButHarmlessValues() {
        PeerAdvert advert = read("email=a@b c@d", "jid=bob@example.org", "msg=" + "m".repeat(300));

        assertEquals("a@b c@d", advert.email());
        assertTrue(advert.message().length() <= 255);
    }
}
