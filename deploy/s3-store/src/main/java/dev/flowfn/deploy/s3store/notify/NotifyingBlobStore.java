package dev.flowfn.deploy.s3store.notify;

import java.io.InputStream;
import java.time.Instant;
import java.util.Set;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy's blob store with bucket notifications: after a put, a completed multipart upload, a copy
 * or a delete succeeded, the change is written to the {@link NotificationQueue} (MinIO's webhook
 * JSON) before the S3 request is answered. Only the calls S3Proxy's request handler makes on this
 * wrapper notify: the backend's own internal writes (multipart parts, {@code .s3proxy-mpu-stub-}
 * placeholders) go to the delegate directly or are skipped here, so a multipart upload yields
 * exactly one event, on completion. A failed operation (it threw) notifies nothing.
 *
 * <p>Threads: S3Proxy's Jetty request threads, concurrently.
 */
public final class NotifyingBlobStore extends ForwardingBlobStore {

    static final String MPU_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final NotificationQueue queue;
    private final String endpoint;
    private final Set<String> skipBuckets;

    /**
     * @param skipBuckets buckets whose changes are not notified (the platform's code bucket)
     */
    public NotifyingBlobStore(
            BlobStore delegate, NotificationQueue queue, String endpoint, Set<String> skipBuckets) {
        super(delegate);
        this.queue = queue;
        this.endpoint = endpoint;
        this.skipBuckets = Set.copyOf(skipBuckets);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        created(ObjectChange.PUT, request.bucket(), request.key(), response.eTag());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created(
                ObjectChange.COMPLETE_MULTIPART,
                upload.containerName(),
                upload.blobName(),
                response.eTag());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        created(
                ObjectChange.COPY,
                request.destinationBucket(),
                request.destinationKey(),
                response.copyObjectResult() == null ? null : response.copyObjectResult().eTag());
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse response = super.removeBlob(request);
        if (notifies(request.bucket(), request.key())) {
            publish(
                    new ObjectChange(
                            ObjectChange.DELETE,
                            request.bucket(),
                            request.key(),
                            -1,
                            null,
                            null,
                            response.versionId(),
                            Instant.now()));
        }
        return response;
    }

    private void created(String eventName, String bucket, String key, String eTag) {
        if (!notifies(bucket, key)) {
            return;
        }
        // size, type and the stored eTag as a HEAD would show them: what a reader of the event sees
        HeadObjectResponse head = delegate().blobMetadataIfPresent(bucket, key);
        publish(
                new ObjectChange(
                        eventName,
                        bucket,
                        key,
                        head != null && head.contentLength() != null ? head.contentLength() : -1,
                        unquote(head != null && head.eTag() != null ? head.eTag() : eTag),
                        head != null ? head.contentType() : null,
                        head != null ? head.versionId() : null,
                        Instant.now()));
    }

    private boolean notifies(String bucket, String key) {
        return !skipBuckets.contains(bucket) && !key.startsWith(MPU_STUB_PREFIX);
    }

    private void publish(ObjectChange change) {
        String sequencer = queue.nextSequencer(change.time());
        queue.enqueue(sequencer, NotificationJson.write(change, sequencer, endpoint));
    }

    static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
