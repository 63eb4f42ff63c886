package dev.flowfn.deploy.s3store.notify;

import java.time.Instant;

/**
 * One change to an object, as the store saw it: what a notification describes.
 *
 * @param eventName MinIO/S3 event name, e.g. {@code s3:ObjectCreated:Put}
 * @param size bytes, or -1 when unknown (deletes)
 * @param eTag without quotes, or null
 */
public record ObjectChange(
        String eventName,
        String bucket,
        String key,
        long size,
        String eTag,
        String contentType,
        String versionId,
        Instant time) {

    public static final String PUT = "s3:ObjectCreated:Put";
    public static final String COPY = "s3:ObjectCreated:Copy";
    public static final String COMPLETE_MULTIPART = "s3:ObjectCreated:CompleteMultipartUpload";
    public static final String DELETE = "s3:ObjectRemoved:Delete";
}
