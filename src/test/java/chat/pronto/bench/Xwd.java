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

    /**
     * Watches Xvfb's screen file for the first moment a window shows something other than white (a
     * window mapped but not painted yet) or black (the empty screen), at a grid of sample points; reads
     * a few bytes per look, so the watching costs the machine next to nothing.
     */
    static final class ContentWatch implements AutoCloseable {
        /**
         * Of the 225 sample points, how many must be neither white nor black: the window covers about
         * two thirds of a 1280×800 screen (150 points); a lone pointer or a white window does not count.
         */
        private static final int PAINTED_POINTS = 100;
        private final Thread thread;
        private volatile long seenAt = -1;
        private volatile boolean stop;

        ContentWatch(Path xwd) {
            thread = new Thread(() -> watch(xwd), "bench-screen-watch");
            thread.setDaemon(true);
            thread.start();
        }

        /** Epoch ms when painted content was first seen, or -1. */
        long seenAt() {
            return seenAt;
        }

        private void watch(Path xwd) {
            try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(xwd)) {
                ByteBuffer header = ByteBuffer.allocate(100).order(ByteOrder.BIG_ENDIAN);
                file.read(header, 0);
                int headerSize = header.getInt(0);
                int width = header.getInt(16);
                int height = header.getInt(20);
                int bytesPerLine = header.getInt(48);
                int colours = header.getInt(76);
                long pixels = headerSize + colours * 12L;
                ByteBuffer pixel = ByteBuffer.allocate(4);
                boolean armed = false;
                while (!stop) {
                    int painted = 0;
                    for (int gy = 1; gy < 16; gy++) {
                        for (int gx = 1; gx < 16; gx++) {
                            long at = pixels + (long) (gy * height / 16) * bytesPerLine + (gx * width / 16) * 4L;
                            pixel.clear();
                            file.read(pixel, at);
                            int rgb = (pixel.get(0) & 0xFF) | (pixel.get(1) & 0xFF) << 8 | (pixel.get(2) & 0xFF) << 16;
                            painted += rgb != 0 && rgb != 0xFFFFFF ? 1 : 0;
                        }
                    }
                    if (painted >= PAINTED_POINTS && armed) {
                        seenAt = System.currentTimeMillis();
                        return;
                    }
                    armed |= painted < PAINTED_POINTS; // the last run's window gone: this one's is next
                    Thread.sleep(2); // a look every few ms: the figure is at most that late
                }
            } catch (IOException | InterruptedException e) {
                // no screen file: nothing seen
            }
        }

        @Override
        public void close() {
            stop = true;
        }
    }
}
