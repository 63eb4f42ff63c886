package dev.flowfn.deploy.s3store.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable queue against a real HTTP receiver that is down, refuses, rejects, then accepts. */
class NotificationQueueIT {

    @TempDir Path dir;

    private static byte[] event(String key) {
        return event(key, "");
    }

    private static byte[] event(String key, String marker) {
        return ("{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"b/"
                        + key
                        + "\",\"Marker\":\""
                        + marker
                        + "\",\"Records\":[]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEventsWhileTheReceiverIsDownAndDeliversEachOnce() throws Exception {
        int port;
        try (WebhookReceiver probe = new WebhookReceiver(0)) {
            port = probe.port(); // a free port, closed again: the receiver is "down"
        }
        try (NotificationQueue queue =
                new NotificationQueue(
                                dir,
                                java.net.URI.create("http://127.0.0.1:" + port + "/hooks/s3"),
                                "s3cr3t-token")
                        .start()) {
            for (int i = 0; i < 20; i++) {
                queue.enqueue(queue.nextSequencer(Instant.now()), event("k" + i));
            }
            Thread.sleep(300);
            assertThat(queue.pending()).isEqualTo(20);

            try (WebhookReceiver receiver = new WebhookReceiver(port)) {
                await(() -> queue.pending() == 0);
                assertThat(receiver.keys())
                        .containsExactlyInAnyOrderElementsOf(
                                java.util.stream.IntStream.range(0, 20)
                                        .mapToObj(i -> "b/k" + i)
                                        .toList());
                assertThat(receiver.authorizations).allMatch("Bearer s3cr3t-token"::equals);
            }
        }
    }

    @Test
    void leftOverFilesOfAnEarlierRunAreSentFirst() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            NotificationQueue first = new NotificationQueue(dir, receiver.url(), null);
            first.enqueue(
                    first.nextSequencer(Instant.now()), event("same", "old")); // never started
            first.close();
            try (NotificationQueue second =
                    new NotificationQueue(dir, receiver.url(), null).start()) {
                second.enqueue(second.nextSequencer(Instant.now()), event("same", "new"));
                await(() -> second.pending() == 0);
            }
            assertThat(receiver.received.stream().map(n -> n.get("Marker").asText()))
                    .containsExactly("old", "new");
            assertThat(receiver.authorizations).containsOnlyNulls();
        }
    }

    @Test
    void oneObjectsNotificationsArriveInOrderWhileOthersOverlap() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0);
                NotificationQueue queue =
                        new NotificationQueue(dir, receiver.url(), null).start()) {
            for (int i = 0; i < 30; i++) {
                queue.enqueue(queue.nextSequencer(Instant.now()), event("k" + (i % 3), "" + i));
            }
            await(() -> queue.pending() == 0 && receiver.received.size() == 30);
            for (int k = 0; k < 3; k++) {
                String key = "b/k" + k;
                java.util.List<Integer> order =
                        receiver.received.stream()
                                .filter(n -> n.get("Key").asText().equals(key))
                                .map(n -> Integer.parseInt(n.get("Marker").asText()))
                                .toList();
                assertThat(order).as(key).hasSize(10).isSorted();
            }
        }
    }

    @Test
    void unauthorizedIsRetriedAndBadRequestIsSetAside() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0);
                NotificationQueue queue =
                        new NotificationQueue(dir, receiver.url(), "t0ken").start()) {
            receiver.status = 401;
            queue.enqueue(queue.nextSequencer(Instant.now()), event("a"));
            Thread.sleep(400);
            assertThat(queue.pending()).as("kept while the token is refused").isEqualTo(1);

            receiver.status = 400;
            await(() -> queue.pending() == 0);
            assertThat(Files.list(dir.resolve("rejected"))).hasSize(1);

            receiver.status = 200;
            queue.enqueue(queue.nextSequencer(Instant.now()), event("b"));
            await(() -> queue.pending() == 0);
            assertThat(receiver.keys()).containsExactly("b/b");
        }
    }

    @Test
    void sequencersIncreaseStrictly() throws Exception {
        NotificationQueue queue = new NotificationQueue(dir, java.net.URI.create("http://x"), null);
        Instant now = Instant.now();
        String a = queue.nextSequencer(now);
        String b = queue.nextSequencer(now);
        assertThat(a).hasSize(16).isLessThan(b);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
