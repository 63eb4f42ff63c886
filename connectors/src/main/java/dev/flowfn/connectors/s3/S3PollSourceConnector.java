package dev.flowfn.connectors.s3;

import dev.flowfn.connectors.SingleTaskSourceConnector;

/**
 * Emits an {@code s3:ObjectCreated:Put} event for every new or changed object of one bucket
 * (prefix, suffix) of any S3 API, found by listing it every {@code s3.poll.interval.ms}: for stores
 * without bucket notifications. Deletions are not seen. One task; its offsets are a {@link
 * ListingCheckpoint}, so a restart neither loses nor repeats an object version.
 */
public final class S3PollSourceConnector extends SingleTaskSourceConnector {

    public S3PollSourceConnector() {
        super(
                S3SourceConfig.POLL,
                props -> new S3SourceConfig(S3SourceConfig.POLL, props),
                S3PollSourceTask.class,
                S3PollSourceTask.VERSION);
    }
}
