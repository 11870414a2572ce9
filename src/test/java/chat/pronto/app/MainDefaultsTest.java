package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * A launch without flags skips picocli (Main.runWithoutFlags): every option must then hold exactly what
 * picocli would have given it, so no option may have a default that only picocli knows.
 */
class MainDefaultsTest {
    @Test
    void everyOptionsDefaultIsItsFieldsInitialValue() throws Exception {
        Main parsed = new Main();
        new CommandLine(parsed).parseArgs();
        Main plain = new Main();
        List<String> checked = new ArrayList<>();
        for (Field field : Main.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(CommandLine.Option.class)
                    || field.isAnnotationPresent(CommandLine.Parameters.class)) {
                field.setAccessible(true);
                assertEquals(field.get(parsed), field.get(plain), field.getName() + ": picocli's default and the field's differ");
                checked.add(field.getName());
            }
        }
        assertTrue(checked.containsAll(List.of("port", "bind", "diagnoseSeconds", "name", "interfaces")), "checked " + checked);
    }

    @Test
    void noOptionHasADefaultOnlyPicocliKnows() throws NoSuchMethodException {
        Object none = CommandLine.Option.class.getMethod("defaultValue").getDefaultValue();
        for (Field field : Main.class.getDeclaredFields()) {
            CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
            if (option != null) {
                assertEquals(none, option.defaultValue(),
                        field.getName() + ": give the default as the field's initial value");
            }
        }
    }
}
