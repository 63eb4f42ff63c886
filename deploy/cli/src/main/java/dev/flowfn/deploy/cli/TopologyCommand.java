package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.topology.Topology;
import dev.flowfn.deploy.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowfn topology}: the production layout as separate processes on this machine, for trying
 * failover and scaling ({@link Topology}). Runs in the foreground until SIGTERM or Ctrl-C, which
 * stops every process it started.
 *
 * <p>Threads: the main thread starts the topology and waits; a shutdown hook stops it.
 */
@Command(
        name = "topology",
        mixinStandardHelpOptions = true,
        description = {
            "Run Flowfn's production layout as separate processes on this machine, each restarted"
                    + " if it dies (kill -9 one to watch the rest carry on): a Kafka cluster of KRaft"
                    + " nodes, a Flink JobManager with TaskManagers, Kafka Connect workers in"
                    + " distributed mode, control servers (flowfn server) and an S3 store. Then it"
                    + " submits the Flowfn job and installs the trigger connectors, as an operator"
                    + " would with 'flowfn submit' and 'flowfn connectors deploy'.",
            "Endpoints and process ids: DIR/topology.properties (rewritten on every restart). The"
                    + " API token and S3 keys: DIR/secrets/ (never printed). Logs: DIR/logs/."
                    + " SIGTERM or Ctrl-C stops everything; the data stays in DIR for the next run.",
            "Needs about 9 GB of memory for the default layout."
        })
final class TopologyCommand extends CliCommand implements Callable<Integer> {

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "target/topology",
            description = "Data, logs and topology.properties; default ${DEFAULT-VALUE}")
    Path dir;

    @Option(
            names = "--brokers",
            defaultValue = "3",
            description = "Kafka KRaft nodes; default ${DEFAULT-VALUE}")
    int brokers;

    @Option(
            names = "--taskmanagers",
            defaultValue = "2",
            description = "Flink TaskManagers; default ${DEFAULT-VALUE}")
    int taskManagers;

    @Option(
            names = "--slots",
            defaultValue = "2",
            description = "Task slots per TaskManager; default ${DEFAULT-VALUE}")
    int slots;

    @Option(
            names = "--connect-workers",
            defaultValue = "2",
            description = "Kafka Connect workers; default ${DEFAULT-VALUE}")
    int connectWorkers;

    @Option(
            names = "--servers",
            defaultValue = "2",
            description = "Control server replicas; default ${DEFAULT-VALUE}")
    int servers;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "The job's parallelism; default ${DEFAULT-VALUE}")
    int parallelism;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "2s",
            description = "The job's checkpoint interval; default ${DEFAULT-VALUE}")
    String checkpointInterval;

    @Option(
            names = "--flink-conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A line of the Flink cluster's config.yaml, for Flink and for the job's own"
                            + " options (e.g. flowfn.metering.window=10s); repeatable")
    Map<String, String> flinkConf = new LinkedHashMap<>();

    @Option(
            names = "--reactive",
            description =
                    "Run the job in reactive mode: a JobManager in application mode runs it at"
                            + " once, and its parallelism follows the task slots offered (start"
                            + " another TaskManager and it scales up by itself); --parallelism and"
                            + " 'flowfn scale' do not apply")
    boolean reactive;

    @Option(
            names = "--no-submit",
            description = "Start the processes only: submit no job, install no connector")
    boolean noSubmit;

    @Override
    public Integer call() throws Exception {
        TopologySettings settings;
        try {
            settings =
                    new TopologySettings(
                            dir,
                            brokers,
                            taskManagers,
                            slots,
                            connectWorkers,
                            servers,
                            parallelism,
                            SubmitCommand.duration("--checkpoint-interval", checkpointInterval),
                            flinkConf,
                            reactive,
                            !noSubmit);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Files.createDirectories(dir);
        PrintWriter out = out();
        // every child's own shutdown hook waits for the orderly stop below: the supervisor must
        // stop
        // watching before any child stops, or it would start that child again
        CountDownLatch orderly = new CountDownLatch(1);
        ChildJvm.stopAfter(orderly);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Topology> running = new AtomicReference<>();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    Topology t = running.get();
                                    if (t != null) {
                                        t.close();
                                    }
                                    orderly.countDown();
                                    stopped.countDown();
                                },
                                "flowfn-topology-shutdown"));
        running.set(
                Topology.start(
                        settings,
                        line -> {
                            out.println(line);
                            out.flush();
                        }));
        running.get().endpoints().forEach((k, v) -> out.printf("  %-18s %s%n", k, v));
        out.println("Running; SIGTERM or Ctrl-C stops every process.");
        out.flush();
        stopped.await();
        return 0;
    }
}
