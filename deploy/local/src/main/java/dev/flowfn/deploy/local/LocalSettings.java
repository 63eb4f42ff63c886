package dev.flowfn.deploy.local;

import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.Map;

/**
 * How {@code flowfn local} runs: the data folder, and which parts are external (null = start it
 * here). The S3 secret comes from the environment, never from a flag or file of ours.
 *
 * @param externalKafka how to reach an external Kafka cluster ({@code --kafka}, {@code
 *     --kafka-config}: bootstrap servers plus any client property), or null to start a broker here
 * @param jobConf extra job configuration ({@code --conf KEY=VALUE}): Flowfn's job options and
 *     Flink's own
 * @param flinkUrl the REST URL of an external Flink 2.2 JobManager to run the job on, or null for
 *     the in-process MiniCluster
 * @param externalMqtt the URL of an MQTT broker to subscribe to ({@code tcp://host:1883}, {@code
 *     ssl://host:8883}), or null to start the embedded one (Moquette)
 * @param s3Sources pulled S3 sources to run in the Connect worker against {@code
 *     externalS3Endpoint} (MinIO listen API, polling); {@link S3PulledSources#NONE} for none
 * @param flinkSavepointDir where the job on {@code flinkUrl} takes its savepoints (a URI every
 *     JobManager and TaskManager can write), or null for the data folder's {@code flink/savepoints}
 *     (only right when the cluster runs on this machine); unused without {@code flinkUrl}
 */
public record LocalSettings(
        DataDir dataDir,
        KafkaClientConfig externalKafka,
        String externalS3Endpoint,
        String externalS3AccessKey,
        String externalS3SecretKey,
        Duration checkpointInterval,
        int parallelism,
        Map<String, String> jobConf,
        String flinkUrl,
        String flinkSavepointDir,
        String externalMqtt,
        S3PulledSources s3Sources) {

    /**
     * Everything started here: Kafka, the object store, the MQTT broker and the job on the
     * in-process MiniCluster.
     */
    public static LocalSettings embedded(
            DataDir dataDir,
            Duration checkpointInterval,
            int parallelism,
            Map<String, String> jobConf) {
        return new LocalSettings(
                dataDir,
                null,
                null,
                null,
                null,
                checkpointInterval,
                parallelism,
                jobConf,
                null,
                null,
                null,
                S3PulledSources.NONE);
    }

    /** These settings with the job on the external Flink cluster at {@code url}. */
    public LocalSettings withFlink(String url, String savepointDir) {
        return new LocalSettings(
                dataDir,
                externalKafka,
                externalS3Endpoint,
                externalS3AccessKey,
                externalS3SecretKey,
                checkpointInterval,
                parallelism,
                jobConf,
                url,
                savepointDir,
                externalMqtt,
                s3Sources);
    }

    /** These settings subscribing to the MQTT broker at {@code url} instead of an embedded one. */
    public LocalSettings withExternalMqtt(String url) {
        return new LocalSettings(
                dataDir,
                externalKafka,
                externalS3Endpoint,
                externalS3AccessKey,
                externalS3SecretKey,
                checkpointInterval,
                parallelism,
                jobConf,
                flinkUrl,
                flinkSavepointDir,
                url,
                s3Sources);
    }

    public LocalSettings {
        jobConf = Map.copyOf(jobConf);
        s3Sources = s3Sources == null ? S3PulledSources.NONE : s3Sources;
    }

    @Override
    public String toString() {
        return "LocalSettings{data="
                + dataDir.root()
                + ", kafka="
                + externalKafka
                + ", s3="
                + externalS3Endpoint
                + (flinkUrl == null ? "" : ", flink=" + flinkUrl)
                + (externalMqtt == null ? "" : ", mqtt=" + externalMqtt)
                + "}";
    }
}
