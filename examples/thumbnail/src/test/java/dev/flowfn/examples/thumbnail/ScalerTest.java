package dev.flowfn.examples.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScalerTest {

    private static final Duration TIME = Duration.ofSeconds(20);

    private static Scaler engine(String name) {
        if (name.equals("imagemagick")) {
            // scripts/install-test-tools installs it; CI runs that first
            assumeTrue(
                    Files.isExecutable(Path.of("/usr/bin/convert")),
                    "/usr/bin/convert missing: run scripts/install-test-tools");
        }
        return Scaler.named(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thumbnailator", "imagemagick"})
    void theLongSideBecomesTheSizeAndTheAspectRatioStays(String name) throws Exception {
        Scaler scaler = engine(name);
        int[] landscape = Images.size(scaler.scale(Images.make(640, 480, "jpg"), 200, "jpg", TIME));
        assertThat(landscape).containsExactly(200, 150);
        int[] portrait = Images.size(scaler.scale(Images.make(300, 900, "png"), 120, "png", TIME));
        assertThat(portrait).containsExactly(40, 120);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thumbnailator", "imagemagick"})
    void smallImagesAreNotEnlarged(String name) throws Exception {
        assertThat(Images.size(engine(name).scale(Images.make(90, 60, "jpg"), 200, "jpg", TIME)))
                .containsExactly(90, 60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thumbnailator", "imagemagick"})
    void aTransparentPngBecomesAJpeg(String name) throws Exception {
        byte[] jpeg = engine(name).scale(Images.make(400, 400, "png"), 100, "jpg", TIME);
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff); // JPEG SOI marker
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
        assertThat(Images.size(jpeg)).containsExactly(100, 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thumbnailator", "imagemagick"})
    void textIsNotAnImage(String name) {
        byte[] text = "hello, I am not a picture\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> engine(name).scale(text, 200, "jpg", TIME))
                .isInstanceOf(Scaler.NotAnImageException.class)
                .hasMessageContaining("not an image")
                .hasMessageContaining("26 bytes starting with 68 65 6c 6c 6f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thumbnailator", "imagemagick"})
    void aTruncatedJpegIsNotAnImage(String name) throws Exception {
        byte[] jpeg = Images.make(640, 480, "jpg");
        byte[] cut = java.util.Arrays.copyOf(jpeg, 20);
        assertThatThrownBy(() -> engine(name).scale(cut, 200, "jpg", TIME))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("not an image");
    }

    @org.junit.jupiter.api.Test
    void unknownEngineNamesTheChoices() {
        assertThatThrownBy(() -> Scaler.named("gimp"))
                .hasMessageContaining("THUMB_ENGINE 'gimp' is not known")
                .hasMessageContaining("thumbnailator (default) or imagemagick");
    }
}
