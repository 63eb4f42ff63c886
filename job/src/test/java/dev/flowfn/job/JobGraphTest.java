package dev.flowfn.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.internal.metering.Metering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's graph as Flink builds it from {@link FlowfnJob#build}, without running it. */
class JobGraphTest {

    @Test
    void resultsSinkIsChainedToTheFunctionGroupUnlessAskedForATaskOfItsOwn() {
        assertThat(taskNames(conf()))
                .noneMatch(t -> t.startsWith("exactly-once sink: Writer"))
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .startsWith("function group")
                                        .contains("exactly-once sink: Writer")
                                        .contains("exactly-once sink: Committer"));

        Configuration ownTask = conf();
        ownTask.set(JobOptions.SINK_OWN_TASK, true);
        assertThat(taskNames(ownTask))
                .anySatisfy(t -> assertThat(t).isEqualTo("function group"))
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .startsWith("exactly-once sink: Writer")
                                        .contains("exactly-once sink: Committer"));
    }

    @Test
    void meteringWindowsAreEncodedOnTheirOwnTask() {
        assertThat(taskNames(conf()))
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .startsWith("metering windows")
                                        .contains("late partials")
                                        .contains("encode metering"))
                .noneMatch(t -> t.startsWith("encode metering"));
    }

    /** The names of the job's tasks: each a chain of operators, named by them in order. */
    private static List<String> taskNames(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FlowfnJob.build(env, conf);
        List<String> names = new ArrayList<>();
        env.getStreamGraph().getJobGraph().getVertices().forEach(v -> names.add(v.getName()));
        return names;
    }

    private static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set(JobOptions.S3_ENDPOINT, "http://127.0.0.1:1");
        conf.set(JobOptions.S3_ACCESS_KEY, "a");
        conf.set(JobOptions.S3_SECRET_KEY, "s");
        return conf;
    }

    @Test
    void invocationPathFlushesAtTheJobsBufferTimeoutMeteringWaitsLongerRegistryPerRecord() {
        Configuration conf = new Configuration();
        conf.setString("execution.buffer-timeout.interval", "1ms");
        conf.set(JobOptions.S3_ENDPOINT, "http://127.0.0.1:1");
        conf.set(JobOptions.S3_ACCESS_KEY, "a");
        conf.set(JobOptions.S3_SECRET_KEY, "s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

        FlowfnJob.build(env, conf);
        StreamGraph graph = env.getStreamGraph();

        Map<String, Long> timeouts =
                graph.getStreamNodes().stream()
                        .collect(
                                Collectors.toMap(
                                        StreamNode::getOperatorName,
                                        StreamNode::getBufferTimeout,
                                        Math::min));
        assertThat(timeouts)
                .containsEntry("Source: trigger topics", 1L)
                .containsEntry(
                        "Source: registry: flowfn.functions", FlowfnJob.REGISTRY_BUFFER_TIMEOUT_MS)
                .containsEntry("function group", 1L)
                .containsEntry("metering windows", Metering.BUFFER_TIMEOUT_MS)
                .containsEntry("late partials", Metering.BUFFER_TIMEOUT_MS)
                .containsEntry("encode metering", Metering.BUFFER_TIMEOUT_MS)
                .containsEntry("alert rules", 1L);
        // every node that sends to the metering windows, or on from them, waits longer
        graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals("metering windows"))
                .flatMap(n -> n.getInEdges().stream())
                .forEach(
                        e ->
                                assertThat(e.getBufferTimeout())
                                        .as(e.toString())
                                        .isEqualTo(Metering.BUFFER_TIMEOUT_MS));
        graph.getStreamNodes().stream()
                .filter(
                        n ->
                                n.getOperatorName()
                                        .equals("exactly-once sink: metering and alerts: Writer"))
                .flatMap(n -> n.getInEdges().stream())
                .forEach(
                        e ->
                                assertThat(e.getBufferTimeout())
                                        .as(e.toString())
                                        .isEqualTo(Metering.BUFFER_TIMEOUT_MS));
    }
}
