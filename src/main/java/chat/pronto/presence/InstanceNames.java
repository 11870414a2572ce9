package chat.pronto.presence;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

import chat.pronto.model.PeerId;

/**
 * Our own instance name, {@code username@machine} (XEP-0174 §3.1): made from the login and host
 * names, and renamed {@code username-1@machine}, {@code -2}… when another host already has it.
 */
public final class InstanceNames {
    /** A DNS label holds 63 bytes (RFC 6763 §4.1.1). */
    private static final int MAX_LABEL_BYTES = 63;
    /** Leaves room in the label for a user name and a conflict suffix. */
    private static final int MAX_MACHINE = 40;

    private InstanceNames() {
    }

    /**
     * The login name without what a JID localpart forbids (RFC 7622: {@code " & ' / : < > @} and
     * spaces), lower case; the host name cut at its first dot and reduced to ASCII letters, digits
     * and hyphens. Either falls back to a plain word when nothing is left.
     */
    public static PeerId fromLoginAndHost(String login, String host) {
        String user = (login == null ? "" : login).strip().toLowerCase(Locale.ROOT)
                .replaceAll("[\\s\"&'/:<>@]+", "-").replaceAll("^-+|-+$", "");
        String machine = Normalizer.normalize(host == null ? "" : host, Normalizer.Form.NFKD)
                .split("\\.", 2)[0].toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (machine.length() > MAX_MACHINE) {
            machine = machine.substring(0, MAX_MACHINE);
        }
        return compose(user.isEmpty() ? "user" : user, machine.isEmpty() ? "machine" : machine, "");
    }

    /** The name to try after {@code attempt} conflicts: {@code user-<attempt>@machine}. */
    public static PeerId afterConflict(PeerId base, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1");
        }
        return compose(base.user(), base.machine(), "-" + attempt);
    }

    /**
     * The mDNS host name Pronto claims for {@code name} (without {@code .local.}): its machine part
     * and four random hex digits, so that two hosts that want the same instance name never also
     * want the same host name.
     */
    static String hostLabel(PeerId name, java.util.Random random) {
        String machine = name.machine().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (machine.length() > MAX_MACHINE) {
            machine = machine.substring(0, MAX_MACHINE);
        }
        return (machine.isEmpty() ? "pronto" : machine) + "-" + String.format(Locale.ROOT, "%04x", random.nextInt(0x10000));
    }

    private static PeerId compose(String user, String machine, String suffix) {
        String tail = suffix + "@" + machine;
        String shortened = user;
        while (!shortened.isEmpty()
                && (shortened + tail).getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            shortened = shortened.substring(0, shortened.offsetByCodePoints(shortened.length(), -1));
        }
        return PeerId.of((shortened.isEmpty() ? "u" : shortened) + tail);
    }
}
