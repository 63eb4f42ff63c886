package dev.flowfn.deploy.cli;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The Flink cluster the job runs on and where its savepoints go, declared once for {@code local
 * --flink}, {@code submit} and {@code scale}.
 */
final class FlinkOptions {

    @Option(
            names = "--flink",
            paramLabel = "URL",
            description =
                    "The REST URL of a Flink 2.2 JobManager (its web UI), like http://jobmanager:8081")
    String url;

    @Option(
            names = "--flink-savepoint-dir",
            paramLabel = "URI",
            description =
                    "Where the job's savepoints go: a directory every JobManager and TaskManager can"
                            + " write, like s3://bucket/flowfn/savepoints or a shared file:///... (local:"
                            + " default DATA_DIR/flink/savepoints, right only for a cluster on this machine;"
                            + " submit: default the cluster's execution.checkpointing.savepoint-dir; scale:"
                            + " default the job's own)")
    String savepointDir;

    /**
     * The cluster's URL; empty if not given.
     *
     * @throws UsageException if it is not an http(s) URL
     */
    Optional<URI> optional() {
        if (url != null && !url.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new UsageException(
                    "--flink must be the REST URL of a Flink JobManager, like http://jobmanager:8081"
                            + " (got '"
                            + url
                            + "')");
        }
        return Optional.ofNullable(url).map(URI::create);
    }

    /** The cluster's URL, which must be given. */
    URI required() {
        return optional()
                .orElseThrow(
                        () ->
                                new UsageException(
                                        "give --flink URL, the REST URL of the Flink JobManager, like"
                                                + " http://jobmanager:8081"));
    }

    /**
     * The savepoint directory given; empty if none.
     *
     * @throws UsageException if it is not a URI with a scheme
     */
    Optional<String> savepointDir() {
        if (savepointDir != null && !savepointDir.matches("[a-z][a-z0-9+.-]*://.+")) {
            throw new UsageException(
                    "--flink-savepoint-dir must be a URI the cluster can write, like"
                            + " file:///shared/flowfn/savepoints or s3://bucket/flowfn/savepoints (got '"
                            + savepointDir
                            + "')");
        }
        return Optional.ofNullable(savepointDir);
    }
}
