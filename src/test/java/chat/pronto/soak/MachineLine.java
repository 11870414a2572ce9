package chat.pronto.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * One line Pronto prints with {@code --machine}: a keyword, then tab-separated fields in which a tab,
 * line break or backslash is escaped (see {@code chat.pronto.cli.MachineLines}). Lines that are not
 * in that form (the start-up banner) come back with the whole line as the keyword and no fields.
 */
record MachineLine(String keyword, List<String> fields) {
    static MachineLine read(String line) {
        String[] parts = line.split("\t", -1);
        List<String> fields = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            fields.add(unescape(parts[i]));
        }
        return new MachineLine(parts[0], List.copyOf(fields));
    }

    /** Field {@code index} (0 is the first after the keyword), or "" when the line has fewer. */
    String field(int index) {
        return index < fields.size() ? fields.get(index) : "";
    }

    static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                text.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
