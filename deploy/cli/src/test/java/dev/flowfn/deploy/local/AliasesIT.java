package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.AliasView;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.deploy.control.client.ControlApiException;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Flaky;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions and aliases on the real platform: an alias moved and rolled back under load loses and
 * repeats nothing and keeps each key in order; a 90/10 split is sticky by key; a canary that breaks
 * its rollback rule is moved back by the platform.
 */
class AliasesIT {

    private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, TestPlatforms.SHORT_METERING_WINDOWS);
        client = TestPlatforms.client(platform, dir);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anAliasMovedAndRolledBackUnderLoadRunsEachEventOnceInKeyOrder() throws Exception {
        deploy("moving", Upper.class, "kafka:topic=moving-in,alias=prod", "prod");
        deploy("moving", Upper.class, "kafka:topic=moving-in,alias=prod", null);
        assertThat(alias("moving", "prod").version()).isEqualTo(1);

        int events = 10_000;
        int keys = 200;
        Thread producer =
                new Thread(() -> produce("moving-in", events, keys, "e", 2_000), "producer");
        producer.start();
        Thread.sleep(1_500);
        client.setAlias("moving", "prod", new AliasRequest(2L, null, null, null));
        Thread.sleep(1_500);
        client.rollback("moving", new RollbackRequest("prod", null));
        producer.join();
        assertThat(alias("moving", "prod").version()).isEqualTo(1);

        List<InvocationResult> results =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getFunction().equals("moving"),
                        events,
                        Duration.ofSeconds(180));
        Set<String> ids =
                results.stream().map(InvocationResult::getInvocationId).collect(Collectors.toSet());
        assertThat(ids).as("no duplicates").hasSameSizeAs(results);
        assertThat(results).as("one result per event").hasSize(events);
        Map<String, List<InvocationResult>> byKey = new HashMap<>();
        for (InvocationResult r : results) {
            assertThat(r.getSuccess()).isTrue();
            String[] keyAndSeq = data(r).split("-"); // E<key>-<seq>, upper-cased by the handler
            byKey.computeIfAbsent(keyAndSeq[0], k -> new ArrayList<>()).add(r);
        }
        assertThat(byKey).hasSize(keys);
        int sawV2 = 0;
        for (List<InvocationResult> keyResults : byKey.values()) {
            keyResults.sort(Comparator.comparingInt(AliasesIT::seq));
            // in input order: each started after the one before it had started
            for (int i = 1; i < keyResults.size(); i++) {
                assertThat(keyResults.get(i).getStartMicros())
                        .isGreaterThanOrEqualTo(keyResults.get(i - 1).getStartMicros());
            }
            // v1, then v2 during the move, then v1 after the rollback: never v2 before a v1 of
            // the first phase, never back to v2
            String versions =
                    keyResults.stream()
                            .map(r -> Long.toString(r.getVersion()))
                            .collect(Collectors.joining());
            assertThat(versions).as("versions of one key in order").matches("1*2*1*");
            sawV2 += versions.contains("2") ? 1 : 0;
        }
        assertThat(sawV2).as("keys that ran on version 2 during the move").isPositive();
    }

    @Test
    void aNinetyTenSplitLandsNearTenPercentAndEachKeyStaysOnOneVersion() throws Exception {
        deploy("split", Upper.class, "kafka:topic=split-in,alias=prod", "prod");
        deploy("split", Upper.class, "kafka:topic=split-in,alias=prod", null);
        AliasView split = client.setAlias("split", "prod", new AliasRequest(1L, 2L, 10, null));
        assertThat(split.describe()).isEqualTo("prod -> 1 (90%), 2 (10%)");
        int keys = 1_000;
        produce("split-in", 3 * keys, keys, "s", 0);

        List<InvocationResult> results =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getFunction().equals("split"),
                        3 * keys,
                        Duration.ofSeconds(120));
        assertThat(results).hasSize(3 * keys);
        Map<String, Set<Long>> versionsByKey = new HashMap<>();
        for (InvocationResult r : results) {
            versionsByKey
                    .computeIfAbsent(data(r).split("-")[0], k -> new HashSet<>())
                    .add(r.getVersion());
        }
        assertThat(versionsByKey).hasSize(keys);
        assertThat(versionsByKey.values())
                .as("each key on one version")
                .allMatch(v -> v.size() == 1);
        long canary = versionsByKey.values().stream().filter(v -> v.contains(2L)).count();
        assertThat(canary).as("keys on the 10% canary, of 1,000").isBetween(70L, 130L);
    }

    @Test
    void aCanaryBreakingItsRuleIsRolledBackAndSaysSo() throws Exception {
        deploy("canary", Upper.class, "kafka:topic=canary-in,alias=prod", "prod");
        deploy("canary", Flaky.class, "kafka:topic=canary-in,alias=prod", null);
        client.setAlias("canary", "prod", new AliasRequest(1L, 2L, 50, "error-rate>20%/4s"));
        // version 2 (Flaky) fails every event that says "fail"; version 1 upper-cases it
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (alias("canary", "prod").canaryVersion() != null && System.nanoTime() < deadline) {
            produce("canary-in", 100, 100, "fail", 0);
            Thread.sleep(1_000);
        }
        AliasView back = alias("canary", "prod");
        assertThat(back.canaryVersion()).as("the split ended").isNull();
        assertThat(back.version()).isEqualTo(1);

        List<Alert> alerts =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        Topics.ALERTS,
                        ALERTS,
                        a -> a.getFunction().equals("canary"),
                        2,
                        Duration.ofSeconds(30));
        assertThat(alerts).extracting(Alert::getRollback).containsOnly("prod");
        assertThat(alerts.get(0).getVersion()).isEqualTo(2);
        assertThat(alerts.get(0).getRule()).isEqualTo("error-rate>20%/4s");
        assertThat(alerts.get(1).getRule()).contains("rolled back: alias prod is on version 1");
    }

    @Test
    void badRequestsNameTheFix() throws Exception {
        deploy("named", Upper.class, null, null);
        assertThatThrownBy(
                        () ->
                                client.setAlias(
                                        "named", "prod", new AliasRequest(7L, null, null, null)))
                .isInstanceOf(ControlApiException.class)
                .hasMessageContaining("version 7 of 'named' does not exist");
        assertThatThrownBy(() -> client.invoke("named:prod", new byte[0], "text/plain"))
                .hasMessageContaining("'named' has no alias prod");
        deploy("named", Upper.class, null, null);
        client.setAlias("named", "prod", new AliasRequest(1L, null, null, null));
        assertThatThrownBy(
                        () -> client.setAlias("named", "prod", new AliasRequest(1L, 2L, 120, null)))
                .hasMessageContaining("give 1 to 99");
        assertThatThrownBy(() -> client.delete("named:1"))
                .hasMessageContaining("in use by alias prod");
        assertThat(
                        client.invoke(
                                        "named:prod",
                                        "a".getBytes(StandardCharsets.UTF_8),
                                        "text/plain")
                                .version())
                .isEqualTo(1);
        assertThat(
                        client.invoke("named:2", "a".getBytes(StandardCharsets.UTF_8), "text/plain")
                                .version())
                .isEqualTo(2);
        assertThat(client.versions("named")).hasSize(2);
    }

    private static void deploy(String name, Class<?> handler, String trigger, String alias)
            throws Exception {
        List<Object> fields =
                new ArrayList<>(List.of("name", name, "handler", handler.getName(), "retries", 0));
        if (trigger != null) {
            fields.addAll(List.of("triggers", List.of(trigger)));
        }
        if (alias != null) {
            fields.addAll(List.of("alias", alias));
        }
        client.deploy(
                DeploySpecs.of(fields.toArray()),
                name + ".jar",
                TestJars.of(Upper.class, Flaky.class));
    }

    private static AliasView alias(String function, String name) {
        return client.aliases(function).stream()
                .filter(a -> a.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** {@code count} records over {@code keys} keys, data {@code prefix<key>-<seq>}, paced. */
    private static void produce(String topic, int count, int keys, String prefix, int perSecond) {
        Properties p = new Properties();
        p.put("bootstrap.servers", platform.kafkaBootstrap());
        p.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String key = "k" + (i % keys);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                key.getBytes(StandardCharsets.UTF_8),
                                (prefix + key + "-" + i).getBytes(StandardCharsets.UTF_8)));
                if (perSecond > 0 && i % 100 == 99) {
                    producer.flush();
                    Thread.sleep(100_000L / perSecond);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String data(InvocationResult r) {
        return StandardCharsets.UTF_8.decode(r.getData().duplicate()).toString();
    }

    private static int seq(InvocationResult r) {
        return Integer.parseInt(data(r).split("-")[1]);
    }
}
