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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>One POST at a time per address: a result that comes while one is on its way waits, and goes
 * with every other waiting result in the next POST ({@link ReplyBatch}). An idle address sends at
 * once, so a single request waits for nothing; under load the POSTs grow instead of multiplying
 * (one HTTP exchange costs the job more CPU than the function call it answers).
 *
 * <p>{@link #push} from the task thread only; each address sends on a thread of its own.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Results of one POST at most; more wait for the next. */
    static final int MAX_BATCH = 1_000;

    /**
     * Results waiting per address at most (an address that does not answer fills up within its
     * {@link #TIMEOUT}); beyond it the oldest waiting result is dropped: its gateway still reads it
     * from {@code flowfn.results}.
     */
    static final int MAX_WAITING = 20_000;

    /** What a gateway's answer to a push is read (and dropped) in. */
    private static final int DRAIN_BYTES = 256;

    private final Map<String, Address> addresses = new HashMap<>();
    private boolean closed;

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
            target = new Address(url);
            addresses.put(address, target);
        }
        target.push(new ReplyBatch.Entry(invocationId, encodedResult));
    }

    /** Stops every address's sender once what it has on its way is sent. */
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
     * The POSTs to one gateway instance: at most one on its way, the rest waiting for it. A thread
     * of the address's own sends them one after the other over a kept-alive connection (blocking
     * {@link HttpURLConnection}: a few system calls per POST, where the JDK's asynchronous client
     * cost the job several thread hand-offs). It stops after {@link #SENDER_IDLE} without work; an
     * address that does not answer holds back only its own thread.
     */
    static final class Address {
        private static final Duration SENDER_IDLE = Duration.ofSeconds(30);

        private final URL url;
        private final ThreadPoolExecutor sender;
        private final ArrayDeque<ReplyBatch.Entry> waiting = new ArrayDeque<>();
        private boolean sending;

        Address(URL url) {
            this.url = url;
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

        void close() {
            sender.shutdown();
        }

        /** On the sender thread: POSTs what waits, batch after batch, until nothing does. */
        private void sendWaiting() {
            while (true) {
                List<ReplyBatch.Entry> batch;
                synchronized (this) {
                    if (waiting.isEmpty()) {
                        sending = false;
                        return;
                    }
                    batch = take();
                }
                post(batch);
            }
        }

        private List<ReplyBatch.Entry> take() {
            List<ReplyBatch.Entry> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(waiting.poll());
            }
            return batch;
        }

        private void post(List<ReplyBatch.Entry> batch) {
            byte[] body = ReplyBatch.encode(batch);
            HttpURLConnection connection = null;
            try {
                connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
                connection.setConnectTimeout((int) TIMEOUT.toMillis());
                connection.setReadTimeout((int) TIMEOUT.toMillis());
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                // not setFixedLengthStreamingMode: before a streamed POST on a kept-alive
                // connection the JDK checks the connection with a read that waits 1 ms
                // (HttpClient.available), which cost every push 1.2 ms; a buffered POST is resent
                // once on a stale connection instead, and a push sent twice is harmless (the
                // gateway hands a result to a waiting request at most once)
                connection.setRequestProperty("Content-Type", ReplyBatch.CONTENT_TYPE);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
                int status = connection.getResponseCode();
                // read the answer to its end: the connection then goes back to be kept alive
                try (InputStream in =
                        status / 100 == 2
                                ? connection.getInputStream()
                                : connection.getErrorStream()) {
                    if (in != null) {
                        // a short answer (204, or a line of error): transferTo's 8 KiB buffer
                        // per push was a quarter of this thread's garbage
                        byte[] drain = new byte[DRAIN_BYTES];
                        while (in.read(drain) >= 0) {
                            // only the connection's state matters, not the answer's bytes
                        }
                    }
                }
                if (status / 100 != 2) {
                    LOG.debug(
                            "{} replies refused by {}:{}: HTTP {}",
                            batch.size(),
                            url.getHost(),
                            url.getPort(),
                            status);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug(
                        "{} replies not pushed to {}:{}: {}",
                        batch.size(),
                        url.getHost(),
                        url.getPort(),
                        e.toString());
                if (connection != null) {
                    connection.disconnect(); // a broken connection is not kept alive
                }
            }
        }
    }
}
