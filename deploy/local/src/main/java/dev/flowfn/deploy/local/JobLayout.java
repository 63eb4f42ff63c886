package dev.flowfn.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which shape of the Flowfn job the state in a data folder belongs to. Layout 2 is the function
 * group operator (one keyBy, one keyed operator); the checkpoints and savepoints of layout 1
 * (match, keyBy per function, async dispatch) cannot be restored into it. A data folder whose
 * snapshots carry no layout mark is layout 1: marks came with layout 2.
 */
final class JobLayout {

    static final int CURRENT = 2;
    private static final String FILE = "job-layout";

    /**
     * Fails with what to do when the snapshot the job would restore from belongs to another layout;
     * else records that the folder's snapshots are of the current layout.
     */
    static void checkAndMark(DataDir dir, Optional<Path> restore) throws IOException {
        Path mark = dir.checkpoints().getParent().resolve(FILE);
        if (restore.isPresent()) {
            int found = read(mark);
            if (found != CURRENT) {
                throw new IllegalStateException(
                        "the data folder "
                                + dir.root()
                                + " holds job state of an earlier Flowfn (job layout "
                                + found
                                + ", this version runs layout "
                                + CURRENT
                                + ") that cannot be restored. Your functions, events and results"
                                + " are safe in Kafka and the object store. To move over: stop the"
                                + " earlier version once its invocations have finished, then move"
                                + " its job state aside with 'mv "
                                + dir.checkpoints().getParent()
                                + " "
                                + dir.checkpoints().getParent()
                                + "-layout-"
                                + found
                                + "' and start again; the job continues from the offsets the"
                                + " earlier version committed (README: 'Upgrading')");
            }
        }
        Files.createDirectories(mark.getParent());
        Files.writeString(mark, CURRENT + "\n", StandardCharsets.UTF_8);
    }

    private static int read(Path mark) throws IOException {
        if (!Files.exists(mark)) {
            return 1;
        }
        try {
            return Integer.parseInt(Files.readString(mark, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private JobLayout() {}
}
