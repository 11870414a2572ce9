package chat.pronto.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Keeps the test files of a JVM in which a test failed ({@link Scratch#keep}): a lab's logs and a
 * core's history are what one reads next. Registered for every test run through
 * {@code META-INF/services}.
 */
public final class KeepFilesOfFailures implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            Scratch.keep(test.getDisplayName() + " failed");
        }
    }
}
