package chat.pronto.ui.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import chat.pronto.model.InviteLink;
import chat.pronto.model.PeerId;

class AddressInputTest {
    @Test
    void anAddressWithOrWithoutAPortIsUsable() {
        assertTrue(AddressInput.read("192.168.1.20").usable());
        assertTrue(AddressInput.read(" laptop.local:5298 ").usable());
        assertTrue(AddressInput.read("[fd00::5]:5298").usable());
        assertFalse(AddressInput.read("laptop.local").invite());
    }

    @Test
    void aWrongAddressSaysWhyInTheModelsWordsAsASentence() {
        assertEquals(Optional.of("The port must be a number, not \"http\"."), AddressInput.read("host:http").problem());
        assertEquals(Optional.of("Not a host name or address: bad_host."), AddressInput.read("bad_host").problem());
    }

    @Test
    void textStartingWithXmppIsReadAsAnInviteLink() {
        String link = new InviteLink(PeerId.of("carol@garden"), "ab".repeat(32), 5298, List.of("10.0.0.7")).format();
        AddressInput input = AddressInput.read(link);
        assertTrue(input.invite());
        assertTrue(input.usable());
        assertTrue(AddressInput.read("XMPP:carol@garden?pronto;v=1").invite());
        assertEquals(Optional.of("The link carries no key fingerprint (fp=)."),
                AddressInput.read("xmpp:carol@garden?pronto;v=1").problem());
    }
}
