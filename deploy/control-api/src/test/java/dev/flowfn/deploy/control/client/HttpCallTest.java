package dev.flowfn.deploy.control.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpCallTest {

    @Test
    void theBodyIsWrittenInChunksEachReportedWithTheBytesWrittenSoFar() throws Exception {
        byte[] body = new byte[3 * HttpCall.CHUNK_BYTES + 123];
        new Random(7).nextBytes(body);
        List<long[]> reports = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        HttpCall.write(out, body, (sent, total) -> reports.add(new long[] {sent, total}));

        assertThat(out.toByteArray()).isEqualTo(body);
        long chunk = HttpCall.CHUNK_BYTES;
        assertThat(reports.stream().map(r -> r[0]).toList())
                .containsExactly(chunk, 2 * chunk, 3 * chunk, (long) body.length);
        assertThat(reports).allSatisfy(r -> assertThat(r[1]).isEqualTo(body.length));
    }

    @Test
    void anEmptyBodyReportsNothing() throws Exception {
        List<Long> reports = new ArrayList<>();

        HttpCall.write(
                new ByteArrayOutputStream(), new byte[0], (sent, total) -> reports.add(sent));

        assertThat(reports).isEmpty();
    }
}
