package chat.pronto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM's test files go when it ends, stay when a test failed in it, and a killed JVM's are removed by
 * the next one: each case runs a JVM of its own whose temporary folder is this test's.
 */
class ScratchTest {
    @TempDir
    Path temporary;

    @Test
    void aJvmThatEndsTakesItsFilesWithIt() throws Exception {
        Path file = Child.start(temporary, "end").fileOnceEnded();

        assertFalse(Files.exists(file), file + " is gone");
        assertEquals(List.of(), folders(), "nothing left in the temporary folder");
    }

    @Test
    void aJvmInWhichATestFailedKeepsItsFilesAndSaysWhere() throws Exception {
        Child child = Child.start(temporary, "keep");
        Path file = child.fileOnceEnded();

        assertTrue(Files.exists(file), file + " is kept");
        assertTrue(child.errors().contains("Test files kept in " + file.getParent().getParent()), child.errors());
        Child.start(temporary, "end").fileOnceEnded();
        assertTrue(Files.exists(file), "a later JVM leaves kept files alone");
    }

    @Test
    void theNextJvmRemovesWhatAKilledOneLeft() throws Exception {
        Child killed = Child.start(temporary, "wait");
        Path file = killed.file();
        killed.process.destroyForcibly().waitFor();
        assertTrue(Files.exists(file), "kill -9 runs no shutdown hook");

        Child next = Child.start(temporary, "wait");
        Path itsOwn = next.file();

        assertFalse(Files.exists(file.getParent().getParent()), "the killed JVM's folder is gone");
        assertTrue(Files.exists(itsOwn), "the next JVM's own files are there while it runs");
        next.process.destroyForcibly().waitFor();
    }

    @Test
    void aLinkNamedLikeALeftOverIsNeitherFollowedNorRemoved() throws Exception {
        Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"));
        Path precious = Files.writeString(elsewhere.resolve("precious"), "keep me");
        Path link = Files.createSymbolicLink(temporary.resolve("pronto-tests-2147483646-1"), elsewhere);

        Child.start(temporary, "end").fileOnceEnded();

        assertTrue(Files.exists(precious), "nothing behind the link was touched");
        assertTrue(Files.isSymbolicLink(link), "nor the link itself");
    }

    @Test
    void aJvmThatMadeNoFilesHasNothingToKeep() throws Exception {
        Child child = Child.start(temporary, "keep-without-files");

        assertTrue(child.ended(), "the child JVM ended");
        assertEquals(List.of(), folders(), "no folder made only to be kept");
    }

    @Test
    void aFolderOfARunningJvmOrWithoutAPidIsNotTakenForALeftOver() {
        assertEquals(Optional.of(4242L), Scratch.pidOf("pronto-tests-4242-123456789"));
        assertEquals(Optional.empty(), Scratch.pidOf("pronto-tests-abc-1"));
    }

    private List<Path> folders() throws IOException {
        try (var list = Files.list(temporary)) {
            return list.toList();
        }
    }

    /** A JVM that makes one test file, says where, and then ends, asks to keep it, or waits to be killed. */
    private record Child(Process process, BufferedReader out) {
        static Child start(Path temporary, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Djava.io.tmpdir=" + temporary, "-cp",
                    System.getProperty("java.class.path"), ChildMain.class.getName(), mode).start();
            return new Child(process, new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)));
        }

        Path file() throws IOException {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("made "), "the child says what it made: " + line);
            return Path.of(line.substring("made ".length()));
        }

        /** The file it made, once it has ended well. */
        Path fileOnceEnded() throws IOException, InterruptedException {
            Path file = file();
            assertTrue(ended(), "the child JVM ended");
            return file;
        }

        boolean ended() throws InterruptedException {
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        }

        String errors() throws IOException {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static final class ChildMain {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("keep-without-files")) {
                Scratch.keep("a test failed");
                return;
            }
            Path file = Files.writeString(Scratch.directory("case-").resolve("history.db"), "data");
            if (args[0].equals("keep")) {
                Scratch.keep("a test failed");
            }
            System.out.println("made " + file);
            System.out.flush();
            if (args[0].equals("wait")) {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            }
        }
    }
}
