package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.job.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkTransactionNamingTest {

    private static final String KEY = JobOptions.SINK_TRANSACTION_NAMING.key();

    @TempDir Path root;

    @Test
    void aFreshFolderTakesTheDefaultAndKeepsItOnItsOwnSnapshots() throws Exception {
        DataDir dir = DataDir.resolve(root);
        SinkTransactionNaming.Choice first =
                SinkTransactionNaming.chooseAndMark(dir, Optional.empty(), Map.of());
        assertThat(first.naming()).isEqualTo(TransactionNamingStrategy.INCREMENTING);
        assertThat(first.keptFromEarlierSnapshots()).isFalse();

        SinkTransactionNaming.Choice restart =
                SinkTransactionNaming.chooseAndMark(dir, Optional.of(snapshot(dir)), Map.of());
        assertThat(restart.naming()).isEqualTo(TransactionNamingStrategy.INCREMENTING);
        assertThat(restart.keptFromEarlierSnapshots()).isFalse();
    }

    @Test
    void snapshotsWithoutAMarkKeepPoolingFromThenOn() throws Exception {
        DataDir dir = DataDir.resolve(root);
        Path snapshot = snapshot(dir);

        SinkTransactionNaming.Choice first =
                SinkTransactionNaming.chooseAndMark(dir, Optional.of(snapshot), Map.of());
        assertThat(first.naming()).isEqualTo(TransactionNamingStrategy.POOLING);
        assertThat(first.keptFromEarlierSnapshots()).isTrue();

        SinkTransactionNaming.Choice restart =
                SinkTransactionNaming.chooseAndMark(dir, Optional.of(snapshot), Map.of());
        assertThat(restart.naming()).isEqualTo(TransactionNamingStrategy.POOLING);
        assertThat(restart.keptFromEarlierSnapshots()).isFalse();
    }

    @Test
    void aGivenNamingWinsWhereTheSnapshotsRestoreIntoIt() throws Exception {
        DataDir dir = DataDir.resolve(root);
        SinkTransactionNaming.chooseAndMark(dir, Optional.empty(), Map.of());
        SinkTransactionNaming.Choice pooling =
                SinkTransactionNaming.chooseAndMark(
                        dir, Optional.of(snapshot(dir)), Map.of(KEY, "pooling"));
        assertThat(pooling.naming()).isEqualTo(TransactionNamingStrategy.POOLING);
    }

    @Test
    void anUnknownNamingIsRefusedWithTheChoices() {
        DataDir dir = DataDir.resolve(root);
        assertThatThrownBy(
                        () ->
                                SinkTransactionNaming.chooseAndMark(
                                        dir, Optional.empty(), Map.of(KEY, "pooled")))
                .hasMessage(
                        KEY + "=pooled is not a transaction naming: give INCREMENTING or POOLING");
    }

    @Test
    void incrementingOnPooledSnapshotsIsRefusedWithWhatToDo() throws Exception {
        DataDir dir = DataDir.resolve(root);
        Path snapshot = snapshot(dir);
        SinkTransactionNaming.chooseAndMark(dir, Optional.of(snapshot), Map.of()); // POOLING

        assertThatThrownBy(
                        () ->
                                SinkTransactionNaming.chooseAndMark(
                                        dir, Optional.of(snapshot), Map.of(KEY, "INCREMENTING")))
                .hasMessageContaining("does not restore into INCREMENTING")
                .hasMessageContaining("Leave the option out")
                .hasMessageContaining("mv " + dir.checkpoints().getParent());
        // a fresh start of the same folder may take it
        assertThat(
                        SinkTransactionNaming.chooseAndMark(
                                        dir, Optional.empty(), Map.of(KEY, "INCREMENTING"))
                                .naming())
                .isEqualTo(TransactionNamingStrategy.INCREMENTING);
    }

    private static Path snapshot(DataDir dir) throws Exception {
        Path snapshot = Files.createDirectories(dir.checkpoints().resolve("job/chk-3"));
        Files.writeString(snapshot.resolve("_metadata"), "x");
        return snapshot;
    }
}
