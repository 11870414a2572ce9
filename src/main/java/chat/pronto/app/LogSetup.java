package chat.pronto.app;

import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Pronto's logging, set up in code (found by logback through {@code META-INF/services}): Pronto's own
 * messages from INFO, everyone else's from WARN, on standard output. Reading the same thing from a
 * {@code logback.xml} loaded about 200 more classes (an XML parser and logback's configuration model)
 * on the start-up path, 150–350 ms of processor time in a fresh JVM (issue 13). A configuration file still wins when
 * there is one: {@code -Dlogback.configurationFile=FILE}, or a {@code logback-test.xml} on the class
 * path (the tests').
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private final BooleanSupplier fileGiven;

    /** What logback's service loader calls. */
    public LogSetup() {
        this(() -> System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null);
    }

    LogSetup(BooleanSupplier fileGiven) {
        this.fileGiven = fileGiven;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (fileGiven.getAsBoolean()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback reads the file
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        // The terminal's stream reads what is written to it as UTF-8 (TerminalConsole.sharedStream).
        encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.getLogger("chat.pronto").setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
