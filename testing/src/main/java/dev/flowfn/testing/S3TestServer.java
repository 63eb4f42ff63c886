package dev.flowfn.testing;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/** A real S3 API (S3Proxy, in-memory backend) inside the test JVM, on 127.0.0.1. */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret-not-for-production";

    private final S3Proxy proxy;
    private final MinioClient client;

    private S3TestServer(S3Proxy proxy) {
        this.proxy = proxy;
        this.client =
                MinioClient.builder()
                        .endpoint(endpoint())
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .build();
    }

    public static S3TestServer start() throws Exception {
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(BlobStores.create("transient", new Properties()))
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(20);
        }
        return new S3TestServer(proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public MinioClient client() {
        return client;
    }

    public void put(String bucket, String key, byte[] bytes) throws Exception {
        if (!client.bucketExists(io.minio.BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
        client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                        .build());
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
