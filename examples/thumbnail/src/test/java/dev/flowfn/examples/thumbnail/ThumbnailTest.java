package dev.flowfn.examples.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

    @Test
    void sizeComesFromTheEnvironmentAndIsChecked() {
        assertThat(Thumbnail.thumbSize(TestContext.create())).isEqualTo(200);
        assertThat(Thumbnail.thumbSize(TestContext.builder().env("THUMB_SIZE", "64").build()))
                .isEqualTo(64);
        assertThatThrownBy(
                        () ->
                                Thumbnail.thumbSize(
                                        TestContext.builder().env("THUMB_SIZE", "big").build()))
                .hasMessageContaining("THUMB_SIZE 'big' must be a number of pixels");
        assertThatThrownBy(
                        () ->
                                Thumbnail.thumbSize(
                                        TestContext.builder().env("THUMB_SIZE", "0").build()))
                .hasMessageContaining("from 1 to 10000");
    }

    @Test
    void formatFollowsTheName() {
        assertThat(Thumbnail.format("cat.JPG")).isEqualTo("jpg");
        assertThat(Thumbnail.format("cat.jpeg")).isEqualTo("jpg");
        assertThat(Thumbnail.format("logo.png")).isEqualTo("png");
        assertThat(Thumbnail.format("anim.gif")).isEqualTo("gif");
        assertThat(Thumbnail.format("scan.bmp")).isEqualTo("jpg");
    }

    @Test
    void anEventThatIsNotFromABucketIsRefusedWithTheFix() {
        assertThatThrownBy(
                        () ->
                                new Thumbnail()
                                        .handle(
                                                TestEvent.builder()
                                                        .type("kafka.record")
                                                        .data("x")
                                                        .build(),
                                                TestContext.create()))
                .hasMessageContaining("is not an object-storage event")
                .hasMessageContaining("--trigger 's3:bucket=...'");
    }
}
