package dev.flowfn.examples.thumbnail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Scales an image so that its long side is at most {@code size} pixels, keeping its aspect ratio
 * (never enlarging). Two engines: {@link #JAVA} (Thumbnailator, pure Java) and {@link #IMAGEMAGICK}
 * ({@code /usr/bin/convert}).
 *
 * <p>Input that is not an image throws {@link NotAnImageException} naming what it got.
 */
interface Scaler {

    /** The scaled image in {@code format} ({@code jpg}, {@code png} or {@code gif}). */
    byte[] scale(byte[] image, int size, String format, Duration timeLeft) throws IOException;

    Scaler JAVA = new JavaScaler();
    Scaler IMAGEMAGICK = new ImageMagickScaler(Path.of("/usr/bin/convert"));

    static Scaler named(String engine) {
        return switch (engine == null ? "thumbnailator" : engine.toLowerCase(Locale.ROOT)) {
            case "thumbnailator", "java", "" -> JAVA;
            case "imagemagick", "convert" -> IMAGEMAGICK;
            default ->
                    throw new IllegalArgumentException(
                            "THUMB_ENGINE '"
                                    + engine
                                    + "' is not known; use thumbnailator (default) or imagemagick");
        };
    }

    /** The upload is not an image this engine can read (it becomes a dead letter). */
    final class NotAnImageException extends IllegalArgumentException {
        NotAnImageException(String message) {
            super(message);
        }
    }

    /** A short, safe description of bytes that are not an image: size and the first bytes. */
    static String describe(byte[] data) {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(8, data.length); i++) {
            head.append(String.format("%02x ", data[i] & 0xff));
        }
        return data.length + " bytes starting with " + head.toString().trim();
    }

    final class JavaScaler implements Scaler {
        @Override
        public byte[] scale(byte[] image, int size, String format, Duration timeLeft)
                throws IOException {
            java.awt.image.BufferedImage decoded;
            try {
                decoded = ImageIO.read(new ByteArrayInputStream(image));
            } catch (javax.imageio.IIOException | RuntimeException e) {
                throw new NotAnImageException(
                        "not an image Java can decode, corrupt or truncated ("
                                + e.getMessage()
                                + "): "
                                + describe(image));
            }
            if (decoded == null) {
                throw new NotAnImageException(
                        "not an image Java can decode (JPEG, PNG, GIF, BMP): " + describe(image));
            }
            int longSide = Math.max(decoded.getWidth(), decoded.getHeight());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var builder =
                    longSide <= size
                            ? Thumbnails.of(decoded).scale(1.0)
                            : Thumbnails.of(decoded).size(size, size).keepAspectRatio(true);
            if (format.equals("jpg")) {
                // JPEG has no alpha channel: draw onto RGB
                builder.imageType(java.awt.image.BufferedImage.TYPE_INT_RGB);
            }
            builder.outputFormat(format).toOutputStream(out);
            return out.toByteArray();
        }
    }

    final class ImageMagickScaler implements Scaler {
        private final Path convert;

        ImageMagickScaler(Path convert) {
            this.convert = convert;
        }

        @Override
        public byte[] scale(byte[] image, int size, String format, Duration timeLeft)
                throws IOException {
            if (!Files.isExecutable(convert)) {
                throw new IllegalStateException(
                        convert
                                + " is not installed; install ImageMagick (apt-get install"
                                + " imagemagick) or unset THUMB_ENGINE");
            }
            Path dir = Files.createTempDirectory("thumb-");
            try {
                Path in = dir.resolve("in");
                Path out = dir.resolve("out." + format);
                Files.write(in, image);
                Process p =
                        new ProcessBuilder(
                                        convert.toString(),
                                        in + "[0]", // first frame only
                                        "-auto-orient",
                                        "-thumbnail",
                                        size + "x" + size + ">", // shrink only
                                        out.toString())
                                .redirectErrorStream(true)
                                .start();
                p.getOutputStream().close();
                byte[] messages;
                try (InputStream output = p.getInputStream()) {
                    messages = output.readNBytes(4096);
                }
                boolean done;
                try {
                    done = p.waitFor(Math.max(1, timeLeft.toMillis()), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while ImageMagick ran", e);
                }
                if (!done) {
                    p.destroyForcibly();
                    throw new IOException("ImageMagick did not finish in time");
                }
                if (p.exitValue() != 0 || !Files.exists(out)) {
                    throw new NotAnImageException(
                            "not an image ImageMagick can decode ("
                                    + new String(messages, StandardCharsets.UTF_8).trim()
                                    + "): "
                                    + describe(image));
                }
                return Files.readAllBytes(out);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }
}
