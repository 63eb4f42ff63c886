package dev.flowfn.connectors.s3;

import dev.flowfn.connectors.SingleTaskSourceConnector;

/**
 * Emits the bucket notifications of one MinIO bucket (prefix, suffix) through MinIO's listen API:
 * for a MinIO server that cannot reach Flowfn's webhook receiver. The listen API delivers only
 * while connected (and a MinIO build of 2026 was seen to deliver nothing on a re-opened stream), so
 * the task also lists the bucket at start, on every reconnection and every {@code
 * s3.listen.relist.ms}, and emits, as {@code s3:ObjectCreated:Put}, every object version it has not
 * reported (the same {@link ListingCheckpoint} as {@link S3PollSourceConnector}): a restart or a
 * silent stream loses no upload, and none is emitted twice. Deletions arrive only over the stream.
 * One task.
 */
public final class MinioListenSourceConnector extends SingleTaskSourceConnector {

    public MinioListenSourceConnector() {
        super(
                S3SourceConfig.LISTEN,
                props -> new S3SourceConfig(S3SourceConfig.LISTEN, props),
                MinioListenSourceTask.class,
                S3PollSourceTask.VERSION);
    }
}
