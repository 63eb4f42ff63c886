package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLayoutTest {

    @TempDir Path root;

    @Test
    void aFreshFolderIsMarkedWithTheCurrentLayout() throws Exception {
        DataDir dir = DataDir.resolve(root);
        JobLayout.checkAndMark(dir, Optional.empty());
        assertThat(Files.readString(dir.checkpoints().getParent().resolve("job-layout")).trim())
                .isEqualTo(String.valueOf(JobLayout.CURRENT));
        // and its own snapshots restore
        Path snapshot = Files.createDirectories(dir.checkpoints().resolve("job/chk-1"));
        JobLayout.checkAndMark(dir, Optional.of(snapshot));
    }

    @Test
    void snapshotsOfTheEarlierLayoutAreRefusedWithWhatToDo() throws Exception {
        DataDir dir = DataDir.resolve(root);
        Path snapshot = Files.createDirectories(dir.checkpoints().resolve("job/chk-7"));
        Files.writeString(snapshot.resolve("_metadata"), "x");

        assertThatThrownBy(() -> JobLayout.checkAndMark(dir, Optional.of(snapshot)))
                .hasMessageContaining("earlier Flowfn (job layout 1")
                .hasMessageContaining("mv " + dir.checkpoints().getParent())
                .hasMessageContaining("README: 'Upgrading'");
        assertThat(dir.checkpoints().getParent().resolve("job-layout")).doesNotExist();
    }
}
