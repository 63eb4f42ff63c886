package dev.flowfn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.testing.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CompactedTopicViewIT {

    private static final String TOPIC = "view-test";

    /** Values are "ok:..." strings; anything else is undecodable. */
    private static String decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (!s.startsWith("ok:")) {
            throw new IllegalArgumentException("not an ok: record");
        }
        return s.substring(3);
    }

    @Test
    void followsPutsAndTombstonesAndSkipsUndecodableRecords() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
            kafka.createTopic(TOPIC, 2);
            send(kafka, "a", "ok:1");
            send(kafka, "bad", "garbage");
            List<Map<String, String>> changes = new CopyOnWriteArrayList<>();
            List<String> values = new CopyOnWriteArrayList<>();

            try (CompactedTopicView<String> view =
                    CompactedTopicView.readOnly(
                                    KafkaClientConfig.of(kafka.bootstrapServers()),
                                    TOPIC,
                                    CompactedTopicViewIT::decode)
                            .onValue(values::add)
                            .onChange(changes::add)
                            .start(Duration.ofSeconds(30))) {
                assertThat(view.get("a")).contains("1");
                assertThat(view.get("bad")).isEmpty();
                assertThat(changes).containsExactly(Map.of("a", "1"));

                send(kafka, "b", "ok:2");
                send(kafka, "a", "ok:3");
                awaitUntil(() -> view.values().equals(List.of("3", "2")));
                send(kafka, "a", null);
                awaitUntil(() -> view.get("a").isEmpty());
                awaitUntil(() -> changes.get(changes.size() - 1).equals(Map.of("b", "2")));
                assertThat(view.snapshot()).isEqualTo(Map.of("b", "2"));
                assertThat(values).containsExactly("1", "2", "3");
                view.checkAlive();
            }
        }
    }

    private static void send(KafkaTestCluster kafka, String key, String value) throws Exception {
        kafka.send(
                TOPIC,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
