package dev.flowfn.connectors.mqtt;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Subscribes to the topic filters of the deployed {@code mqtt:} triggers on one MQTT broker and
 * puts every message on {@code flowfn.events} (an Avro Event keyed by device id) and on the raw
 * topic {@code mqtt.raw} (the payload as is). See {@link MqttSourceTask} for the delivery
 * guarantees and {@link MqttSourceConfig} for the settings.
 *
 * <p>Always one task: the broker's persistent session belongs to one fixed client id. Connect calls
 * every method here on its herder thread.
 */
public final class MqttSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return MqttSourceTask.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        new MqttSourceConfig(props); // fails the connector at once on a bad setting
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MqttSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return MqttSourceConfig.CONFIG;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // an MQTT broker cannot replay from an offset: at-least-once only
        return ExactlyOnceSupport.UNSUPPORTED;
    }
}
