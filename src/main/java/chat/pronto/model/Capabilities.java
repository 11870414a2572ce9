package chat.pronto.model;

/**
 * XEP-0115 entity capabilities as published in TXT ({@code node}, {@code hash}, {@code ver}). A
 * {@code ver} without {@code hash} (Pidgin: {@code node=libpurple ver=2.14.12}) is a version string,
 * not a hash: {@link #isHash()} tells them apart.
 */
public record Capabilities(String node, String hash, String ver) {
    public boolean isHash() {
        return hash != null && !hash.isBlank() && ver != null && !ver.isBlank();
    }
}
