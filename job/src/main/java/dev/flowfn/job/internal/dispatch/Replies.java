package dev.flowfn.job.internal.dispatch;

import dev.flowfn.schemas.contract.ReplyBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>{@link #push} from the task thread only; the HTTP client sends on its own threads.
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

    private HttpClient client;
    private final Map<String, Address> addresses = new HashMap<>();

    void push(String address, String invocationId, byte[] encodedResult) {
        Address target = addresses.get(address);
        if (target == null) {
            URI uri;
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                LOG.warn("reply address of {} is not a URL; not pushed", invocationId);
                return;
            }
            if (addresses.size() > 1_000) {
                addresses.clear(); // a few gateway instances; never grow without bound
            }
            if (client == null) {
                client =
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(TIMEOUT)
                                .build();
            }
            target = new Address(client, uri);
            addresses.put(address, target);
        }
        target.push(new ReplyBatch.Entry(invocationId, encodedResult));
    }

    /** The POSTs to one gateway instance: at most one on its way, the rest waiting for it. */
    static final class Address {
        private final HttpClient client;
        private final URI uri;
        private final ArrayDeque<ReplyBatch.Entry> waiting = new ArrayDeque<>();
        private boolean sending;

        Address(HttpClient client, URI uri) {
            this.client = client;
            this.uri = uri;
        }

        void push(ReplyBatch.Entry entry) {
            List<ReplyBatch.Entry> batch;
            synchronized (this) {
                if (waiting.size() >= MAX_WAITING) {
                    ReplyBatch.Entry oldest = waiting.poll();
                    LOG.debug(
                            "{} replies wait for {}:{}; dropped the push of {}",
                            MAX_WAITING,
                            uri.getHost(),
                            uri.getPort(),
                            oldest.invocationId());
                }
                waiting.add(entry);
                if (sending) {
                    return;
                }
                sending = true;
                batch = take();
            }
            send(batch);
        }

        private List<ReplyBatch.Entry> take() {
            List<ReplyBatch.Entry> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(waiting.poll());
            }
            return batch;
        }

        private void send(List<ReplyBatch.Entry> batch) {
            HttpRequest request;
            try {
                request =
                        HttpRequest.newBuilder(uri)
                                .timeout(TIMEOUT)
                                .header("Content-Type", ReplyBatch.CONTENT_TYPE)
                                .POST(
                                        HttpRequest.BodyPublishers.ofByteArray(
                                                ReplyBatch.encode(batch)))
                                .build();
            } catch (IllegalArgumentException e) { // not an http(s) URL
                LOG.warn("reply address {} cannot be posted to; not pushed", uri.getScheme());
                sent();
                return;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete(
                            (response, error) -> {
                                if (error != null) {
                                    LOG.debug(
                                            "{} replies not pushed to {}:{}: {}",
                                            batch.size(),
                                            uri.getHost(),
                                            uri.getPort(),
                                            error.toString());
                                } else if (response.statusCode() / 100 != 2) {
                                    LOG.debug(
                                            "{} replies refused by {}:{}: HTTP {}",
                                            batch.size(),
                                            uri.getHost(),
                                            uri.getPort(),
                                            response.statusCode());
                                }
                                sent();
                            });
        }

        /** The POST on its way is done: the results that waited for it go next. */
        private void sent() {
            List<ReplyBatch.Entry> next;
            synchronized (this) {
                if (waiting.isEmpty()) {
                    sending = false;
                    return;
                }
                next = take();
            }
            send(next);
        }
    }
}
