package dev.flowfn.examples.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import dev.flowfn.testing.S3TestServer;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.StatObjectArgs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handler against a real S3 API (S3Proxy in this JVM), reading and writing with the SDK. */
class ThumbnailIT {

    static S3TestServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static TestContext context(String... env) {
        TestContext.Builder b =
                TestContext.builder()
                        .env("FLOWFN_S3_ENDPOINT", s3.endpoint())
                        .env("FLOWFN_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY)
                        .env("FLOWFN_S3_SECRET_KEY", S3TestServer.SECRET_KEY);
        for (int i = 0; i < env.length; i += 2) {
            b.env(env[i], env[i + 1]);
        }
        return b.build();
    }

    private static TestEvent uploaded(String bucket, String key) {
        return TestEvent.builder()
                .id("s3:" + bucket + "/" + key + "@1:s3:ObjectCreated:Put")
                .type("s3:ObjectCreated:Put")
                .source("s3://" + bucket)
                .subject(key)
                .extension("s3bucket", bucket)
                .extension("s3key", key)
                .data("{}")
                .build();
    }

    private static byte[] get(String bucket, String key) throws Exception {
        try (InputStream in =
                s3.client().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesAThumbnailOnceUnderThumbsWhateverTheRepeats() throws Exception {
        s3.put("photos", "uploads/cat.jpg", Images.make(800, 600, "jpg"));
        TestContext ctx = context("THUMB_SIZE", "200");

        Result first = new Thumbnail().handle(uploaded("photos", "uploads/cat.jpg"), ctx);
        Result again = new Thumbnail().handle(uploaded("photos", "uploads/cat.jpg"), ctx);

        assertThat(new String(first.data(), StandardCharsets.UTF_8))
                .contains("\"thumbnail\":\"s3://photos/thumbs/cat.jpg\"");
        assertThat(again.data()).isEqualTo(first.data());
        assertThat(Images.size(get("photos", "thumbs/cat.jpg"))).containsExactly(200, 150);
        assertThat(
                        s3.client()
                                .statObject(
                                        StatObjectArgs.builder()
                                                .bucket("photos")
                                                .object("thumbs/cat.jpg")
                                                .build())
                                .contentType())
                .isEqualTo("image/jpeg");
        List<String> thumbs = new ArrayList<>();
        for (var item :
                s3.client()
                        .listObjects(
                                ListObjectsArgs.builder()
                                        .bucket("photos")
                                        .prefix("thumbs/")
                                        .recursive(true)
                                        .build())) {
            thumbs.add(item.get().objectName());
        }
        assertThat(thumbs).containsExactly("thumbs/cat.jpg");
        assertThat(ctx.logLines()).anyMatch(l -> l.contains("-> s3://photos/thumbs/cat.jpg"));
    }

    @Test
    void imageMagickEngineGivesTheSameSize() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/convert")),
                "run scripts/install-test-tools");
        s3.put("photos", "uploads/tall.png", Images.make(300, 900, "png"));
        new Thumbnail()
                .handle(
                        uploaded("photos", "uploads/tall.png"),
                        context("THUMB_SIZE", "90", "THUMB_ENGINE", "imagemagick"));
        assertThat(Images.size(get("photos", "thumbs/tall.png"))).containsExactly(30, 90);
    }

    @Test
    void aTextFileNamedJpgFailsWithTheReasonAndWritesNothing() throws Exception {
        s3.put("photos", "uploads/notes.jpg", "shopping list".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(
                        () ->
                                new Thumbnail()
                                        .handle(uploaded("photos", "uploads/notes.jpg"), context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://photos/uploads/notes.jpg is not an image");
        assertThatThrownBy(() -> get("photos", "thumbs/notes.jpg"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void itsOwnOutputIsSkipped() throws Exception {
        s3.put("own", "thumbs/x.jpg", Images.make(10, 10, "jpg"));
        Result r = new Thumbnail().handle(uploaded("own", "thumbs/x.jpg"), context());
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).contains("skipped");
    }
}
