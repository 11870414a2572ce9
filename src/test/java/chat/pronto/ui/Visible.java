package chat.pronto.ui;

import java.util.concurrent.TimeUnit;

import javafx.scene.Node;

import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Finds a node a person could click. A list measures rows with an extra, hidden cell whose nodes come
 * and go; TestFX's own lookup walks the scene from the test thread and can pick one of those and then
 * find it detached (a NullPointerException on its scene). This looks on the FX thread, among nodes
 * shown on screen only.
 */
public final class Visible {
    private Visible() {
    }

    public static Node node(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryAll().stream()
                .filter(Visible::onScreen).findFirst()
                .orElseThrow(() -> new AssertionError("nothing shown matches " + query)))
                .get(10, TimeUnit.SECONDS);
    }

    /** The first shown node that matches {@code query}, looked up on the FX thread; empty when none is. */
    public static java.util.Optional<Node> find(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryAll().stream().filter(Visible::onScreen)
                .findFirst()).get(10, TimeUnit.SECONDS);
    }

    /** The text of the first shown label that matches {@code query}. */
    public static String text(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.control.Labeled) node(robot, query)).getText())
                .get(10, TimeUnit.SECONDS);
    }

    /** Whether a shown node matches {@code query} and {@code test} (both judged on the FX thread). */
    public static <T extends Node> boolean shows(FxRobot robot, String query, java.util.function.Predicate<T> test) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryAll().stream().filter(Visible::onScreen)
                    .anyMatch(found -> {
                        @SuppressWarnings("unchecked")
                        T typed = (T) found;
                        return test.test(typed);
                    })).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** Clicks the first shown node that matches {@code query}. */
    public static void click(FxRobot robot, String query) throws Exception {
        robot.clickOn(node(robot, query));
    }

    static boolean onScreen(Node node) {
        if (node.getScene() == null) {
            return false;
        }
        for (Node at = node; at != null; at = at.getParent()) {
            if (!at.isVisible()) {
                return false;
            }
        }
        return true;
    }
}
