package chat.pronto.model;

/**
 * What happens to files people send.
 *
 * @param downloadFolder  where accepted files go; empty: the desktop's download folder, in {@code Pronto/}
 * @param autoAccept      files from people whose key is pinned, over an encrypted connection, are taken
 *                        without asking (up to {@code autoAcceptMaxBytes})
 * @param autoAcceptMaxBytes larger files are asked about anyway
 */
public record FilePolicy(String downloadFolder, boolean autoAccept, long autoAcceptMaxBytes) {
    public static final long DEFAULT_AUTO_ACCEPT_MAX_BYTES = 100L * 1024 * 1024;

    public FilePolicy {
        downloadFolder = downloadFolder == null ? "" : downloadFolder.strip();
        if (autoAcceptMaxBytes < 0) {
            throw new IllegalArgumentException("a size cap is never negative");
        }
    }

    /** Ask about every file; the standard download folder. */
    public static FilePolicy defaults() {
        return new FilePolicy("", false, DEFAULT_AUTO_ACCEPT_MAX_BYTES);
    }
}
