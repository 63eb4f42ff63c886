package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.S3PulledSources;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The S3 sources Flowfn pulls from an external store ({@code --s3-listen-bucket}, {@code
 * --s3-poll}), declared once for {@code flowfn local} and {@code flowfn connectors deploy}.
 */
final class S3SourceOptions {

    @Option(
            names = "--s3-listen-bucket",
            paramLabel = "BUCKET[/PREFIX]",
            description =
                    "With --s3-endpoint of a MinIO server that cannot reach Flowfn: take this bucket's"
                            + " uploads and deletions from MinIO's listen API (repeatable)")
    List<String> listen = new ArrayList<>();

    @Option(
            names = "--s3-poll",
            paramLabel = "BUCKET[/PREFIX]",
            description =
                    "With --s3-endpoint of a store without bucket notifications: list this bucket"
                            + " (prefix) every 10 s and emit each new or changed object once (repeatable)")
    List<String> poll = new ArrayList<>();

    boolean isEmpty() {
        return listen.isEmpty() && poll.isEmpty();
    }

    /**
     * The sources given, checked.
     *
     * @param endpointGiven whether --s3-endpoint names the external store they read
     * @param withoutEndpoint what to say when there is no endpoint
     */
    S3PulledSources sources(boolean endpointGiven, String withoutEndpoint) {
        if (!isEmpty() && !endpointGiven) {
            throw new CliException(withoutEndpoint);
        }
        try {
            return new S3PulledSources(
                    listen.stream()
                            .map(v -> S3PulledSources.Location.parse("--s3-listen-bucket", v))
                            .toList(),
                    poll.stream()
                            .map(v -> S3PulledSources.Location.parse("--s3-poll", v))
                            .toList());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
