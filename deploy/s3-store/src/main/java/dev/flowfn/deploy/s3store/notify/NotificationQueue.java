package dev.flowfn.deploy.s3store.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable queue of notifications and their delivery to a webhook, like MinIO's {@code queue_dir}:
 * {@link #enqueue} writes the event to a file in the queue folder before the store answers the S3
 * request, and the sender POSTs the files, deleting each only after the receiver answered 2xx. Up
 * to {@link #MAX_IN_FLIGHT} requests run at once, but never two for the same object: one object's
 * notifications are delivered one after the other, in the order they happened (a put, then its
 * delete), while a burst of uploads is not held up by one slow round trip.
 *
 * <p>While the receiver is down (or answers 5xx) the sender backs off (100 ms doubling to 5 s) and
 * retries, so nothing is lost; files left by a previous run are sent first. A 4xx other than
 * 401/403/408/429 means the receiver will never take that body: the file moves to {@code rejected/}
 * with a log line naming the reason, and the queue goes on.
 *
 * <p>Threads: {@link #enqueue} from any request thread; one daemon sender thread starts requests;
 * their completions run on the HTTP client's threads; {@link #close} from the shutdown hook (files
 * not yet delivered stay for the next start).
 */
public final class NotificationQueue implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 8;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();
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
    private final Map<Path, String> keys = new ConcurrentHashMap<>();
    // guarded by signal
    private final Set<Path> inFlight = new HashSet<>();
    private final Set<String> keysInFlight = new HashSet<>();
    private long retryAtNanos;
    private Duration backoff = FIRST_BACKOFF;
    private long sent;
    private volatile boolean closed;

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
        wake();
    }

    /** Files waiting to be delivered, in flight included (for tests and the log). */
    public int pending() {
        return pendingFiles().size();
    }

    private void run() {
        while (!closed) {
            if (launchReady() == 0) {
                synchronized (signal) {
                    long backingOff = (retryAtNanos - System.nanoTime()) / 1_000_000;
                    try {
                        // woken by enqueue and completions; at least once a second regardless
                        signal.wait(backingOff > 0 ? Math.min(1000, backingOff) : 1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Starts requests for the oldest files that may go now: a free slot, not backing off, and no
     * older file of the same object still undelivered. Returns how many it started.
     */
    private int launchReady() {
        int launched = 0;
        Set<String> blocked = new HashSet<>(); // objects with an older file not delivered yet
        for (Path file : pendingFiles()) {
            if (closed) {
                break;
            }
            String key = keyOf(file);
            synchronized (signal) {
                if (System.nanoTime() < retryAtNanos || inFlight.size() >= MAX_IN_FLIGHT) {
                    break;
                }
                if (inFlight.contains(file) || keysInFlight.contains(key) || !blocked.add(key)) {
                    blocked.add(key);
                    continue;
                }
                inFlight.add(file);
                keysInFlight.add(key);
            }
            if (deliver(file, key)) {
                launched++;
            }
        }
        return launched;
    }

    /** Starts the POST of one file; false if it could not even be read (retried later). */
    private boolean deliver(Path file, String key) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            release(file, key); // delivered meanwhile (listed before its delete)
            return false;
        } catch (IOException e) {
            LOG.warn("cannot read queued notification {}: {}", file, e.toString());
            done(file, key, false);
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
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                        (response, error) -> {
                            boolean ok;
                            try {
                                ok = error == null && handled(file, response);
                                if (error != null) {
                                    LOG.info(
                                            "webhook {} not reachable ({}); {} notifications wait"
                                                    + " in {}",
                                            webhook,
                                            error.getClass().getSimpleName(),
                                            pending(),
                                            dir);
                                }
                            } catch (RuntimeException e) {
                                LOG.warn("delivery of {} failed: {}", file, e.toString());
                                ok = false;
                            }
                            done(file, key, ok);
                        });
        return true;
    }

    /** True when the file is done with (delivered or rejected), false to retry it later. */
    private boolean handled(Path file, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            delete(file);
            return true;
        }
        String answer = response.body();
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

    private void done(Path file, String key, boolean ok) {
        synchronized (signal) {
            inFlight.remove(file);
            keysInFlight.remove(key);
            if (ok) {
                keys.remove(file);
                backoff = FIRST_BACKOFF;
                if (++sent % 1000 == 0) {
                    LOG.info("{} notifications delivered to {}", sent, webhook);
                }
            } else if (System.nanoTime() >= retryAtNanos) { // once per round of failures
                retryAtNanos = System.nanoTime() + backoff.toNanos();
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
            }
            signal.notifyAll();
        }
    }

    private void release(Path file, String key) {
        synchronized (signal) {
            inFlight.remove(file);
            keysInFlight.remove(key);
            keys.remove(file);
            signal.notifyAll();
        }
    }

    /** The object a queued notification is about ({@code bucket/key}), for per-object order. */
    private String keyOf(Path file) {
        return keys.computeIfAbsent(
                file,
                f -> {
                    try {
                        return JSON.readTree(Files.readAllBytes(f)).path("Key").asText("");
                    } catch (IOException e) {
                        return ""; // unreadable: ordered with the other unreadable ones
                    }
                });
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

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Stops the sender; what is not delivered yet stays on disk for the next start. */
    @Override
    public void close() {
        closed = true;
        wake();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
