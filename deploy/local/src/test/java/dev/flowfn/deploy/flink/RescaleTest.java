package dev.flowfn.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.flink.FlinkCluster.Snapshot;
import dev.flowfn.job.JobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Rescale} against a cluster in memory: what it stops, what it runs from which snapshot, and
 * where it leaves the job when a step fails.
 */
class RescaleTest {

    private static final Map<String, String> SHOWN =
            Map.of(
                    JobOptions.SUBMITTED_JAR_ID.key(),
                    "job.jar",
                    ClusterJobArgs.SAVEPOINT_DIR,
                    "s3://sp",
                    ClusterJobArgs.PARALLELISM,
                    "2");

    private final FakeFlinkCluster cluster = new FakeFlinkCluster(4);
    private final List<String> progress = new ArrayList<>();

    private Rescale.Outcome rescale(int to) throws Exception {
        ClusterJob job = ClusterJob.find(cluster).orElseThrow();
        return Rescale.run(
                cluster,
                job,
                ProgramArgs.of(SHOWN).with(ClusterJobArgs.PARALLELISM, Integer.toString(to)),
                "s3://sp",
                Duration.ofSeconds(5),
                progress::add);
    }

    @Test
    void stopsWithASavepointAndRunsTheSameJarFromIt() throws Exception {
        cluster.runningJob(2, SHOWN);

        Rescale.Outcome done = rescale(4);

        assertThat(cluster.calls)
                .containsExactly(
                        "stop job1 into s3://sp",
                        "run job.jar p=4 from s3://sp/savepoint-job1 as job2");
        assertThat(done.fromJob()).isEqualTo("job1");
        assertThat(done.toJob()).isEqualTo("job2");
        assertThat(done.fromParallelism()).isEqualTo(2);
        assertThat(done.details().parallelism()).isEqualTo(4);
        assertThat(done.savepoint()).isEqualTo("s3://sp/savepoint-job1");
        assertThat(done.downtime()).isGreaterThanOrEqualTo(done.savepointTook());
        assertThat(progress).anyMatch(l -> l.startsWith("Stopping job job1 with a savepoint"));
        assertThat(progress).anyMatch(l -> l.contains("accepted as job job2"));
    }

    @Test
    void tooFewSlotsIsRefusedBeforeTheJobStops() {
        cluster.runningJob(2, SHOWN);

        assertThatThrownBy(() -> rescale(6))
                .isInstanceOfSatisfying(
                        Rescale.Failed.class, f -> assertThat(f.jobStopped()).isFalse())
                .hasMessageContaining("4 free task slots (with the 2 the job holds now)")
                .hasMessageContaining("nothing was changed");
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void aMissingJarIsRefusedBeforeTheJobStops() {
        cluster.runningJob(2, Map.of(JobOptions.SUBMITTED_JAR_ID.key(), "gone.jar"));

        assertThatThrownBy(
                        () ->
                                Rescale.run(
                                        cluster,
                                        ClusterJob.find(cluster).orElseThrow(),
                                        ProgramArgs.of(
                                                Map.of(
                                                        JobOptions.SUBMITTED_JAR_ID.key(),
                                                        "gone.jar",
                                                        ClusterJobArgs.PARALLELISM,
                                                        "4")),
                                        "s3://sp",
                                        Duration.ofSeconds(5),
                                        progress::add))
                .hasMessageContaining("no longer on")
                .hasMessageContaining("--jar FILE");
        assertThat(cluster.calls).isEmpty();
    }

    @Test
    void aFailedSavepointLeavesTheJobRunning() {
        cluster.runningJob(2, SHOWN);
        cluster.savepointFails = true;

        assertThatThrownBy(() -> rescale(4))
                .isInstanceOfSatisfying(
                        Rescale.Failed.class, f -> assertThat(f.jobStopped()).isFalse())
                .hasMessageContaining("disk full")
                .hasMessageContaining("job job1 is RUNNING with parallelism 2");
    }

    @Test
    void aRefusedNewJobIsCancelledAndTheOldParallelismRestoredFromTheSavepoint() {
        cluster.runningJob(2, SHOWN);
        cluster.refuseParallelism = p -> p == 4;

        assertThatThrownBy(() -> rescale(4))
                .isInstanceOfSatisfying(
                        Rescale.Failed.class,
                        f -> {
                            assertThat(f.jobStopped()).isFalse();
                            assertThat(f.restorePath()).hasValue("s3://sp/savepoint-job1");
                        })
                .hasMessageContaining("could not rescale to 4")
                .hasMessageContaining("not enough slots")
                .hasMessageContaining("runs again with parallelism 2 as job job3");
        assertThat(cluster.calls)
                .containsExactly(
                        "stop job1 into s3://sp",
                        "run job.jar p=4 from s3://sp/savepoint-job1 as job2",
                        "cancel job2",
                        "run job.jar p=2 from s3://sp/savepoint-job1 as job3");
    }

    @Test
    void whenNothingRunsAgainTheJobIsReportedStoppedWithTheNewestState() {
        cluster.runningJob(2, SHOWN);
        cluster.refuseParallelism = p -> true;
        // the refused job got as far as a checkpoint: its outputs up to there are committed
        cluster.checkpoints.put("job2", new Snapshot("s3://cp/job2/chk-1", 5_000L));

        assertThatThrownBy(() -> rescale(4))
                .isInstanceOfSatisfying(
                        Rescale.Failed.class,
                        f -> {
                            assertThat(f.jobStopped()).isTrue();
                            assertThat(f.restorePath()).hasValue("s3://cp/job2/chk-1");
                        })
                .hasMessageContaining(
                        "The Flowfn job is STOPPED; its state is in s3://cp/job2/chk-1");
        assertThat(cluster.calls).contains("run job.jar p=2 from s3://cp/job2/chk-1 as job3");
    }
}
