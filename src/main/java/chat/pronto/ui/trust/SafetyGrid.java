package chat.pronto.ui.trust;

import java.util.List;

import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

import chat.pronto.model.SafetyCode;

/**
 * The safety code's 8 x 8 colours, to compare at a glance. The colours are fixed (not the theme's):
 * both screens must show the same. Eight hues that people with the common colour-vision deficiencies
 * still tell apart (Okabe and Ito) plus eight darker or paler ones, and those eight also carry a dot,
 * so no two cells differ by hue alone.
 */
final class SafetyGrid extends GridPane {
    static final List<String> COLOURS = List.of(
            "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
            "#FFFFFF", "#8C8C8C", "#7A4A0A", "#004D40", "#FFF3B0", "#1B2A6B", "#FFC2A8", "#6A1B5A");

    SafetyGrid(List<Integer> grid, double cell) {
        getStyleClass().add("safety-grid");
        setHgap(2);
        setVgap(2);
        for (int i = 0; i < grid.size(); i++) {
            int colour = grid.get(i);
            add(cell(colour, cell), i % SafetyCode.GRID_SIDE, i / SafetyCode.GRID_SIDE);
        }
        setAccessibleText("Safety colours: compare them with theirs");
    }

    private static StackPane cell(int colour, double size) {
        Region square = new Region();
        square.setMinSize(size, size);
        square.setPrefSize(size, size);
        square.setMaxSize(size, size);
        square.setStyle("-fx-background-color: " + COLOURS.get(colour) + "; -fx-background-radius: 3;"
                + " -fx-border-color: rgba(128,128,128,0.45); -fx-border-radius: 3;");
        StackPane cell = new StackPane(square);
        if (colour >= 8) {
            Color fill = Color.web(COLOURS.get(colour));
            cell.getChildren().add(new Circle(size / 6, fill.getBrightness() > 0.6 ? Color.BLACK : Color.WHITE));
        }
        cell.getStyleClass().add("safety-cell");
        cell.setUserData(colour);
        return cell;
    }
}
