package dev.flowfn.job.internal.dispatch;

import dev.flowfn.schemas.contract.ReplyBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the result of a synchronous HTTP request straight to the gateway instance that holds the
 * request (its {@code flowfnreplyto} address), as soon as the result is written and before the
 * checkpoint commits it. Fire and forget: a push that fails leaves the gateway to the result on
 * {@code flowfn.results}. The trade-off is the gateway's fast path's: a crash before the commit can
 * show the caller a result that is then produced again.
 *
 * <p>One stream per address: a POST whose body ({@link ReplyBatch}) stays open while results come,
 * each written into it as soon as it is pushed. A result that comes while a write is on its way
 * waits, and goes with every other waiting result in the next write. The stream ends after {@link
 * #STREAM_IDLE} without a result, or when it is {@link #STREAM_AGE} old; the next result opens
 * another over the same kept-alive connection. One HTTP exchange per batch had cost the job and the
 * gateway more CPU than the function calls they answered.
 *
 * <p>The function group's subtasks in one TaskManager share one instance ({@link #acquire}): one
 * stream per gateway address per TaskManager, however many subtasks it runs, as each open stream
 * holds a thread of the gateway. {@link #push} from any thread; each address sends on a thread of
 * its own.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long an open stream waits for the next result before it ends: well inside the idle
     * timeout of the gateway's connections (30 s), after which the gateway would cut the stream.
     */
    static final Duration STREAM_IDLE = Duration.ofSeconds(2);

    /**
     * How long a stream stays open at most, results or not: the gateway's request ends, so a
     * gateway stopping waits no longer for it.
     */
    static final Duration STREAM_AGE = Duration.ofSeconds(10);

    /** Results of one write at most; more wait for the next. */
    static final int MAX_BATCH = 1_000;

    /**
     * Results waiting per address at most (an address that does not answer fills up within its
     * {@link #TIMEOUT}); beyond it the oldest waiting result is dropped: its gateway still reads it
     * from {@code flowfn.results}.
     */
    static final int MAX_WAITING = 20_000;

    /** What a gateway's answer to a push is read (and dropped) in. */
    private static final int DRAIN_BYTES = 256;

    /** The chunks a stream's body goes in: a batch larger than this goes in several. */
    private static final int CHUNK_BYTES = 16 * 1024;

    private static Replies shared;
    private static int sharedUsers;

    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private final Duration streamIdle;
    private volatile boolean closed;

    /** This JVM's instance, made on first use; give it back with {@link #release}. */
    static synchronized Replies acquire() {
        if (shared == null) {
            shared = new Replies();
        }
        sharedUsers++;
        return shared;
    }

    /** Gives back an instance from {@link #acquire}; the last user closes it. */
    static synchronized void release(Replies replies) {
        if (replies == shared && --sharedUsers == 0) {
            shared.close();
            shared = null;
        }
    }

    Replies() {
        this(STREAM_IDLE);
    }

    /** With another idle time for the streams (tests). */
    Replies(Duration streamIdle) {
        this.streamIdle = streamIdle;
    }

    void push(String address, String invocationId, byte[] encodedResult) {
        if (closed) {
            return; // the job is stopping; the gateway reads the result from flowfn.results
        }
        Address target = addresses.get(address);
        if (target == null) {
            URL url = httpUrl(address);
            if (url == null) {
                LOG.warn("reply address of {} is not an http(s) URL; not pushed", invocationId);
                return;
            }
            if (addresses.size() > 1_000) { // a few gateway instances; never grow without bound
                closeAddresses();
            }
            target = addresses.computeIfAbsent(address, a -> new Address(url, streamIdle));
        }
        target.push(new ReplyBatch.Entry(invocationId, encodedResult));
    }

    /**
     * Ends every address's stream once the write on its way is done, and stops its sender; results
     * still waiting are dropped (their gateways read them from {@code flowfn.results}).
     */
    void close() {
        closed = true;
        closeAddresses();
    }

    private void closeAddresses() {
        addresses.values().forEach(Address::close);
        addresses.clear();
    }

    private static URL httpUrl(String address) {
        try {
            URI uri = URI.create(address);
            String scheme = uri.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                return null;
            }
            return uri.toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            return null;
        }
    }

    /**
     * The stream to one gateway instance and the results waiting for it. A thread of the address's
     * own writes them (blocking {@link HttpURLConnection}: a few system calls per write, where the
     * JDK's asynchronous client cost the job several thread hand-offs). It stops with its stream
     * and starts again with the next result; an address that does not answer holds back only its
     * own thread. The thread stops after {@link #SENDER_IDLE} without a stream.
     */
    static final class Address {
        private static final Duration SENDER_IDLE = Duration.ofSeconds(30);

        private final URL url;
        private final long streamIdleNanos;
        private final ThreadPoolExecutor sender;
        private final ArrayDeque<ReplyBatch.Entry> waiting = new ArrayDeque<>();

        /** A sender task runs or is queued: it takes what waits. */
        private boolean sending;

        /** The sender waits, its stream open, for the next result. */
        private boolean senderWaits;

        private boolean closed;

        Address(URL url, Duration streamIdle) {
            this.url = url;
            this.streamIdleNanos = streamIdle.toNanos();
            this.sender =
                    new ThreadPoolExecutor(
                            1,
                            1,
                            SENDER_IDLE.toMillis(),
                            TimeUnit.MILLISECONDS,
                            new LinkedBlockingQueue<>(),
                            r -> {
                                Thread t =
                                        new Thread(
                                                r,
                                                "flowfn-replies-"
                                                        + url.getHost()
                                                        + ":"
                                                        + url.getPort());
                                t.setDaemon(true);
                                return t;
                            });
            sender.allowCoreThreadTimeOut(true);
        }

        void push(ReplyBatch.Entry entry) {
            synchronized (this) {
                if (waiting.size() >= MAX_WAITING) {
                    ReplyBatch.Entry oldest = waiting.poll();
                    LOG.debug(
                            "{} replies wait for {}:{}; dropped the push of {}",
                            MAX_WAITING,
                            url.getHost(),
                            url.getPort(),
                            oldest.invocationId());
                }
                waiting.add(entry);
                if (sending) {
                    if (senderWaits) {
                        notifyAll();
                    }
                    return;
                }
                sending = true;
            }
            try {
                sender.execute(this::sendWaiting);
            } catch (RejectedExecutionException e) { // closed: the job is stopping
                synchronized (this) {
                    sending = false;
                    waiting.clear();
                }
            }
        }

        /** Ends the open stream (what waits is dropped) and stops the sender thread. */
        void close() {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
            sender.shutdown();
        }

        /** On the sender thread: writes what waits into the stream, until the stream ends. */
        private void sendWaiting() {
            ReplyStream stream = null;
            try {
                while (true) {
                    List<ReplyBatch.Entry> batch = next(stream != null);
                    if (batch == null) {
                        return;
                    }
                    if (stream != null && stream.age() >= STREAM_AGE.toNanos()) {
                        stream.end();
                        stream = null;
                    }
                    if (stream == null) {
                        stream = ReplyStream.open(url);
                    }
                    if (stream != null && !stream.write(batch)) {
                        stream = null; // broken: those results come from flowfn.results
                    }
                }
            } finally {
                if (stream != null) {
                    stream.end();
                }
            }
        }

        /**
         * The next batch; with a stream open, waits up to the idle time for one. Null when there is
         * none: the sender is done (a result pushed after it starts another).
         */
        private synchronized List<ReplyBatch.Entry> next(boolean streamOpen) {
            long deadline = System.nanoTime() + streamIdleNanos;
            while (waiting.isEmpty() || closed) {
                long left = deadline - System.nanoTime();
                if (!streamOpen || closed || left <= 0) {
                    sending = false;
                    return null;
                }
                senderWaits = true;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sending = false;
                    return null;
                } finally {
                    senderWaits = false;
                }
            }
            List<ReplyBatch.Entry> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(waiting.poll());
            }
            return batch;
        }
    }

    /** One open POST to a gateway's reply address, its body written batch by batch. */
    private static final class ReplyStream {
        private final URL url;
        private final HttpURLConnection connection;
        private final OutputStream body;
        private final long openedAt = System.nanoTime();

        private ReplyStream(URL url, HttpURLConnection connection, OutputStream body) {
            this.url = url;
            this.connection = connection;
            this.body = body;
        }

        /** A stream with its headers sent, or null when the gateway cannot be reached. */
        static ReplyStream open(URL url) {
            HttpURLConnection connection = null;
            try {
                connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
                connection.setConnectTimeout((int) TIMEOUT.toMillis());
                connection.setReadTimeout((int) TIMEOUT.toMillis());
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setChunkedStreamingMode(CHUNK_BYTES);
                connection.setRequestProperty("Content-Type", ReplyBatch.CONTENT_TYPE);
                return new ReplyStream(url, connection, connection.getOutputStream());
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "no reply stream to {}:{}: {}", url.getHost(), url.getPort(), e.toString());
                if (connection != null) {
                    connection.disconnect();
                }
                return null;
            }
        }

        long age() {
            return System.nanoTime() - openedAt;
        }

        /** Writes the batch and sends it at once; false if the stream broke (it is closed). */
        boolean write(List<ReplyBatch.Entry> batch) {
            try {
                body.write(ReplyBatch.encode(batch));
                body.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "{} replies not pushed to {}:{}: {}",
                        batch.size(),
                        url.getHost(),
                        url.getPort(),
                        e.toString());
                connection.disconnect(); // a broken connection is not kept alive
                return false;
            }
        }

        /** Ends the body and reads the gateway's answer: the connection is kept alive after it. */
        void end() {
            try {
                body.close();
                int status = connection.getResponseCode();
                try (InputStream in =
                        status / 100 == 2
                                ? connection.getInputStream()
                                : connection.getErrorStream()) {
                    if (in != null) {
                        // a short answer (204, or a line of error)
                        byte[] drain = new byte[DRAIN_BYTES];
                        while (in.read(drain) >= 0) {
                            // only the connection's state matters, not the answer's bytes
                        }
                    }
                }
                if (status / 100 != 2) {
                    LOG.debug(
                            "a reply stream was refused by {}:{}: HTTP {}",
                            url.getHost(),
                            url.getPort(),
                            status);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "a reply stream to {}:{} did not end cleanly: {}",
                        url.getHost(),
                        url.getPort(),
                        e.toString());
                connection.disconnect();
            }
        }
    }
}
