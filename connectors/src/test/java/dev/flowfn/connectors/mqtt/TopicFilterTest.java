package dev.flowfn.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void matchesAsMqttSays() {
        assertThat(TopicFilter.matches("devices/+/logs", "devices/s7/logs")).isTrue();
        assertThat(TopicFilter.matches("devices/+/logs", "devices/s7/logs/x")).isFalse();
        assertThat(TopicFilter.matches("devices/#", "devices")).isTrue();
        assertThat(TopicFilter.matches("devices/#", "devices/a/b")).isTrue();
        assertThat(TopicFilter.matches("+/+", "a/b")).isTrue();
        assertThat(TopicFilter.matches("#", "$SYS/broker")).isFalse();
        assertThat(TopicFilter.matches("a/+", "a/")).isTrue();
    }

    @Test
    void deviceLevelIsTheFirstPlusUnlessNamed() {
        assertThat(TopicFilter.of("devices/+/logs", 1).device("devices/s7/logs")).contains("s7");
        assertThat(new TopicFilter("plant/+/line/+", 1, 3).device("plant/p1/line/d9"))
                .contains("d9");
        assertThat(TopicFilter.of("devices/logs", 1).device("devices/logs")).isEmpty();
        assertThat(TopicFilter.of("a/+", 0).device("a/")).isEmpty();
    }

    @Test
    void invalidFiltersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TopicFilter.of("a/#/b", 1)).hasMessageContaining("'#' must be");
        assertThatThrownBy(() -> TopicFilter.of("a/b+", 1)).hasMessageContaining("'+' must be");
        assertThatThrownBy(() -> TopicFilter.of("a", 3)).hasMessageContaining("0, 1 or 2");
    }

    @Test
    void subscriptionsAreTheUnionOfTriggersAtTheHighestQos() {
        Subscriptions before =
                Subscriptions.of(List.of(), Map.of("a", spec("a", "devices/+/logs", "0")));
        Subscriptions after =
                Subscriptions.of(
                        List.of(TopicFilter.of("all/#", 1)),
                        Map.of(
                                "a", spec("a", "devices/+/logs", "0"),
                                "b", spec("b", "devices/+/logs", "2")));
        assertThat(after.filters())
                .extracting(TopicFilter::filter, TopicFilter::qos)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("all/#", 1),
                        org.assertj.core.groups.Tuple.tuple("devices/+/logs", 2));
        assertThat(after.added(before))
                .extracting(TopicFilter::filter)
                .containsExactly("all/#", "devices/+/logs");
        assertThat(Subscriptions.empty().removed(after)).containsExactly("all/#", "devices/+/logs");
        assertThat(after.device("devices/s1/logs")).contains("s1");
        assertThat(after.device("all/x")).isEmpty();
    }

    @Test
    void inOrderAcksWaitForEveryRecordAndEarlierMessages() {
        List<String> acked = new java.util.ArrayList<>();
        InOrderAcks acks = new InOrderAcks();
        InOrderAcks.Pending first = acks.received(2, () -> acked.add("first"));
        InOrderAcks.Pending second = acks.received(1, () -> acked.add("second"));
        second.written();
        assertThat(acked).isEmpty();
        first.written();
        assertThat(acked).isEmpty();
        first.written();
        assertThat(acked).containsExactly("first", "second");
        assertThat(acks.inFlight()).isZero();
        assertThat(acks.acknowledged()).isEqualTo(2);
    }

    private static FunctionSpec spec(String name, String filter, String qos) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setHandler("x.Y")
                .setCodeUri("s3://b/k")
                .setCodeSha256("0")
                .setRetry(new RetryPolicy(1, 1L))
                .setTriggers(
                        List.of(
                                new Trigger(
                                        "mqtt",
                                        Map.of("topic", filter, "qos", qos),
                                        "mqtt:topic=" + filter)))
                .setDeployedAt(Instant.EPOCH)
                .build();
    }
}
