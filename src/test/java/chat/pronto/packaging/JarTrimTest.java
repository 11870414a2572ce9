package chat.pronto.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/JarTrim.java, which every installer's build runs on the jars it ships, run here the same
 * way on copies of the very jars the build copies: BouncyCastle's come out unsigned and not named as
 * providers, sqlite-jdbc's with this system's native library alone, and still working.
 */
class JarTrimTest {
    private static final String BC_CLASS = "org/bouncycastle/asn1/ASN1Object.class";

    @TempDir
    Path input;
    private Path bc;
    private Path sqlite;

    @BeforeEach
    void copyTheJarsAndTrimThem() throws Exception {
        bc = copy(org.bouncycastle.asn1.ASN1Object.class);
        sqlite = copy(org.sqlite.JDBC.class);
        assertTrue(signers(bc), "the published BouncyCastle jar is signed (else this test proves nothing)");

        String output = run(List.of(java(), "packaging/JarTrim.java", input.toString()));

        assertTrue(output.contains(bc.getFileName() + ": "), output);
        assertTrue(output.contains(sqlite.getFileName() + ": "), output);
    }

    @Test
    void bouncyCastleShipsUnsignedAndNotAsAProvider() throws IOException {
        try (JarFile jar = new JarFile(bc.toFile())) {
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertFalse(names.stream().anyMatch(name -> name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")), names.toString());
            assertFalse(names.contains("META-INF/services/java.security.Provider"));
            assertNotNull(jar.getEntry(BC_CLASS), "its classes are all there");
        }
        assertFalse(signers(bc), "the JVM sees no signature on its classes");
    }

    @Test
    void sqliteKeepsThisSystemsLibraryAloneAndStillWorks() throws Exception {
        String kept = "org/sqlite/native/Linux/" + arch() + "/";
        try (JarFile jar = new JarFile(sqlite.toFile())) {
            List<String> natives = jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("org/sqlite/native/") && !name.endsWith("/")).toList();
            assertEquals(List.of(kept + "libsqlitejdbc.so"), natives);
            assertNull(jar.getEntry("org/sqlite/native/Windows/"), "folders of other systems go too");
            assertNotNull(jar.getEntry("org/sqlite/JDBC.class"));
        }
        Path check = Files.writeString(input.resolve("Check.java"), """
                public class Check {
                    public static void main(String[] args) throws Exception {
                        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
                             var rows = connection.createStatement().executeQuery("select 6 * 7")) {
                            rows.next();
                            System.out.println("answer " + rows.getInt(1));
                        }
                    }
                }
                """);
        String output = run(List.of(java(), "-Djava.io.tmpdir=" + input, "-cp", sqlite.toString(), check.toString()));
        assertTrue(output.contains("answer 42"), output);
    }

    @Test
    void aJarWithoutThisSystemsLibraryStopsTheBuildAndLosesNothing() throws Exception {
        Path other = Files.createDirectory(input.resolve("other"));
        Path mac = Files.copy(published(org.sqlite.JDBC.class), other.resolve("sqlite-jdbc-mac.jar"));
        // Trimmed for a Mac first: only Mac/aarch64 is left in it; Linux's is then missing.
        run(List.of(java(), "-Dos.name=Mac OS X", "-Dos.arch=aarch64", "packaging/JarTrim.java", other.toString()));

        Process again = new ProcessBuilder(java(), "packaging/JarTrim.java", other.toString())
                .redirectErrorStream(true).start();
        String output = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(again.waitFor(60, TimeUnit.SECONDS), "ended");

        assertTrue(again.exitValue() != 0, "it fails: " + output);
        assertTrue(output.contains("has no native library in org/sqlite/native/Linux/"), output);
        try (JarFile jar = new JarFile(mac.toFile())) {
            assertNotNull(jar.getEntry("org/sqlite/native/Mac/aarch64/libsqlitejdbc.dylib"), "the Mac's is still there");
        }
    }

    private Path copy(Class<?> type) throws IOException, URISyntaxException {
        Path jar = published(type);
        return Files.copy(jar, input.resolve(jar.getFileName()));
    }

    /** The jar {@code type} comes from, as Maven has it (and the build copies it). */
    private static Path published(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Whether reading a class of the jar with verification on finds who signed it. */
    private static boolean signers(Path path) throws IOException {
        try (JarFile jar = new JarFile(path.toFile(), true)) {
            JarEntry entry = jar.getJarEntry(BC_CLASS);
            try (InputStream in = jar.getInputStream(entry)) {
                in.readAllBytes(); // signers are known once the entry has been read to its end
            }
            return entry.getCodeSigners() != null;
        }
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ended");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
