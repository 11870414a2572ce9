package chat.pronto.ui.common;

import java.util.Map;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/** A QR code as a picture: black modules on white, with the four-module quiet zone scanners need. */
public final class QrCode {
    /** Modules of white around the code (ISO/IEC 18004 asks for four). */
    public static final int QUIET_ZONE = 4;
    private static final int DARK = 0xff000000;
    private static final int LIGHT = 0xffffffff;

    private QrCode() {
    }

    /** {@code text} as a QR code, each module {@code moduleSize} pixels square (an Image: any thread). */
    public static WritableImage of(String text, int moduleSize) {
        BitMatrix matrix = modules(text);
        int side = (matrix.getWidth() + 2 * QUIET_ZONE) * moduleSize;
        int[] pixels = new int[side * side];
        for (int y = 0; y < side; y++) {
            int row = y / moduleSize - QUIET_ZONE;
            for (int x = 0; x < side; x++) {
                int column = x / moduleSize - QUIET_ZONE;
                boolean dark = row >= 0 && column >= 0 && row < matrix.getHeight() && column < matrix.getWidth()
                        && matrix.get(column, row);
                pixels[y * side + x] = dark ? DARK : LIGHT;
            }
        }
        WritableImage image = new WritableImage(side, side);
        image.getPixelWriter().setPixels(0, 0, side, side, PixelFormat.getIntArgbInstance(), pixels, 0, side);
        return image;
    }

    /** One bit per module, no margin (the quiet zone is drawn here, at the chosen scale). */
    static BitMatrix modules(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 0,
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException tooLong) {
            throw new IllegalArgumentException("too long for a QR code: " + text.length() + " characters", tooLong);
        }
    }
}
