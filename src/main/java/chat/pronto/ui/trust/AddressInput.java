package chat.pronto.ui.trust;

import java.util.Optional;

import chat.pronto.model.HostPort;
import chat.pronto.model.InviteLink;

/**
 * What was typed in "Add someone": an address ({@code HOST[:PORT]}) or a pasted invite link (it starts
 * with {@code xmpp:}), and what is wrong with it, in the model's own words.
 *
 * @param problem why it cannot be used; empty when it can
 */
record AddressInput(String text, boolean invite, Optional<String> problem) {
    static AddressInput read(String typed) {
        String text = typed == null ? "" : typed.strip();
        boolean invite = text.regionMatches(true, 0, "xmpp:", 0, 5);
        try {
            if (invite) {
                InviteLink.parse(text);
            } else {
                HostPort.parse(text);
            }
            return new AddressInput(text, invite, Optional.empty());
        } catch (IllegalArgumentException wrong) {
            return new AddressInput(text, invite, Optional.of(capitalised(wrong.getMessage())));
        }
    }

    boolean usable() {
        return problem.isEmpty();
    }

    private static String capitalised(String reason) {
        return reason == null || reason.isEmpty() ? "That is not an address."
                : Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + (reason.endsWith(".") ? "" : ".");
    }
}
