package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.client.UploadListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how far a large upload has gone: a line on stderr at each quarter ("4.0 of 16.0 MB sent
 * (25%)"). A few plain lines rather than a redrawn bar, so logs and CI output read the same as a
 * terminal. Uploads up to {@link #THRESHOLD_BYTES} print nothing: they take a moment.
 */
final class UploadProgress implements UploadListener {

    static final long THRESHOLD_BYTES = 1024 * 1024;
    private static final int STEPS = 4;

    private final PrintWriter err;
    private int printedSteps;

    UploadProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void sent(long sent, long total) {
        if (total <= THRESHOLD_BYTES) {
            return;
        }
        int step = (int) (sent * STEPS / total);
        if (step > printedSteps) {
            printedSteps = step;
            err.printf(
                    Locale.ROOT,
                    "  %.1f of %.1f MB sent (%d%%)%n",
                    sent / 1048576.0,
                    total / 1048576.0,
                    sent * 100 / total);
            err.flush();
        }
    }
}
