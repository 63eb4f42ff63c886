package dev.flowfn.connectors.s3;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Emits an {@code s3:ObjectCreated:Put} event for every new or changed object of one bucket
 * (prefix, suffix) of any S3 API, found by listing it every {@code s3.poll.interval.ms}: for stores
 * without bucket notifications. Deletions are not seen. One task; its offsets are a {@link
 * ListingCheckpoint}, so a restart neither loses nor repeats an object version.
 */
public final class S3PollSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new S3SourceConfig(S3SourceConfig.POLL, props); // fails early on a bad configuration
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3PollSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return S3SourceConfig.POLL;
    }

    @Override
    public String version() {
        return S3PollSourceTask.VERSION;
    }
}
