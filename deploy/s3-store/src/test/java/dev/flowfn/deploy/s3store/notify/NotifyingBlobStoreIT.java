package dev.flowfn.deploy.s3store.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** The wrapper around S3Proxy's real filesystem backend, delivering to a real HTTP receiver. */
class NotifyingBlobStoreIT {

    @TempDir Path dir;
    WebhookReceiver receiver;
    NotificationQueue queue;
    BlobStore store;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver(0);
        queue = new NotificationQueue(dir.resolve("queue"), receiver.url(), "tok").start();
        Properties props = new Properties();
        java.nio.file.Files.createDirectories(dir.resolve("data"));
        props.setProperty("jclouds.filesystem.basedir", dir.resolve("data").toString());
        BlobStore fs = BlobStores.create("filesystem", props);
        store = new NotifyingBlobStore(fs, queue, "http://127.0.0.1:1", Set.of("flowfn-code"));
        store.createContainer("photos");
        store.createContainer("flowfn-code");
    }

    @AfterEach
    void tearDown() {
        queue.close();
        receiver.close();
    }

    private void put(String bucket, String key, byte[] bytes, String type) {
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(type)
                        .contentLength((long) bytes.length)
                        .build(),
                new ByteArrayInputStream(bytes));
    }

    private List<JsonNode> awaitEvents(int n) throws InterruptedException {
        NotificationQueueIT.await(() -> receiver.received.size() >= n && queue.pending() == 0);
        Thread.sleep(200); // a further (wrong) event would arrive now
        return receiver.received;
    }

    @Test
    void putCopyAndDeleteEachNotifyOnceWithObjectDetails() throws Exception {
        put("photos", "uploads/cat.jpg", new byte[] {1, 2, 3, 4, 5}, "image/jpeg");
        store.copyBlob(
                CopyObjectRequest.builder()
                        .sourceBucket("photos")
                        .sourceKey("uploads/cat.jpg")
                        .destinationBucket("photos")
                        .destinationKey("copies/cat.jpg")
                        .build());
        store.removeBlob(
                DeleteObjectRequest.builder().bucket("photos").key("uploads/cat.jpg").build());
        put("flowfn-code", "fn/abc.jar", new byte[] {9}, "application/java-archive");

        List<JsonNode> events = awaitEvents(3);
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < receiver.eventNames().size(); i++) {
            seen.add(receiver.eventNames().get(i) + " " + receiver.keys().get(i));
        }
        // notifications of different objects go out in parallel; one object's stay in order
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "s3:ObjectCreated:Put photos/uploads/cat.jpg",
                        "s3:ObjectCreated:Copy photos/copies/cat.jpg",
                        "s3:ObjectRemoved:Delete photos/uploads/cat.jpg");
        assertThat(seen.indexOf("s3:ObjectCreated:Put photos/uploads/cat.jpg"))
                .isLessThan(seen.indexOf("s3:ObjectRemoved:Delete photos/uploads/cat.jpg"));
        JsonNode put = events.get(receiver.eventNames().indexOf("s3:ObjectCreated:Put"));
        JsonNode copy = events.get(receiver.eventNames().indexOf("s3:ObjectCreated:Copy"));
        JsonNode object = put.at("/Records/0/s3/object");
        assertThat(object.get("size").asLong()).isEqualTo(5);
        assertThat(object.get("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(object.get("eTag").asText()).isNotBlank().doesNotContain("\"");
        assertThat(copy.at("/Records/0/s3/object/size").asLong()).isEqualTo(5);
        assertThat(receiver.authorizations).allMatch("Bearer tok"::equals);
    }

    @Test
    void multipartUploadNotifiesExactlyOnceOnCompletion() throws Exception {
        MultipartUpload upload =
                store.initiateMultipartUpload(
                        CreateMultipartUploadRequest.builder()
                                .bucket("photos")
                                .key("uploads/big.bin")
                                .contentType("application/octet-stream")
                                .build());
        byte[] part = new byte[5 * 1024 * 1024];
        List<CompletedPart> parts = new java.util.ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            UploadPartResponse r =
                    store.uploadMultipartPart(
                            upload,
                            UploadPartRequest.builder()
                                    .bucket("photos")
                                    .key("uploads/big.bin")
                                    .uploadId(upload.id())
                                    .partNumber(n)
                                    .contentLength((long) part.length)
                                    .build(),
                            new ByteArrayInputStream(part));
            parts.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).build());
        }
        assertThat(receiver.received).as("no event for parts").isEmpty();
        store.completeMultipartUpload(
                upload,
                CompleteMultipartUploadRequest.builder()
                        .bucket("photos")
                        .key("uploads/big.bin")
                        .uploadId(upload.id())
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                        .build());

        List<JsonNode> events = awaitEvents(1);
        assertThat(receiver.eventNames())
                .containsExactly("s3:ObjectCreated:CompleteMultipartUpload");
        assertThat(events.get(0).at("/Records/0/s3/object/size").asLong())
                .isEqualTo(3L * part.length);
    }

    @Test
    void aMultiObjectDeleteNotifiesEachObject() throws Exception {
        put("photos", "a.txt", new byte[] {1}, "text/plain");
        put("photos", "b.txt", new byte[] {2}, "text/plain");
        awaitEvents(2);
        receiver.received.clear();
        store.removeBlobs(
                software.amazon.awssdk.services.s3.model.DeleteObjectsRequest.builder()
                        .bucket("photos")
                        .delete(
                                software.amazon.awssdk.services.s3.model.Delete.builder()
                                        .objects(
                                                software.amazon.awssdk.services.s3.model
                                                        .ObjectIdentifier.builder()
                                                        .key("a.txt")
                                                        .build(),
                                                software.amazon.awssdk.services.s3.model
                                                        .ObjectIdentifier.builder()
                                                        .key("b.txt")
                                                        .build())
                                        .build())
                        .build());
        awaitEvents(2);
        assertThat(receiver.eventNames()).containsOnly("s3:ObjectRemoved:Delete").hasSize(2);
        assertThat(receiver.keys()).containsExactlyInAnyOrder("photos/a.txt", "photos/b.txt");
    }

    @Test
    void aFailedOperationNotifiesNothing() throws Exception {
        assertThatThrownBy(() -> put("no-such-bucket", "k", new byte[] {1}, "text/plain"))
                .isInstanceOf(RuntimeException.class);
        put("photos", "ok.txt", new byte[] {1}, "text/plain");
        awaitEvents(1);
        assertThat(receiver.keys()).containsExactly("photos/ok.txt");
    }
}
