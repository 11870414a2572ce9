package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;

class LogSetupTest {
    @Test
    void logbackFindsTheSetupInCode() {
        List<Configurator> found = ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::get).toList();
        assertTrue(found.stream().anyMatch(LogSetup.class::isInstance), "found: " + found);
    }

    @Test
    void prontosOwnMessagesFromInfoEveryoneElsesFromWarnOnTheConsole() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup(() -> false);
        setup.setContext(context);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, setup.configure(context));

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertTrue(context.getLogger("chat.pronto.session.Dialer").isInfoEnabled());
        assertFalse(context.getLogger("chat.pronto.session.Dialer").isDebugEnabled());
        assertFalse(context.getLogger("javax.jmdns.impl.JmDNSImpl").isInfoEnabled());
        assertTrue(context.getLogger("javax.jmdns.impl.JmDNSImpl").isWarnEnabled());
        Appender<?> console = root.getAppender("CONSOLE");
        ConsoleAppender<?> appender = assertInstanceOf(ConsoleAppender.class, console);
        assertTrue(appender.isStarted());
        assertEquals(LogSetup.PATTERN, assertInstanceOf(PatternLayoutEncoder.class, appender.getEncoder()).getPattern());
    }

    @Test
    void aConfigurationFileWins() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup(() -> true);
        setup.setContext(context);

        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
        assertFalse(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }

    @Test
    void theTestsLogbackFileCountsAsGiven() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);

        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
    }
}
