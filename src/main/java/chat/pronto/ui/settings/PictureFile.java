package chat.pronto.ui.settings;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

import chat.pronto.model.AvatarHash;

/**
 * Turns a picture the user picked into what Pronto publishes: the middle square, scaled to
 * {@link #SIZE} pixels (what libpurple's own icons are), as a PNG — or a JPEG when the PNG would not
 * fit in one mDNS record. Runs off the FX thread (decoding a camera photo takes a while).
 */
final class PictureFile {
    static final int SIZE = 96;
    /** Pictures larger than this on disk are refused before they are decoded. */
    static final long MAX_INPUT_BYTES = 50L * 1024 * 1024;

    private PictureFile() {
    }

    static byte[] prepare(Path file) throws IOException {
        if (Files.size(file) > MAX_INPUT_BYTES) {
            throw new IOException(file.getFileName() + " is larger than 50 MiB: pick a smaller picture");
        }
        BufferedImage source = ImageIO.read(file.toFile());
        if (source == null) {
            throw new IOException(file.getFileName() + " is not a picture Pronto can read (PNG, JPEG, GIF or BMP)");
        }
        BufferedImage square = squared(source, SIZE);
        byte[] png = encode(square, "png", 0);
        if (png.length <= AvatarHash.MAX_PUBLISHED_BYTES) {
            return png;
        }
        byte[] jpeg = encode(withoutAlpha(square), "jpeg", 0.85f);
        if (jpeg.length <= AvatarHash.MAX_PUBLISHED_BYTES) {
            return jpeg;
        }
        return encode(withoutAlpha(squared(source, SIZE / 2)), "jpeg", 0.7f);
    }

    /** The largest centred square of {@code source}, scaled to {@code size} × {@code size}. */
    static BufferedImage squared(BufferedImage source, int size) {
        int side = Math.min(source.getWidth(), source.getHeight());
        int x = (source.getWidth() - side) / 2;
        int y = (source.getHeight() - side) / 2;
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(source, 0, 0, size, size, x, y, x + side, y + side, null);
        g.dispose();
        return out;
    }

    private static BufferedImage withoutAlpha(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    private static byte[] encode(BufferedImage image, String format, float quality) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            if (quality > 0 && parameters.canWriteCompressed()) {
                parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                parameters.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
