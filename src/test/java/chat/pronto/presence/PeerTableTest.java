package chat.pronto.presence;

import static chat.pronto.presence.TxtRecordTest.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

class PeerTableTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");
    private final PeerTable table = new PeerTable();

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static TxtRecord txt(String... strings) {
        return TxtRecord.decode(wire(strings));
    }

    /** Made-up peers with addresses look real; they cannot grow the table without bound. */
    @Test
    void holdsAtMostItsLimitOfPeersAndKeepsServingThoseItHas() throws Exception {
        for (int i = 0; i < PeerTable.MAX_PEERS + 500; i++) {
            table.resolved(PeerId.of("fake" + i + "@flood"), "eth0", txt("txtvers=1"), List.of(address("10.9.0.1")), 5298);
        }
        assertEquals(PeerTable.MAX_PEERS, table.adverts().size());

        PeerId known = PeerId.of("fake7@flood");
        PeerEvent changed = table.resolved(known, "eth0", txt("txtvers=1", "status=away"), List.of(address("10.9.0.1")),
                5298).orElseThrow();
        assertInstanceOf(PeerEvent.Updated.class, changed, "a peer it holds still changes");
        table.gone(known);
        assertInstanceOf(PeerEvent.Appeared.class, table.resolved(BOB, "eth0", txt("txtvers=1"),
                List.of(address("10.0.0.2")), 5298).orElseThrow(), "a place that frees up is taken again");
    }

    @Test
    void aPeerOnTwoInterfacesAndBothFamiliesIsOnePeerWithIpv4First() throws Exception {
        PeerEvent first = table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(address("fe80::1")), 5298).orElseThrow();
        PeerEvent second = table.resolved(BOB, "wlan0", txt("txtvers=1"), List.of(address("10.0.0.2")), 5298)
                .orElseThrow();

        assertInstanceOf(PeerEvent.Appeared.class, first);
        PeerEvent.Updated updated = assertInstanceOf(PeerEvent.Updated.class, second);
        assertEquals(List.of(address("10.0.0.2"), address("fe80::1")), updated.advert().addresses());
        assertEquals(1, table.adverts().size());
    }

    @Test
    void aPeerWithoutTxtDataAppearsWithTheDefaultsOnceSettled() throws Exception {
        assertEquals(Optional.empty(), table.resolved(BOB, "eth0", txt(), List.of(address("10.0.0.2")), 5298),
                "its TXT record may still be on its way");

        PeerEvent event = table.settle(BOB).orElseThrow();

        PeerAdvert advert = assertInstanceOf(PeerEvent.Appeared.class, event).advert();
        assertEquals(Status.AVAILABLE, advert.status());
        assertEquals("", advert.message());
        assertEquals("bob@hostb", advert.displayName());
        assertEquals(5298, advert.port());
        assertEquals(List.of(advert), table.adverts());
    }

    @Test
    void theRealTxtThatFollowsTheEmptyResolutionJmdnsMakesFirstIsWhatAppears() throws Exception {
        table.resolved(BOB, "eth0", txt(), List.of(address("10.0.0.2")), 5298);

        PeerEvent real = table.resolved(BOB, "eth0", txt("txtvers=1", "status=away", "nick=Bob"),
                List.of(address("10.0.0.2")), 5298).orElseThrow();

        PeerAdvert advert = assertInstanceOf(PeerEvent.Appeared.class, real).advert();
        assertEquals(Status.AWAY, advert.status());
        assertEquals("Bob", advert.displayName());
        assertEquals(Optional.empty(), table.settle(BOB));
    }

    @Test
    void theRealTxtArrivingAfterTheDefaultsUpdatesThePeer() throws Exception {
        table.resolved(BOB, "eth0", txt(), List.of(address("10.0.0.2")), 5298);
        table.settle(BOB).orElseThrow();

        PeerEvent real = table.resolved(BOB, "eth0", txt("txtvers=1", "nick=Bob"), List.of(address("10.0.0.2")), 5298)
                .orElseThrow();

        assertEquals("Bob", assertInstanceOf(PeerEvent.Updated.class, real).advert().displayName());
    }

    @Test
    void anEmptyResolutionNeverOverwritesKnownTxt() throws Exception {
        table.resolved(BOB, "eth0", txt("txtvers=1", "status=dnd", "msg=busy"), List.of(address("10.0.0.2")), 5298);

        assertEquals(Optional.empty(), table.resolved(BOB, "eth0", txt(), List.of(address("10.0.0.2")), 5298));
        // Another interface that has only resolved the name so far, with a new address: TXT still known.
        PeerEvent other = table.resolved(BOB, "wlan0", txt(), List.of(address("192.168.1.2")), 5298).orElseThrow();
        PeerAdvert advert = assertInstanceOf(PeerEvent.Updated.class, other).advert();
        assertEquals(Status.DO_NOT_DISTURB, advert.status());
        assertEquals("busy", advert.message());
        assertEquals(Set.of(address("10.0.0.2"), address("192.168.1.2")), Set.copyOf(advert.addresses()));
    }

    @Test
    void ignoresResolutionsWithNothingToConnectTo() throws Exception {
        assertEquals(Optional.empty(), table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(), 5298));
        assertEquals(Optional.empty(), table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(address("10.0.0.2")), 0));
        assertEquals(List.of(), table.adverts());
    }

    @Test
    void reportsAStatusChangeOnceAndARepeatNotAtAll() throws Exception {
        table.resolved(BOB, "eth0", txt("status=avail"), List.of(address("10.0.0.2")), 5298);

        PeerEvent change = table.resolved(BOB, "eth0", txt("status=away"), List.of(address("10.0.0.2")), 5298)
                .orElseThrow();
        assertEquals(Status.AWAY, assertInstanceOf(PeerEvent.Updated.class, change).advert().status());
        assertEquals(Optional.empty(),
                table.resolved(BOB, "eth0", txt("status=away"), List.of(address("10.0.0.2")), 5298));
    }

    @Test
    void vanishesOnlyWhenGoneFromEveryInterface() throws Exception {
        table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(address("10.0.0.2")), 5298);
        table.resolved(BOB, "wlan0", txt("txtvers=1"), List.of(address("192.168.1.2")), 5298);

        assertInstanceOf(PeerEvent.Updated.class, table.removed(BOB, "eth0").orElseThrow());
        assertEquals(new PeerEvent.Vanished(BOB), table.removed(BOB, "wlan0").orElseThrow());
        assertEquals(Optional.empty(), table.removed(BOB, "wlan0"));
    }

    @Test
    void aDeadStreamMakesThePeerVanishAtOnceAndTheNextResolutionBringsItBack() throws Exception {
        table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(address("10.0.0.2")), 5298);

        assertEquals(new PeerEvent.Vanished(BOB), table.gone(BOB).orElseThrow());
        assertInstanceOf(PeerEvent.Appeared.class,
                table.resolved(BOB, "eth0", txt("txtvers=1"), List.of(address("10.0.0.2")), 5298).orElseThrow());
    }
}
