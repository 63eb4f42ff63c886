package dev.flowfn.deploy.control;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.ByteArrayInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function code in object storage: {@code s3://<bucket>/<function>/<sha256>.jar} for jars, {@code
 * .zip} for code archives. Content addressed, so a redeploy of the same code writes nothing new and
 * no version's code can be overwritten. Thread-safe.
 */
public final class CodeStore implements CodeRepository, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CodeStore.class);

    private final MinioClient s3;
    private final String bucket;
    private volatile boolean bucketReady;

    public CodeStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this.s3 =
                MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
        this.bucket = bucket;
    }

    /** Stores the code and returns its code URI. */
    @Override
    public String put(String function, String sha256, String extension, byte[] code) {
        String key = function + "/" + sha256 + "." + extension;
        try {
            ensureBucket();
            s3.putObject(
                    PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                    new ByteArrayInputStream(code), (long) code.length, -1L)
                            .contentType(
                                    JAR.equals(extension)
                                            ? "application/java-archive"
                                            : "application/zip")
                            .build());
        } catch (Exception e) {
            throw new ApiException(
                    503,
                    "could not store the code in the code store ("
                            + e.getMessage()
                            + "); check that the object store is up");
        }
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void delete(String function, String codeUri) {
        String prefix = "s3://" + bucket + "/" + function + "/";
        if (codeUri == null || !codeUri.startsWith(prefix)) {
            return; // not written here: an http function's URL, or another bucket's code
        }
        String key = codeUri.substring(("s3://" + bucket + "/").length());
        try {
            s3.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            LOG.warn(
                    "could not delete s3://{}/{} (no version keeps it): {}",
                    bucket,
                    key,
                    e.toString());
        }
    }

    private void ensureBucket() throws Exception {
        if (!bucketReady) {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            bucketReady = true;
        }
    }

    @Override
    public void close() throws Exception {
        s3.close();
    }
}
