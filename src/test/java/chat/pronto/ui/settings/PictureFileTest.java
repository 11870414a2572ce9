package chat.pronto.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.AvatarHash;

/** The picture the user picks, made into one that fits an mDNS record: the middle square, 96 pixels. */
class PictureFileTest {
    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format) throws IOException {
        Path file = dir.resolve("picked." + format);
        ImageIO.write(image, format, file.toFile());
        return file;
    }

    @Test
    void aWidePhotoBecomesItsMiddleSquareAt96Pixels() throws Exception {
        BufferedImage wide = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 400; x++) {
            for (int y = 0; y < 200; y++) {
                wide.setRGB(x, y, x < 100 || x >= 300 ? 0xff0000 : 0x00ff00); // red margins, a green middle
            }
        }
        byte[] prepared = PictureFile.prepare(write(wide, "jpg"));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(prepared));
        assertEquals(96, back.getWidth());
        assertEquals(96, back.getHeight());
        int corner = back.getRGB(2, 2) & 0xffffff;
        assertTrue((corner >> 8 & 0xff) > 200 && (corner >> 16 & 0xff) < 60, "the margins are cropped: " + corner);
    }

    @Test
    void aPictureThatCompressesBadlyStillFitsOneRecord() throws Exception {
        BufferedImage noise = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(5);
        for (int x = 0; x < 1200; x++) {
            for (int y = 0; y < 900; y++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] prepared = PictureFile.prepare(write(noise, "png"));
        assertTrue(prepared.length <= AvatarHash.MAX_PUBLISHED_BYTES, prepared.length + " bytes");
        assertTrue(ImageIO.read(new ByteArrayInputStream(prepared)) != null);
    }

    @Test
    void somethingThatIsNotAPictureIsRefusedWithAReason() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
        IOException refused = assertThrows(IOException.class, () -> PictureFile.prepare(text));
        assertTrue(refused.getMessage().contains("not a picture Pronto can read"), refused.getMessage());
    }
}
