package dev.flowfn.connectors.mqtt;

/**
 * One PUBLISH received from the broker. {@link #acknowledge()} sends its PUBACK (QoS 1) or PUBREC
 * (QoS 2); QoS 0 needs none. Payload bytes are not copied: do not modify them.
 */
public record MqttMessage(String topic, byte[] payload, int qos, Runnable acknowledge) {
    public void ack() {
        acknowledge.run();
    }
}
