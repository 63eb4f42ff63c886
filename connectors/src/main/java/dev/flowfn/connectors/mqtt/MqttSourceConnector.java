package dev.flowfn.connectors.mqtt;

import dev.flowfn.connectors.SingleTaskSourceConnector;
import java.util.Map;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Subscribes to the topic filters of the deployed {@code mqtt:} triggers on one MQTT broker and
 * puts every message on {@code flowfn.events} (an Avro Event keyed by device id) and on the raw
 * topic {@code mqtt.raw} (the payload as is). See {@link MqttSourceTask} for the delivery
 * guarantees and {@link MqttSourceConfig} for the settings.
 *
 * <p>Always one task: the broker's persistent session belongs to one fixed client id. Connect calls
 * every method here on its herder thread.
 */
public final class MqttSourceConnector extends SingleTaskSourceConnector {

    public MqttSourceConnector() {
        super(
                MqttSourceConfig.CONFIG,
                MqttSourceConfig::new,
                MqttSourceTask.class,
                MqttSourceTask.VERSION);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // an MQTT broker cannot replay from an offset: at-least-once only
        return ExactlyOnceSupport.UNSUPPORTED;
    }
}
