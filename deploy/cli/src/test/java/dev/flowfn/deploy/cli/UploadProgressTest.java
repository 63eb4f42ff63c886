package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class UploadProgressTest {

    private static String upload(long total, long chunk) {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err, true));
        for (long sent = chunk; sent < total + chunk; sent += chunk) {
            progress.sent(Math.min(sent, total), total);
        }
        return err.toString();
    }

    @Test
    void aLargeUploadPrintsALineAtEachQuarter() {
        String lines = upload(8 * 1048576, 65536);

        assertThat(lines.lines())
                .containsExactly(
                        "  2.0 of 8.0 MB sent (25%)",
                        "  4.0 of 8.0 MB sent (50%)",
                        "  6.0 of 8.0 MB sent (75%)",
                        "  8.0 of 8.0 MB sent (100%)");
    }

    @Test
    void aFewBigChunksStillEndAtOneHundredPercent() {
        assertThat(upload(3 * 1048576, 2 * 1048576).lines())
                .containsExactly("  2.0 of 3.0 MB sent (66%)", "  3.0 of 3.0 MB sent (100%)");
    }

    @Test
    void oneMegabyteOrLessPrintsNothing() {
        assertThat(upload(1048576, 65536)).isEmpty();
    }
}
