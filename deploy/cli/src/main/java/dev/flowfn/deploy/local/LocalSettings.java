package dev.flowfn.deploy.local;

import java.time.Duration;

/**
 * How {@code flowfn local} runs: the data folder, and which parts are external (null = start
 * it here). The S3 secret comes from the environment, never from a flag or file of ours.
 */
public record LocalSettings(
        DataDir dataDir,
        String externalKafka,
        String externalS3Endpoint,
        String externalS3AccessKey,
        String externalS3SecretKey,
        Duration checkpointInterval,
        int parallelism,
        java.util.Map<String, String> jobConf) {

    /** Settings without extra job configuration. */
    public LocalSettings(DataDir dataDir, String externalKafka, String externalS3Endpoint, String externalS3AccessKey,
            String externalS3SecretKey, Duration checkpointInterval, int parallelism) {
        this(dataDir, externalKafka, externalS3Endpoint, externalS3AccessKey, externalS3SecretKey, checkpointInterval,
                parallelism, java.util.Map.of());
    }

    @Override
    public String toString() {
        return "LocalSettings{data=" + dataDir.root() + ", kafka=" + externalKafka + ", s3=" + externalS3Endpoint + "}";
    }
}
