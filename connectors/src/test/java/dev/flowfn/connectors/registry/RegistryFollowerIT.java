package dev.flowfn.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import dev.flowfn.testing.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RegistryFollowerIT {

    @Test
    void followsDeploysUpdatesAndDeletes() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
            deploy(kafka, spec("gc", 1));
            List<Map<String, FunctionSpec>> seen = new CopyOnWriteArrayList<>();

            try (RegistryFollower follower =
                    RegistryFollower.start(
                            KafkaClientConfig.of(kafka.bootstrapServers()), seen::add)) {
                assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(follower.functions()).containsOnlyKeys("gc");

                deploy(kafka, spec("gc", 2));
                deploy(kafka, spec("export", 1));
                awaitUntil(() -> follower.functions().size() == 2);
                assertThat(follower.functions().get("gc").getVersion()).isEqualTo(2);

                kafka.send(Topics.FUNCTIONS, "gc".getBytes(StandardCharsets.UTF_8), null);
                awaitUntil(() -> !follower.functions().containsKey("gc"));
                assertThat(follower.functions()).containsOnlyKeys("export");
                awaitUntil(
                        () ->
                                seen.get(seen.size() - 1)
                                        .keySet()
                                        .equals(java.util.Set.of("export")));
                assertThat(seen.get(0)).containsOnlyKeys("gc");
            }
        }
    }

    private static void deploy(KafkaTestCluster kafka, FunctionSpec spec) throws Exception {
        kafka.send(
                Topics.FUNCTIONS,
                spec.getName().getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(FunctionSpec.class).encode(spec));
    }

    static FunctionSpec spec(String name, long version) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(version)
                .setHandler("x.Y")
                .setCodeUri("s3://code/x.jar")
                .setCodeSha256("00")
                .setRetry(RetryPolicy.newBuilder().build())
                .setTriggers(List.of(TriggerSpecs.parse("cron:expr=*/5 * * * *")))
                .setDeployedAt(Instant.now())
                .build();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
