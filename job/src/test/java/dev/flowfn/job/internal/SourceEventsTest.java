package dev.flowfn.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceEventsTest {

    @Test
    void aUserRecordsKeyIsBothItsShuffleKeyAndItsEventsSubject() {
        byte[] key = "gerät-7".getBytes(StandardCharsets.UTF_8);
        SourceRecord r = new SourceRecord("devices", 1, 42, 1_000, key, new byte[] {1});
        String shuffleKey = new SourceKeys().getKey(r);
        Event event = SourceEvents.toEvent(r);

        assertThat(shuffleKey).isEqualTo("gerät-7");
        assertThat(event.getSubject()).isEqualTo("gerät-7");
        assertThat(event.getId()).isEqualTo("devices/1/42");

        SourceRecord keyless = new SourceRecord("devices", 1, 43, 1_000, null, new byte[] {1});
        assertThat(new SourceKeys().getKey(keyless)).isEqualTo("devices/1@43");
        assertThat(SourceEvents.toEvent(keyless).getSubject()).isNull();
    }

    @Test
    void eachRecordsSourceNamesItsOwnTopicAndPartition() {
        // the sources are kept per partition: partitions past the first array, then a topic's
        // later partitions and other topics, must each still get their own
        for (int round = 0; round < 2; round++) {
            for (int partition : new int[] {0, 3, 8, 31, 2}) {
                for (String topic : new String[] {"devices", "orders"}) {
                    SourceRecord r = new SourceRecord(topic, partition, 5, 1_000, null, null);
                    assertThat(SourceEvents.toEvent(r).getSource())
                            .isEqualTo("kafka://" + topic + "/" + partition);
                }
            }
        }
    }

    @Test
    void mqttQos2IdsHaveASourceIdentityOtherMqttIdsDoNot() {
        assertThat(SourceEvents.hasSourceIdentity(event("mqtt.message", "mqtt-qos2:c:e:1")))
                .isTrue();
        assertThat(
                        SourceEvents.hasSourceIdentity(
                                event("mqtt.message", "0b8e2f4c-6a0e-4f7e-9a51-3d2b1c0f9e11")))
                .isFalse();
    }

    @Test
    void objectNotificationsAndTicksHaveOne() {
        assertThat(SourceEvents.hasSourceIdentity(event("s3:ObjectCreated:Put", "x"))).isTrue();
        assertThat(SourceEvents.hasSourceIdentity(event("timer.tick", "x"))).isTrue();
        assertThat(SourceEvents.hasSourceIdentity(event("http.request", "x"))).isFalse();
    }

    @Test
    void theProducersFlagDecidesForAnyTypeAndId() {
        Event flagged =
                Event.newBuilder(event("kafka.record", "words/0/7"))
                        .setSourceIdentity(true)
                        .build();
        assertThat(SourceEvents.hasSourceIdentity(flagged)).isTrue();
        assertThat(SourceEvents.hasSourceIdentity(event("kafka.record", "words/0/7"))).isFalse();
    }

    @Test
    void aRepeatedQos2MessageHasTheSameInvocationId() {
        Event first = event("mqtt.message", "mqtt-qos2:c:e:1");
        Event again = Event.newBuilder(first).setTime(Instant.now().plusSeconds(5)).build();
        assertThat(SourceEvents.invocationId(again, "parse"))
                .isEqualTo(SourceEvents.invocationId(first, "parse"));
    }

    private static Event event(String type, String id) {
        return Event.newBuilder()
                .setId(id)
                .setSource("test")
                .setType(type)
                .setSubject("s7")
                .setTime(Instant.now())
                .setData(ByteBuffer.allocate(0))
                .setExtensions(Map.of())
                .build();
    }
}
