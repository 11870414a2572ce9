package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerId;

class InstanceNamesTest {
    @Test
    void makesUserAtMachineFromTheLoginAndTheShortHostName() {
        assertEquals(PeerId.of("alice@laptop"), InstanceNames.fromLoginAndHost("alice", "laptop.example.org"));
    }

    @Test
    void removesWhatAnAddressCannotHold() {
        assertEquals(PeerId.of("jean-luc-o-brien@cafe-terrasse"),
                InstanceNames.fromLoginAndHost("Jean Luc O'Brien", "Café_Terrasse.local"));
        assertEquals(PeerId.of("user@machine"), InstanceNames.fromLoginAndHost(" @@ ", "..."));
    }

    @Test
    void keepsTheNameWithinOneDnsLabel() {
        PeerId name = InstanceNames.fromLoginAndHost("ü".repeat(80), "h".repeat(80));

        assertTrue(name.name().getBytes(StandardCharsets.UTF_8).length <= 63, name.name());
        assertTrue(name.name().endsWith("@" + "h".repeat(40)), name.name());
    }

    @Test
    void renamesAfterAConflictTheWayXep0174Says() {
        PeerId base = PeerId.of("alice@laptop");

        assertEquals(PeerId.of("alice-1@laptop"), InstanceNames.afterConflict(base, 1));
        assertEquals(PeerId.of("alice-2@laptop"), InstanceNames.afterConflict(base, 2));
    }

    @Test
    void takesOthersNamesAsTheyComeEvenInvalidOnes() {
        PeerId odd = PeerId.of("x@y (2)");

        assertEquals("x", odd.user());
        assertEquals("y (2)", odd.machine());
        assertEquals("", PeerId.of("noatsign").machine());
    }

    @Test
    void theHostNameIsTheMachineAndARandomTagSoTwoHostsWithOneInstanceNameNeverShareIt() {
        java.util.Random random = new java.util.Random(1);
        String first = InstanceNames.hostLabel(PeerId.of("alice@HostA"), random);
        String second = InstanceNames.hostLabel(PeerId.of("alice@HostA"), random);

        org.junit.jupiter.api.Assertions.assertTrue(first.matches("hosta-[0-9a-f]{4}"), first);
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
        org.junit.jupiter.api.Assertions.assertTrue(InstanceNames.hostLabel(PeerId.of("nobody"), random)
                .matches("pronto-[0-9a-f]{4}"));
    }
}
