package dev.flowfn.job.local;

import dev.flowfn.job.FlowfnJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The Flowfn job on a Flink MiniCluster in this JVM: what {@code flowfn local} and the job's
 * integration tests run. The cluster is real (JobManager, TaskManagers, checkpoints, restarts);
 * only the processes are one.
 */
public final class EmbeddedFlink implements AutoCloseable {

    /** The options that bind Flink's servers, set to 127.0.0.1 unless given. */
    private static final List<String> LOOPBACK_BINDINGS =
            List.of("jobmanager.bind-host", "taskmanager.bind-host", "rest.bind-address");

    private final MiniCluster cluster;
    private final Configuration conf;
    private int liveTaskManager;

    private EmbeddedFlink(MiniCluster cluster, Configuration conf) {
        this.cluster = cluster;
        this.conf = conf;
    }

    /**
     * Starts a MiniCluster with one TaskManager of {@code slots} slots, configured by {@code
     * configuration} and bound to the loopback interface ({@link #loopbackOnly}).
     */
    public static EmbeddedFlink start(Configuration configuration, int slots) throws Exception {
        Configuration conf = loopbackOnly(configuration);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return new EmbeddedFlink(cluster, conf);
    }

    /**
     * {@code conf} with Flink's servers in this JVM bound to 127.0.0.1 unless it says otherwise:
     * without {@code jobmanager.bind-host}, the MiniCluster's BlobServer (which serves and takes
     * job artifacts) listens on every interface of the machine.
     */
    public static Configuration loopbackOnly(Configuration conf) {
        Configuration bound = new Configuration(conf);
        for (String key : LOOPBACK_BINDINGS) {
            if (!bound.containsKey(key)) {
                bound.setString(key, "127.0.0.1");
            }
        }
        return bound;
    }

    /**
     * Submits the Flowfn job, restoring from {@code restorePath} (a checkpoint or savepoint) when
     * it is not null.
     */
    public JobID submitFlowfn(String restorePath) throws Exception {
        Configuration jobConf = new Configuration(conf);
        if (restorePath != null) {
            jobConf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(jobConf);
        FlowfnJob.build(env, jobConf);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(FlowfnJob.NAME);
        return cluster.submitJob(graph).get().getJobID();
    }

    /** Waits until every task of the job is running (so sources read and checkpoints can start). */
    public void awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var graph = cluster.getExecutionGraph(job).get();
            JobStatus status = graph.getState();
            if (status.isGloballyTerminalState()) {
                String cause =
                        graph.getFailureInfo() == null
                                ? ""
                                : ": " + graph.getFailureInfo().getExceptionAsString();
                throw new IllegalStateException("job ended while starting, " + status + cause);
            }
            boolean allRunning = status == JobStatus.RUNNING;
            for (var vertex : graph.getAllExecutionVertices()) {
                allRunning &=
                        vertex.getExecutionState()
                                == org.apache.flink.runtime.execution.ExecutionState.RUNNING;
            }
            if (allRunning) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + job + " not running after " + timeout);
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get();
    }

    /** Stops the job with a final savepoint in {@code dir}; returns its path. */
    public String stopWithSavepoint(JobID job, String dir, Duration timeout) throws Exception {
        return cluster.stopWithSavepoint(job, dir, false, SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
    }

    /**
     * Kills the running TaskManager (a crash as far as the job can tell) and starts a new one, on
     * which the job restarts from its last checkpoint. Can be called again: the MiniCluster keeps
     * dead TaskManagers in its list, so the live one is always the last started.
     */
    public synchronized void crashTaskManager() throws Exception {
        cluster.terminateTaskManager(liveTaskManager).get();
        cluster.startTaskManager();
        liveTaskManager++;
    }

    /** The number of restarts the job went through. */
    public long restarts(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING) > 0
                ? countRestarts(job)
                : 0;
    }

    private long countRestarts(JobID job) throws Exception {
        var graph = cluster.getExecutionGraph(job).get();
        long max = 0;
        for (var vertex : graph.getAllExecutionVertices()) {
            max = Math.max(max, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    /** The web UI / REST address of the cluster. */
    public String restAddress() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
