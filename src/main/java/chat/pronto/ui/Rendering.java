package chat.pronto.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How JavaFX draws on this machine, chosen before its toolkit starts. JavaFX tries OpenGL (its ES2
 * pipeline) first; on Linux without a graphics device Mesa can offer only a software OpenGL
 * (llvmpipe), which JavaFX refuses after loading it, and it then draws in software anyway. Loading
 * Mesa's llvmpipe to refuse it mapped 43 MB of LLVM, about a third of the window's memory at its first
 * frame (README, Start-up). Where no device is there, JavaFX is told to draw in software at once.
 *
 * <p>The package's launcher makes the same check for GTK's own OpenGL probe ({@code GDK_GL=disable},
 * which only an environment variable can switch off, so only a launcher can: see
 * {@code packaging/linux/launcher.sh}). A {@code prism.order} given by the user always wins.
 */
public final class Rendering {
    /** JavaFX's property for the order in which it tries its pipelines. */
    static final String PIPELINE_ORDER = "prism.order";
    /** Mesa's hardware drivers open a DRM node under {@code /dev/dri}; NVIDIA's own driver {@code /dev/nvidiactl}. */
    private static final List<String> DEVICES = List.of("dri", "nvidiactl");
    /** Libraries that only an OpenGL set-up maps; the self-test names any it finds. */
    private static final List<String> GL_LIBRARIES = List.of("libLLVM", "_dri.so", "libGLX_mesa", "libGL.so");

    private Rendering() {
    }

    /** Call before JavaFX's toolkit starts (any thread); later it changes nothing. */
    static void chooseForThisMachine() {
        pipelineOrder(System.getProperty("os.name", ""), Path.of("/dev"), System.getProperty(PIPELINE_ORDER))
                .ifPresent(order -> System.setProperty(PIPELINE_ORDER, order));
    }

    /**
     * The pipeline order to set: "sw" on Linux when no graphics device is there and the user chose no
     * order; otherwise nothing (JavaFX's own choice: OpenGL first, software if that fails).
     */
    static Optional<String> pipelineOrder(String osName, Path devices, String chosenByUser) {
        if (chosenByUser != null || !osName.toLowerCase(Locale.ROOT).startsWith("linux")
                || graphicsDevicePresent(devices)) {
            return Optional.empty();
        }
        return Optional.of("sw");
    }

    /** Whether {@code devices} (normally {@code /dev}) has a node a hardware OpenGL driver could use. */
    static boolean graphicsDevicePresent(Path devices) {
        for (String device : DEVICES) {
            Path path = devices.resolve(device);
            if (Files.isDirectory(path)) {
                try (Stream<Path> nodes = Files.list(path)) {
                    if (nodes.findAny().isPresent()) {
                        return true;
                    }
                } catch (IOException e) {
                    return true; // cannot tell: leave JavaFX its own choice
                }
            } else if (Files.exists(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line for {@code --self-test}: whether a graphics device is there, the pipeline order and the
     * OpenGL libraries this process has mapped (CI expects none where there is no device).
     */
    static String describe() {
        String order = System.getProperty(PIPELINE_ORDER);
        String gdk = System.getenv("GDK_GL");
        return "graphics device: " + (graphicsDevicePresent(Path.of("/dev")) ? "found" : "none")
                + "; drawing: " + (order == null ? "JavaFX's choice (OpenGL, else software)" : "prism.order=" + order)
                + (gdk == null ? "" : ", GDK_GL=" + gdk)
                + "; OpenGL libraries mapped: " + mappedGlLibraries(Path.of("/proc/self/maps"))
                .map(names -> names.isEmpty() ? "none" : String.join(" ", names)).orElse("unknown");
    }

    /** The OpenGL libraries named in a {@code /proc/PID/maps} file, or empty if it cannot be read. */
    static Optional<TreeSet<String>> mappedGlLibraries(Path maps) {
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.UTF_8)) {
            TreeSet<String> found = new TreeSet<>();
            lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .map(path -> path.substring(path.lastIndexOf('/') + 1))
                    .filter(name -> GL_LIBRARIES.stream().anyMatch(name::contains))
                    .forEach(found::add);
            return Optional.of(found);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
