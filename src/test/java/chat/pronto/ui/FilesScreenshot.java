package chat.pronto.ui;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

import chat.pronto.model.TransferState;
import chat.pronto.session.ChatEvent;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * Makes the README's screenshot of files in a conversation: two real cores on 127.0.0.1, a picture
 * received and shown inline, a file on its way. Run under Xvfb: {@code .bench/main chat.pronto.ui.FilesScreenshot OUT.png}.
 */
public final class FilesScreenshot {
    private FilesScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "assets/screenshots/files.png");
        boolean dark = args.length > 1 && args[1].equals("--dark");
        FakeLink link = new FakeLink();
        ChatCore alice = ChatCore.on(link, "alice@wonderland").start();
        ChatCore carol = ChatCore.on(link, "carol@rabbithole").start();
        alice.chat.updatePresence(alice.chat.ownPresence().withNames("Alice Liddell", "Alice", "Liddell"));
        carol.chat.updatePresence(carol.chat.ownPresence().withNames("Carol Hare", "Carol", "Hare"));

        MainWindow window = ScreenshotKit.showWindow(alice.chat, dark, 1000, 700);
        carol.chat.setAvatar(Optional.of(Files.readAllBytes(portrait(carol.data.resolve("carol.png"))))).get();
        carol.chat.send(alice.id(), "Here are the photos from the garden party!").get();
        Path photo = landscape(carol.data.resolve("garden party.png"));
        carol.chat.sendFile(alice.id(), photo).get();
        String offered = alice.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.OFFERED).transfer().id();
        alice.chat.acceptFile(offered, Optional.empty()).get();
        alice.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == TransferState.DONE);
        alice.events.awaitReceived("Here are the photos from the garden party!");
        alice.chat.send(carol.id(), "Lovely! And here are the slides for Thursday.").get();

        byte[] slides = new byte[48 * 1024 * 1024];
        new java.util.Random(3).nextBytes(slides);
        Path deck = Files.write(alice.data.resolve("Tea party slides.pdf"), slides);
        alice.chat.limitFileSending(6 * 1024 * 1024);
        Platform.runLater(() -> window.open(carol.id()));
        alice.chat.sendFile(carol.id(), deck).get();
        String sending = carol.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.OFFERED
                        && update.transfer().direction() == chat.pronto.model.Direction.INCOMING).transfer().id();
        carol.chat.acceptFile(sending, Optional.empty()).get();
        alice.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == TransferState.ACTIVE
                && update.transfer().direction() == chat.pronto.model.Direction.OUTGOING && update.transfer().progress() > 0.35);
        TimeUnit.MILLISECONDS.sleep(300); // one more progress report for the speed: this is a picture, not a test

        ScreenshotKit.shoot(window.scene(), out);
        alice.close();
        carol.close();
        Platform.exit();
        System.exit(0);
    }

    /** A little drawn landscape (sky, sun, hills, a tree), so the screenshot shows a real-looking picture. */
    static Path landscape(Path file) throws Exception {
        int width = 800;
        int height = 540;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x7fb2f0), 0, height * 0.6f, new Color(0xfde6c4)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xffd56b));
        g.fillOval(560, 70, 120, 120);
        hill(g, height, 0.55, new Color(0x8cc084), 0.0);
        hill(g, height, 0.68, new Color(0x5fa05a), 1.7);
        hill(g, height, 0.82, new Color(0x3f7f45), 3.1);
        g.setColor(new Color(0x6b4a2f));
        g.fillRect(190, 300, 18, 90);
        g.setColor(new Color(0x2f6b3a));
        g.fillOval(150, 230, 100, 100);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** A simple round face on a coloured ground: Carol's picture. */
    static Path portrait(Path file) throws Exception {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0xf7b267), 96, 96, new Color(0xf4845f)));
        g.fillRect(0, 0, 96, 96);
        g.setColor(new Color(0x5b3a29));
        g.fillOval(18, 14, 60, 66);
        g.setColor(new Color(0xffdcc0));
        g.fillOval(26, 26, 44, 50);
        g.setColor(new Color(0x2d2d2d));
        g.fillOval(38, 44, 5, 6);
        g.fillOval(54, 44, 5, 6);
        g.setColor(new Color(0xc0504d));
        g.drawArc(40, 54, 16, 10, 200, 140);
        g.setColor(new Color(0x3b6ef5));
        g.fillRoundRect(16, 80, 64, 30, 30, 30);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static void hill(Graphics2D g, int height, double level, Color colour, double phase) {
        Path2D.Double shape = new Path2D.Double();
        shape.moveTo(0, height);
        for (int x = 0; x <= 800; x += 10) {
            shape.lineTo(x, height * level + Math.sin(x / 120.0 + phase) * 28);
        }
        shape.lineTo(800, height);
        shape.closePath();
        g.setColor(colour);
        g.fill(shape);
    }
}
