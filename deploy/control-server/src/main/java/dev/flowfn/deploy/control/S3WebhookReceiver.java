package dev.flowfn.deploy.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.s3.InvalidNotificationException;
import dev.flowfn.schemas.s3.S3Notifications;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/s3} on the gateway port: receives bucket notifications as MinIO's webhook
 * target (and the local store, which imitates it) sends them, {@code {"EventName", "Key",
 * "Records": [...]}} with {@code Authorization: Bearer <auth_token>}, and puts one event per record
 * on {@code flowfn.events}.
 *
 * <p>Answers: 200 {@code {"accepted": N}} only after Kafka acknowledged every event of the request
 * (so the sender's own retry queue covers any failure before that); 401 for a missing or wrong
 * token (compared in constant time); 400 with the parser's reason for JSON that is not a
 * notification, and then nothing is published; 503 when Kafka did not take the events (the sender
 * retries; a retry that repeats events already published is dropped by the job's dedup on the event
 * id). Threads: Jetty's request threads; replies complete on the producer's I/O thread.
 */
final class S3WebhookReceiver {

    static final String PATH = "/hooks/s3";
    private static final Logger LOG = LoggerFactory.getLogger(S3WebhookReceiver.class);

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] token;
    private final EventSink publisher;

    /**
     * @param token the shared secret, or null: then the endpoint refuses everything with a message
     *     saying how to configure it
     */
    S3WebhookReceiver(String token, EventSink publisher) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.publisher = publisher;
    }

    void handle(Context ctx) {
        if (token == null) {
            write(
                    ctx,
                    503,
                    "no webhook token is configured on this server; start it with one"
                            + " (flowfn local keeps it in s3-webhook-token in its data folder)");
            return;
        }
        if (!MessageDigest.isEqual(presented(ctx), token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            write(
                    ctx,
                    401,
                    "missing or wrong webhook token: configure the bucket notification's"
                            + " auth_token with the contents of s3-webhook-token in the data folder");
            return;
        }
        List<Event> events;
        try {
            events = S3Notifications.events(ctx.bodyAsBytes());
        } catch (InvalidNotificationException e) {
            write(ctx, 400, "not a bucket notification: " + e.getMessage());
            return;
        }
        CompletableFuture<?>[] acks;
        try {
            acks = events.stream().map(publisher::publish).toArray(CompletableFuture[]::new);
        } catch (RuntimeException e) { // the producer refused at once (closing, buffer full)
            LOG.warn("could not publish {} bucket events; the sender will retry", events.size(), e);
            ctx.header("Retry-After", "1");
            write(ctx, 503, "Kafka did not take the events; retry");
            return;
        }
        ctx.future(
                () ->
                        CompletableFuture.allOf(acks)
                                .thenAccept(v -> reply(ctx, 200, Map.of("accepted", events.size())))
                                .exceptionally(
                                        e -> {
                                            LOG.warn(
                                                    "could not publish {} bucket events; the sender"
                                                            + " will retry",
                                                    events.size(),
                                                    e);
                                            ctx.header("Retry-After", "1");
                                            write(
                                                    ctx,
                                                    503,
                                                    "Kafka did not acknowledge the events; retry");
                                            return null;
                                        }));
    }

    private static byte[] presented(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    private void write(Context ctx, int status, String error) {
        reply(ctx, status, Map.of("error", error));
    }

    private void reply(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
