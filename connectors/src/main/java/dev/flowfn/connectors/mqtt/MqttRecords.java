package dev.flowfn.connectors.mqtt;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What one MQTT message becomes: an {@code mqtt.message} Event (CONTRACTS.md, "Event types" and
 * "Event ids and source identity": random id, or at QoS 2 the message's stable {@code mqtt-qos2:}
 * id with {@code sourceIdentity} set; source {@code mqtt://host:port}, subject = device id,
 * extensions {@code mqtttopic}, {@code mqttqos}, {@code mqttdevice}), or, when it cannot be one, a
 * DeadLetter saying why. Stateless; any thread.
 */
final class MqttRecords {

    static final String CONTENT_TYPE = "application/octet-stream";

    private static final AvroCodec<Event> EVENTS = AvroCodec.of(Event.class);
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);

    private final String source;
    private final int maxPayload;

    MqttRecords(String source, int maxPayload) {
        this.source = source;
        this.maxPayload = maxPayload;
    }

    /** The subject (and Kafka key): the device id, else the whole topic. */
    static String subject(String topic, Subscriptions subscriptions) {
        return subscriptions.device(topic).orElse(topic);
    }

    Event event(MqttMessage message, String subject, boolean withDevice, Instant received) {
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put(EventExtensions.MQTT_TOPIC, message.topic());
        extensions.put(EventExtensions.MQTT_QOS, Integer.toString(message.qos()));
        if (withDevice) {
            extensions.put(EventExtensions.MQTT_DEVICE, subject);
        }
        boolean stable = message.eventId() != null; // QoS 2, see Qos2EventIds
        return Event.newBuilder()
                .setId(stable ? message.eventId() : UUID.randomUUID().toString())
                .setSource(source)
                .setType(EventTypes.MQTT_MESSAGE)
                .setSubject(subject)
                .setTime(received)
                .setDatacontenttype(CONTENT_TYPE)
                .setData(ByteBuffer.wrap(message.payload()))
                .setExtensions(extensions)
                .setSourceIdentity(stable)
                .build();
    }

    boolean tooLarge(MqttMessage message) {
        return message.payload().length > maxPayload;
    }

    /** The dead letter of a payload over the limit: the event without its data, and why. */
    DeadLetter tooLarge(Event event, int size) {
        Map<String, String> extensions = new LinkedHashMap<>(event.getExtensions());
        extensions.put(EventExtensions.MQTT_PAYLOAD_BYTES, Integer.toString(size));
        Event withoutData =
                Event.newBuilder(event)
                        .setData(ByteBuffer.allocate(0))
                        .setExtensions(extensions)
                        .build();
        return DeadLetter.newBuilder()
                .setKind(FailureKind.BAD_EVENT)
                .setReason(
                        "MQTT payload of %d bytes on topic '%s' exceeds %s=%d; the message was not put on any topic. Raise the limit (and producer.max.request.size of the Connect worker, max.message.bytes of the topics) or send smaller messages"
                                .formatted(
                                        size,
                                        event.getExtensions().get(EventExtensions.MQTT_TOPIC),
                                        MqttSourceConfig.MAX_PAYLOAD,
                                        maxPayload))
                .setEvent(withoutData)
                .setTime(event.getTime())
                .build();
    }

    static byte[] encode(Event event) {
        return EVENTS.encode(event);
    }

    static byte[] encode(DeadLetter deadLetter) {
        return DEAD_LETTERS.encode(deadLetter);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
