package dev.flowfn.job.internal.dispatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
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
 * <p>{@link #push} from the task thread only; the HTTP client sends on its own threads.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HttpClient client;
    private final Map<String, URI> addresses = new HashMap<>();

    void push(String address, String invocationId, byte[] encodedResult) {
        URI uri = addresses.get(address);
        if (uri == null) {
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                LOG.warn("reply address of {} is not a URL; not pushed", invocationId);
                return;
            }
            if (addresses.size() > 1_000) {
                addresses.clear(); // a few gateway instances; never grow without bound
            }
            addresses.put(address, uri);
        }
        if (client == null) {
            client =
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(TIMEOUT)
                            .build();
        }
        URI target = uri;
        HttpRequest request =
                HttpRequest.newBuilder(target)
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/vnd.flowfn.invocation-result+avro")
                        .header("X-Flowfn-Invocation", invocationId)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(encodedResult))
                        .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                        (response, error) -> {
                            if (error != null) {
                                LOG.debug(
                                        "reply of {} not pushed to {}:{}: {}",
                                        invocationId,
                                        target.getHost(),
                                        target.getPort(),
                                        error.toString());
                            }
                        });
    }
}
