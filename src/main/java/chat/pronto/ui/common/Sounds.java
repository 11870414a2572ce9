package chat.pronto.ui.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The desktop's own "new message" sound (freedesktop sound theme), played by whichever player the
 * desktop has: canberra-gtk-play, else paplay. Nothing happens where neither exists.
 */
public final class Sounds {
    private static final Path MESSAGE = Path.of("/usr/share/sounds/freedesktop/stereo/message-new-instant.oga");

    private Sounds() {
    }

    public static void newMessage() {
        List<List<String>> players = List.of(
                List.of("canberra-gtk-play", "--id=message-new-instant", "--description=Pronto"),
                List.of("paplay", MESSAGE.toString()));
        Thread player = new Thread(() -> {
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
        }, "pronto-sound");
        player.setDaemon(true);
        player.start();
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
