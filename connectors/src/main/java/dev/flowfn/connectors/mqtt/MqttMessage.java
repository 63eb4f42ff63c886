package dev.flowfn.connectors.mqtt;

/**
 * One PUBLISH received from the broker. {@link #ack()} completes it with the broker: PUBACK (QoS 1)
 * or PUBCOMP (QoS 2); QoS 0 needs none. {@code eventId} is the stable id of a QoS 2 message (the
 * same if it comes again after a crash), null otherwise. Payload bytes are not copied: do not
 * modify them.
 */
public record MqttMessage(
        String topic, byte[] payload, int qos, String eventId, Runnable acknowledge) {
    public void ack() {
        acknowledge.run();
    }
}
