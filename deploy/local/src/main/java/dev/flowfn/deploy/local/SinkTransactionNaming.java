package dev.flowfn.deploy.local;

import dev.flowfn.job.JobOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * How the job's exactly-once sinks name their Kafka transactions on one data folder ({@link
 * JobOptions#SINK_TRANSACTION_NAMING}), kept in a mark beside its snapshots. The sinks' state
 * restores from {@code INCREMENTING} into {@code POOLING} but not back, and the builds of
 * 2026-12-06 wrote their snapshots with {@code POOLING}, without a mark: a folder whose snapshots
 * carry no mark keeps {@code POOLING}, which restores snapshots of either naming. A fresh folder
 * takes the default.
 */
final class SinkTransactionNaming {

    private static final String FILE = "sink-transaction-naming";

    /** The naming for this start, and whether it was kept from unmarked earlier snapshots. */
    record Choice(TransactionNamingStrategy naming, boolean keptFromEarlierSnapshots) {}

    /**
     * The naming for a start that restores {@code restore}: {@code --conf}'s if given, else the
     * folder's mark, else {@code POOLING} when there are unmarked snapshots, else the default;
     * recorded as the folder's mark.
     *
     * @throws IllegalStateException when {@code --conf} asks for {@code INCREMENTING} on snapshots
     *     written with {@code POOLING}, naming what to do
     */
    static Choice chooseAndMark(DataDir dir, Optional<Path> restore, Map<String, String> jobConf)
            throws IOException {
        Path mark = dir.checkpoints().getParent().resolve(FILE);
        Optional<TransactionNamingStrategy> marked = read(mark);
        String given = jobConf.get(JobOptions.SINK_TRANSACTION_NAMING.key());
        Choice choice;
        if (given != null) {
            TransactionNamingStrategy wanted = parse(given);
            boolean pooled = marked.map(m -> m == TransactionNamingStrategy.POOLING).orElse(true);
            if (restore.isPresent() && pooled && wanted == TransactionNamingStrategy.INCREMENTING) {
                throw new IllegalStateException(
                        "the job state in "
                                + dir.checkpoints().getParent()
                                + " may have been written with "
                                + JobOptions.SINK_TRANSACTION_NAMING.key()
                                + "=POOLING, which does not restore into INCREMENTING. Leave the"
                                + " option out to keep POOLING on this folder, or start from fresh"
                                + " job state: stop flowfn local, 'mv "
                                + dir.checkpoints().getParent()
                                + " "
                                + dir.checkpoints().getParent()
                                + "-pooling' and start again; the job continues from the offsets"
                                + " it committed (README: 'Upgrading')");
            }
            choice = new Choice(wanted, false);
        } else if (marked.isPresent()) {
            choice = new Choice(marked.get(), false);
        } else if (restore.isPresent()) {
            choice = new Choice(TransactionNamingStrategy.POOLING, true);
        } else {
            choice = new Choice(JobOptions.SINK_TRANSACTION_NAMING.defaultValue(), false);
        }
        Files.createDirectories(mark.getParent());
        Files.writeString(mark, choice.naming().name() + "\n", StandardCharsets.UTF_8);
        return choice;
    }

    private static TransactionNamingStrategy parse(String given) {
        try {
            return TransactionNamingStrategy.valueOf(given.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    JobOptions.SINK_TRANSACTION_NAMING.key()
                            + "="
                            + given
                            + " is not a transaction naming: give INCREMENTING or POOLING");
        }
    }

    private static Optional<TransactionNamingStrategy> read(Path mark) throws IOException {
        if (!Files.exists(mark)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    TransactionNamingStrategy.valueOf(
                            Files.readString(mark, StandardCharsets.UTF_8).trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private SinkTransactionNaming() {}
}
