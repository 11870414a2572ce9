package chat.pronto.ui.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The desktop's own "new message" sound (freedesktop sound theme), played by whichever player the
 * desktop has: canberra-gtk-play, else paplay. Nothing happens where neither exists.
 */
public final class Sounds {
    private static final Path MESSAGE = Path.of("/usr/share/sounds/freedesktop/stereo/message-new-instant.oga");
    /** A burst of messages chimes once rather than queueing a player per message. */
    private static final AtomicBoolean STARTING = new AtomicBoolean();

    private Sounds() {
    }

    /** Starts the player on {@code background} (looking for it and starting a process touch the disk). */
    public static void newMessage(Executor background) {
        if (!STARTING.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    play();
                } finally {
                    STARTING.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            STARTING.set(false); // the window is closing: no sound
        }
    }

    private static void play() {
        List<List<String>> players = List.of(
                List.of("canberra-gtk-play", "--id=message-new-instant", "--description=Pronto"),
                List.of("paplay", MESSAGE.toString()));
        for (List<String> command : players) {
            if (onPath(command.get(0)) && (command.get(0).equals("canberra-gtk-play") || Files.exists(MESSAGE))) {
                try {
                    new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                } catch (java.io.IOException ignored) {
                    continue; // try the next player
                }
                return;
            }
        }
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
