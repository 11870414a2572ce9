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
