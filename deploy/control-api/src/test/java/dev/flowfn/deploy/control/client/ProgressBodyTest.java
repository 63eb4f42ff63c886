package dev.flowfn.deploy.control.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProgressBodyTest {

    @Test
    void theChunksAreTheBodyAndEachReportsTheBytesTakenSoFar() {
        byte[] body = new byte[3 * ProgressBody.CHUNK_BYTES + 123];
        new Random(7).nextBytes(body);
        List<long[]> reports = new ArrayList<>();

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Iterator<byte[]> chunks =
                ProgressBody.chunks(body, (done, total) -> reports.add(new long[] {done, total}));
        chunks.forEachRemaining(sent::writeBytes);

        assertThat(sent.toByteArray()).isEqualTo(body);
        assertThat(reports).hasSize(4);
        long chunk = ProgressBody.CHUNK_BYTES;
        assertThat(reports.stream().map(r -> r[0]).toList())
                .containsExactly(chunk, 2 * chunk, 3 * chunk, (long) body.length);
        assertThat(reports).allSatisfy(r -> assertThat(r[1]).isEqualTo(body.length));
    }

    @Test
    void theRequestKeepsItsContentLength() {
        assertThat(ProgressBody.of(new byte[1000], UploadListener.NONE).contentLength())
                .isEqualTo(1000);
    }
}
