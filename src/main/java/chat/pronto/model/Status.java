package chat.pronto.model;

import java.util.Locale;

/** What a peer says about its availability (XEP-0174 TXT {@code status}). */
public enum Status {
    AVAILABLE("avail"),
    AWAY("away"),
    DO_NOT_DISTURB("dnd");

    private final String txtValue;

    Status(String txtValue) {
        this.txtValue = txtValue;
    }

    /** The value we publish in the TXT record. */
    public String txtValue() {
        return txtValue;
    }

    /**
     * Reads what others publish, never failing: missing means available (XEP-0174); {@code xa} and
     * {@code away}-like values mean away; {@code dnd} and {@code busy} mean do not disturb; {@code chat}
     * and anything unknown mean available, since the peer is there to be talked to.
     */
    public static Status fromTxt(String value) {
        if (value == null) {
            return AVAILABLE;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "away", "xa", "idle", "extended-away" -> AWAY;
            case "dnd", "busy" -> DO_NOT_DISTURB;
            default -> AVAILABLE;
        };
    }
}
