package dev.flowfn.deploy.s3store.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable queue of notifications and the one thread that delivers them to a webhook, like MinIO's
 * {@code queue_dir}: {@link #enqueue} writes the event to a file in the queue folder before the
 * store answers the S3 request, and the sender POSTs the files in order, deleting each only after
 * the receiver answered 2xx. While the receiver is down (or answers 5xx) the sender retries the
 * same file with backoff (100 ms doubling to 5 s), so nothing is lost and order is kept; files left
 * by a previous run are sent first. A 4xx other than 401/403/408/429 means the receiver will never
 * take that body: the file moves to {@code rejected/} with a log line naming the reason, and the
 * queue goes on.
 *
 * <p>Threads: {@link #enqueue} from any request thread; one daemon sender thread; {@link #close}
 * from the shutdown hook (files not yet sent stay for the next start).
 */
public final class NotificationQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationQueue.class);
    private static final String SUFFIX = ".json";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Path dir;
    private final Path rejected;
    private final URI webhook;
    private final String token;
    private final HttpClient http;
    private final AtomicLong lastSequence = new AtomicLong();
    private final Object signal = new Object();
    private final Thread sender;
    private final java.util.concurrent.CountDownLatch stopped =
            new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;
    private long sent;

    /**
     * @param token MinIO's {@code auth_token}: sent as {@code Authorization: Bearer <token>}, or
     *     null for none. Never logged.
     */
    public NotificationQueue(Path dir, URI webhook, String token) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.rejected = dir.resolve("rejected");
        this.webhook = webhook;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.sender = new Thread(this::run, "s3-notify-sender");
        sender.setDaemon(true);
    }

    public NotificationQueue start() {
        sender.start();
        return this;
    }

    /**
     * A sequencer for the next event: the upper-case hex of its epoch nanoseconds (as MinIO), made
     * strictly increasing so queue files sort in event order.
     */
    public String nextSequencer(java.time.Instant time) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        long seq = lastSequence.accumulateAndGet(nanos, (last, now) -> Math.max(last + 1, now));
        return String.format("%016X", seq);
    }

    /** Stores the notification on disk (durable before this returns) and wakes the sender. */
    public void enqueue(String sequencer, byte[] body) {
        try {
            Path temp = Files.createTempFile(dir, ".tmp-", ".part");
            Files.write(temp, body);
            Files.move(temp, dir.resolve(sequencer + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store a bucket notification in " + dir, e);
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Files waiting to be delivered (for tests and the log). */
    public int pending() {
        return pendingFiles().size();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            List<Path> files = pendingFiles();
            if (files.isEmpty()) {
                synchronized (signal) {
                    try {
                        signal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            for (Path file : files) {
                if (closed) {
                    return;
                }
                if (!deliver(file)) {
                    sleep(backoff);
                    backoff =
                            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                                    ? MAX_BACKOFF
                                    : backoff.multipliedBy(2);
                    break; // start over from the oldest file
                }
                backoff = FIRST_BACKOFF;
            }
        }
    }

    /** True when the file is done with (delivered or rejected), false to retry it later. */
    private boolean deliver(Path file) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("cannot read queued notification {}: {}", file, e.toString());
            return false;
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(webhook)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        int status;
        String answer;
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = response.body();
        } catch (IOException e) {
            LOG.info(
                    "webhook {} not reachable ({}); {} notifications wait in {}",
                    webhook,
                    e.getClass().getSimpleName(),
                    pending(),
                    dir);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (status / 100 == 2) {
            delete(file);
            if (++sent % 1000 == 0) {
                LOG.info("{} notifications delivered to {}", sent, webhook);
            }
            return true;
        }
        String reason = answer == null ? "" : answer.substring(0, Math.min(answer.length(), 500));
        if (status == 401 || status == 403) {
            LOG.warn(
                    "webhook {} refused the auth token (HTTP {}): the store and the receiver must"
                            + " share the same token; retrying",
                    webhook,
                    status);
            return false;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
            LOG.error(
                    "webhook {} rejected notification {} (HTTP {}: {}); moved to {}",
                    webhook,
                    file.getFileName(),
                    status,
                    reason,
                    rejected);
            moveToRejected(file);
            return true;
        }
        LOG.info("webhook {} answered HTTP {} ({}); retrying", webhook, status, reason);
        return false;
    }

    private List<Path> pendingFiles() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("cannot list the notification queue {}: {}", dir, e.toString());
        }
        files.sort(null);
        return files;
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete delivered notification {}: {}", file, e.toString());
        }
    }

    private void moveToRejected(Path file) {
        try {
            Files.createDirectories(rejected);
            Files.move(
                    file,
                    rejected.resolve(file.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot move {} to {}: {}", file, rejected, e.toString());
        }
    }

    /** Backoff; new events do not cut it short, close() does. */
    private void sleep(Duration d) {
        try {
            stopped.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the sender; what is not delivered yet stays on disk for the next start. */
    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
