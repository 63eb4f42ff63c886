package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.flink.ClusterSubmit.JobJar;
import dev.flowfn.job.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterSubmit} against a cluster in memory. */
class ClusterSubmitTest {

    private final FakeFlinkCluster cluster = new FakeFlinkCluster(4);
    private final List<String> progress = new ArrayList<>();
    @TempDir Path dir;

    private static ProgramArgs args(int parallelism) {
        return ProgramArgs.of(Map.of(ClusterJobArgs.PARALLELISM, Integer.toString(parallelism)));
    }

    @Test
    void uploadsRunsAndRecordsTheJarIdAmongTheArguments() throws Exception {
        Path jar = Files.writeString(dir.resolve("job-all.jar"), "jar");

        ClusterSubmit.Submitted s =
                ClusterSubmit.submit(
                        cluster,
                        JobJar.file(jar),
                        args(2),
                        null,
                        Duration.ofSeconds(5),
                        progress::add);

        assertThat(s.jobId()).isEqualTo("job1");
        assertThat(s.jarId()).isEqualTo("uploaded.jar");
        assertThat(s.details().parallelism()).isEqualTo(2);
        assertThat(cluster.calls)
                .containsExactly("upload job-all.jar", "run uploaded.jar p=2 from null as job1");
        assertThat(cluster.jobParameters("job1"))
                .containsEntry(JobOptions.SUBMITTED_JAR_ID.key(), "uploaded.jar");
    }

    @Test
    void refusesASecondFlowfnJob() {
        cluster.runningJob(2, Map.of());

        assertThatThrownBy(
                        () ->
                                ClusterSubmit.submit(
                                        cluster,
                                        JobJar.uploaded("job.jar"),
                                        args(2),
                                        null,
                                        Duration.ofSeconds(5),
                                        progress::add))
                .isInstanceOfSatisfying(
                        ClusterSubmit.AlreadyRunning.class,
                        e -> assertThat(e.job().id()).isEqualTo("job1"));
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void refusesAParallelismTheSlotsCannotHoldBeforeUploading() {
        assertThatThrownBy(
                        () ->
                                ClusterSubmit.submit(
                                        cluster,
                                        JobJar.uploaded("job.jar"),
                                        args(6),
                                        null,
                                        Duration.ofSeconds(5),
                                        progress::add))
                .hasMessageContaining("has 4 free task slots of 4")
                .hasMessageContaining("parallelism 6 needs 6");
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void aJobThatDoesNotRunIsCancelled() {
        cluster.refuseParallelism = p -> true;

        assertThatThrownBy(
                        () ->
                                ClusterSubmit.submit(
                                        cluster,
                                        JobJar.uploaded("job.jar"),
                                        args(2),
                                        "s3://sp/savepoint-1",
                                        Duration.ofSeconds(5),
                                        progress::add))
                .hasMessageContaining("ended while starting (FAILED)");
        assertThat(cluster.calls)
                .containsExactly("run job.jar p=2 from s3://sp/savepoint-1 as job1", "cancel job1");
    }
}
