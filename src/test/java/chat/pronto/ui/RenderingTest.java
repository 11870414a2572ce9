package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavaFX draws in software at once where no graphics device is there, and only there; the user's choice wins. */
class RenderingTest {
    @TempDir
    Path devices;

    @Test
    void noGraphicsDeviceOnLinuxMeansSoftwareAtOnce() throws IOException {
        assertEquals(Optional.of("sw"), Rendering.pipelineOrder("Linux", devices, null));
        Files.createDirectory(devices.resolve("dri")); // the folder alone, no node in it: still nothing to use
        assertEquals(Optional.of("sw"), Rendering.pipelineOrder("Linux", devices, null));
    }

    @Test
    void aDrmNodeOrNvidiasDriverLeavesJavaFxItsOwnChoice(@TempDir Path nvidia) throws IOException {
        Files.createFile(Files.createDirectory(devices.resolve("dri")).resolve("renderD128"));
        assertEquals(Optional.empty(), Rendering.pipelineOrder("Linux", devices, null));

        Files.createFile(nvidia.resolve("nvidiactl"));
        assertEquals(Optional.empty(), Rendering.pipelineOrder("Linux", nvidia, null));
    }

    @Test
    void theUsersOrderAndOtherSystemsAreLeftAlone() {
        assertEquals(Optional.empty(), Rendering.pipelineOrder("Linux", devices, "es2,sw"));
        assertEquals(Optional.empty(), Rendering.pipelineOrder("Mac OS X", devices, null));
        assertEquals(Optional.empty(), Rendering.pipelineOrder("Windows 11", devices, null));
    }

    @Test
    void theSelfTestNamesTheOpenGlLibrariesAProcessHasMapped() throws IOException {
        Path maps = devices.resolve("maps");
        Files.write(maps, List.of(
                "7f2a10000000-7f2a12000000 r-xp 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
                "7f2a13000000-7f2a13100000 r-xp 00000000 fe:01 1235 /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
                "7f2a14000000-7f2a14100000 r-xp 00000000 fe:01 1236 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f2a15000000-7f2a15100000 rw-p 00000000 00:00 0 ",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]"), StandardCharsets.UTF_8);
        assertEquals(Optional.of(new TreeSet<>(List.of("libLLVM-15.so.1", "swrast_dri.so"))),
                Rendering.mappedGlLibraries(maps));
        assertEquals(Optional.empty(), Rendering.mappedGlLibraries(devices.resolve("missing")));
    }

    @Test
    void theLaunchersCheckForGtkAgreesWithJavaFxsOnThisMachine() throws Exception {
        // packaging/linux/launcher.sh writes bin/pronto from jpackage's configuration; a runtime that
        // prints GDK_GL stands in for the JVM, so the script's check runs exactly as installed.
        Path image = devices.resolve("image");
        Path app = Files.createDirectories(image.resolve("lib/app"));
        Path bin = Files.createDirectories(image.resolve("lib/runtime/bin"));
        Files.createDirectories(image.resolve("bin"));
        Files.writeString(app.resolve("pronto.cfg"), "[Application]\napp.classpath=$APPDIR/pronto.jar\n"
                + "app.mainclass=chat.pronto.app.Main\n\n[JavaOptions]\njava-options=-Xmx256m\n");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"GDK_GL=${GDK_GL-unset}\"\n");
        assertTrue(java.toFile().setExecutable(true));
        Process write = new ProcessBuilder("bash", "packaging/linux/launcher.sh", image.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, write.waitFor(), new String(write.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        String expected = Rendering.graphicsDevicePresent(Path.of("/dev")) ? "GDK_GL=unset" : "GDK_GL=disable";
        assertEquals(expected, launch(image, null));
        assertEquals("GDK_GL=always", launch(image, "always"), "a GDK_GL the user set is kept");
    }

    private static String launch(Path image, String gdkGl) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/pronto").toString()).redirectErrorStream(true);
        builder.environment().remove("GDK_GL");
        if (gdkGl != null) {
            builder.environment().put("GDK_GL", gdkGl);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
