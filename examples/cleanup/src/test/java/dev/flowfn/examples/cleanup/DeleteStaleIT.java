package dev.flowfn.examples.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import dev.flowfn.testing.S3TestServer;
import io.minio.ListObjectsArgs;
import io.minio.StatObjectArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DeleteStale against a real S3 API (S3Proxy): exactly the stale objects under the prefix go. */
class DeleteStaleIT {

    static S3TestServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @Test
    void deletesExactlyTheStaleObjectsInPagesAndIsSafeToRunTwice() throws Exception {
        Set<String> stale = new TreeSet<>();
        for (int i = 0; i < 7; i++) {
            stale.add("tmp/old-" + i);
        }
        for (String key : stale) {
            s3.put("photos", key, ("old " + key).getBytes());
        }
        s3.put("photos", "keep/old-outside-prefix", new byte[] {1});
        Thread.sleep(3_000); // S3 times have second precision
        Instant fresh = Instant.now();
        for (int i = 0; i < 3; i++) {
            s3.put("photos", "tmp/new-" + i, new byte[] {2});
        }
        Instant afterFresh = lastModified("tmp/new-0").plusSeconds(1);
        TestContext ctx = context();
        // the tick's scheduled time: 2 s of MAX_AGE before it falls between the two batches
        Result r = new DeleteStale().handle(TestEvent.builder().time(afterFresh).build(), ctx);

        assertThat(r.dataAsString())
                .contains("\"deleted\":7")
                .contains("\"kept\":3")
                .contains("\"pages\":3");
        assertThat(keys())
                .containsExactlyInAnyOrder(
                        "keep/old-outside-prefix", "tmp/new-0", "tmp/new-1", "tmp/new-2");
        assertThat(ctx.logLines())
                .anyMatch(
                        l -> l.startsWith("INFO page 1: deleted 3: tmp/old-0 tmp/old-1 tmp/old-2"))
                .anyMatch(l -> l.equals("INFO deleted 7 objects (91 bytes), kept 3"));
        assertThat(ctx.progressReports()).hasSize(3);
        assertThat(fresh).isBefore(afterFresh);

        TestContext again = context();
        Result second =
                new DeleteStale().handle(TestEvent.builder().time(afterFresh).build(), again);
        assertThat(second.dataAsString()).contains("\"deleted\":0").contains("\"kept\":3");
        assertThat(keys()).hasSize(4);
    }

    private static TestContext context() {
        return TestContext.builder()
                .env("BUCKET", "photos")
                .env("PREFIX", "tmp/")
                .env("MAX_AGE", "2s")
                .env("PAGE_SIZE", "3")
                .env("FLOWFN_S3_ENDPOINT", s3.endpoint())
                .env("FLOWFN_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY)
                .env("FLOWFN_S3_SECRET_KEY", S3TestServer.SECRET_KEY)
                .build();
    }

    private static Instant lastModified(String key) throws Exception {
        return s3.client()
                .statObject(StatObjectArgs.builder().bucket("photos").object(key).build())
                .lastModified()
                .toInstant();
    }

    private static List<String> keys() throws Exception {
        List<String> out = new ArrayList<>();
        for (io.minio.Result<io.minio.messages.Item> r :
                s3.client()
                        .listObjects(
                                ListObjectsArgs.builder()
                                        .bucket("photos")
                                        .recursive(true)
                                        .build())) {
            out.add(r.get().objectName());
        }
        return out;
    }
}
