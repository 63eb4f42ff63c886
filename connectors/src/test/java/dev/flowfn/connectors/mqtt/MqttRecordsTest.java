package dev.flowfn.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MqttRecordsTest {

    private final MqttRecords records = new MqttRecords("mqtt://broker:1883", 1024);

    @Test
    void aQos2MessageKeepsItsStableIdAndSaysItHasASourceIdentity() {
        Event e = records.event(message(2, "mqtt-qos2:c:e:1"), "d1", true, Instant.EPOCH);

        assertThat(e.getId()).isEqualTo("mqtt-qos2:c:e:1");
        assertThat(e.getSourceIdentity()).isTrue();
        assertThat(e.getType()).isEqualTo(EventTypes.MQTT_MESSAGE);
        assertThat(e.getExtensions())
                .containsEntry(EventExtensions.MQTT_TOPIC, "devices/d1/logs")
                .containsEntry(EventExtensions.MQTT_QOS, "2")
                .containsEntry(EventExtensions.MQTT_DEVICE, "d1");
    }

    @Test
    void otherMessagesGetARandomIdWithoutASourceIdentity() {
        Event e = records.event(message(1, null), "devices/d1/logs", false, Instant.EPOCH);

        assertThat(e.getId()).hasSize(36);
        assertThat(e.getSourceIdentity()).isFalse();
        assertThat(e.getExtensions()).doesNotContainKey(EventExtensions.MQTT_DEVICE);
    }

    private static MqttMessage message(int qos, String eventId) {
        return new MqttMessage(
                "devices/d1/logs",
                "temp=20".getBytes(StandardCharsets.UTF_8),
                qos,
                eventId,
                () -> {});
    }
}
