package chat.pronto.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Xvfb's screen as a PNG: {@code Xvfb -fbdir DIR} keeps the framebuffer in {@code DIR/Xvfb_screen0}
 * as an XWD image (big-endian header, then the colour map, then the pixels); 24/32-bit TrueColor only.
 */
final class Xwd {
    private Xwd() {
    }

    static void toPng(Path xwd, Path png) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(xwd)).order(ByteOrder.BIG_ENDIAN);
        int headerSize = file.getInt(0);
        int width = file.getInt(16);
        int height = file.getInt(20);
        int byteOrder = file.getInt(28);
        int bitsPerPixel = file.getInt(44);
        int bytesPerLine = file.getInt(48);
        int colours = file.getInt(76);
        if (bitsPerPixel != 32) {
            throw new IOException("only 32 bits per pixel are read here, not " + bitsPerPixel);
        }
        ByteBuffer pixels = file.position(headerSize + colours * 12).slice()
                .order(byteOrder == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, pixels.getInt(y * bytesPerLine + x * 4) & 0xFFFFFF);
            }
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
