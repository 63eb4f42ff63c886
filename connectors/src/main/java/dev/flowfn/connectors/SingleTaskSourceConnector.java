package dev.flowfn.connectors;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A source connector whose whole work is one task with the connector's own settings. The settings
 * are checked when the connector starts, so a bad one fails it at once where Connect shows it,
 * rather than in the task later.
 */
public abstract class SingleTaskSourceConnector extends SourceConnector {

    private final ConfigDef config;
    private final Consumer<Map<String, String>> validate;
    private final Class<? extends Task> taskClass;
    private final String version;
    private Map<String, String> props;

    /**
     * @param validate parses the settings, throwing on a bad one
     */
    protected SingleTaskSourceConnector(
            ConfigDef config,
            Consumer<Map<String, String>> validate,
            Class<? extends Task> taskClass,
            String version) {
        this.config = config;
        this.validate = validate;
        this.taskClass = taskClass;
        this.version = version;
    }

    @Override
    public void start(Map<String, String> props) {
        validate.accept(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return taskClass;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return config;
    }

    @Override
    public String version() {
        return version;
    }
}
