package dev.flowfn.examples.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Real images made with the JDK, and their decoded sizes. */
final class Images {

    static byte[] make(int width, int height, String format) throws IOException {
        BufferedImage image =
                new BufferedImage(
                        width,
                        height,
                        format.equals("png")
                                ? BufferedImage.TYPE_INT_ARGB
                                : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    /** {width, height} of an encoded image. */
    static int[] size(byte[] encoded) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
        if (image == null) {
            throw new AssertionError("not an image: " + encoded.length + " bytes");
        }
        return new int[] {image.getWidth(), image.getHeight()};
    }

    private Images() {}
}
