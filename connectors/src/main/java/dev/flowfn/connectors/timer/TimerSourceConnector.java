package dev.flowfn.connectors.timer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector for cron triggers: every function in the registry with a {@code
 * cron:} trigger gets one {@code timer.tick} event per scheduled instant on {@code flowfn.events}.
 * The schedule follows deploys, updates and deletes while it runs (no restart).
 *
 * <p>Tasks split the functions between them by a hash of the name ({@code tasks.max}, default 1:
 * one task is plenty for thousands of schedules). Settings: {@link TimerConfig}.
 *
 * <pre>
 * name=flowfn-timer
 * connector.class=dev.flowfn.connectors.timer.TimerSourceConnector
 * flowfn.bootstrap.servers=127.0.0.1:9092
 * key.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
 * </pre>
 */
public final class TimerSourceConnector extends SourceConnector {

    static final String VERSION = "0.1.0";

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        new TimerConfig(props); // fail fast on a bad configuration
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TimerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int n = Math.max(1, maxTasks);
        List<Map<String, String>> configs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put(TimerConfig.TASK_INDEX, Integer.toString(i));
            c.put(TimerConfig.TASK_COUNT, Integer.toString(n));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return TimerConfig.DEF;
    }

    /**
     * Ticks are at least once; the job drops repeated tick ids. Connect's exactly-once source
     * support would add nothing the dedup does not already give.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.UNSUPPORTED;
    }
}
