package dev.flowfn.deploy.control;

import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters ({@code flowfn.dlq}), and running one again.
 *
 * <pre>
 * GET  /v1/dead-letters?since=24h&function=   newest first (at most 500)            → 200 [letter]
 * GET  /v1/dead-letters/{id}                  id = partition:offset on flowfn.dlq     → 200 letter | 404
 * POST /v1/dead-letters/{id}/run-again        republishes its event ({@link DeadLetterReplay}) → 202 {eventId, function} | 404 | 409
 * </pre>
 *
 * A letter shows its event's attributes, its data as text (the first {@value #DATA_PREVIEW}
 * characters; binary data by size only) and its extensions by name only: they may carry request
 * headers. Threads: request threads; run-again answers on the event sink's thread.
 */
final class DeadLettersResource implements ApiResource {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLettersResource.class);
    private static final Duration SINCE = Duration.ofHours(24);
    static final int MAX_LISTED = 500;
    private static final int MAX_READ = 50_000;
    static final int DATA_PREVIEW = 4096;

    private final DeadLetterQueue queue;
    private final EventSink events;
    private final Clock clock;
    private final Supplier<String> ids;

    DeadLettersResource(
            DeadLetterQueue queue, EventSink events, Clock clock, Supplier<String> ids) {
        this.queue = queue;
        this.events = events;
        this.clock = clock;
        this.ids = ids;
    }

    DeadLettersResource(DeadLetterQueue queue, EventSink events, Clock clock) {
        this(queue, events, clock, () -> UUID.randomUUID().toString());
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(
                "/v1/dead-letters",
                ctx -> list(ctx.queryParam("since"), ctx.queryParam("function")).writeTo(ctx));
        routes.get("/v1/dead-letters/{id}", ctx -> get(ctx.pathParam("id")).writeTo(ctx));
        routes.post("/v1/dead-letters/{id}/run-again", this::runAgain);
    }

    JsonReply list(String since, String function) {
        List<DeadLetterQueue.Entry> entries =
                queue.since(
                        clock.instant()
                                .minus(ObservabilityResource.duration(since, SINCE, "since")),
                        MAX_READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeadLetterQueue.Entry e : entries) {
            if (function == null
                    || function.isBlank()
                    || function.equals(e.letter().getFunction())) {
                out.add(view(e.id(), e.letter()));
            }
        }
        Collections.reverse(out);
        return JsonReply.ok(out.size() > MAX_LISTED ? out.subList(0, MAX_LISTED) : out);
    }

    JsonReply get(String id) {
        return JsonReply.ok(view(id, existing(id)));
    }

    private void runAgain(Context ctx) {
        DeadLetter letter = existing(ctx.pathParam("id"));
        ctx.future(() -> runAgain(ctx.pathParam("id"), letter).thenAccept(r -> r.writeTo(ctx)));
    }

    /**
     * Publishes the letter's event again; never completes exceptionally (a failed publish is a
     * 503).
     *
     * @throws ApiException 409 when the letter holds no event
     */
    CompletableFuture<JsonReply> runAgain(String id, DeadLetter letter) {
        Event event = DeadLetterReplay.event(letter, ids.get());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", event.getId());
        body.put("function", letter.getFunction());
        return events.publish(event)
                .thenApply(
                        v -> {
                            LOG.info(
                                    "dead letter {} ({}) run again as event {}",
                                    id,
                                    letter.getFunction(),
                                    event.getId());
                            return new JsonReply(202, body);
                        })
                .exceptionally(
                        e ->
                                JsonReply.error(
                                        503,
                                        "could not publish the event again: "
                                                + e.getMessage()
                                                + "; is Kafka up? try again"));
    }

    private DeadLetter existing(String id) {
        return queue.at(id)
                .orElseThrow(
                        () ->
                                ApiException.notFound(
                                        "no dead letter "
                                                + id
                                                + " on flowfn.dlq (it may have expired with the topic's retention)"));
    }

    /** The JSON of a dead letter. */
    static Map<String, Object> view(String id, DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("function", d.getFunction());
        m.put("version", d.getVersion());
        m.put("invocationId", d.getInvocationId());
        m.put("kind", String.valueOf(d.getKind()));
        m.put("reason", d.getReason());
        m.put("attempts", d.getAttempts());
        m.put("time", d.getTime().toString());
        m.put("event", d.getEvent() == null ? null : event(d.getEvent()));
        return m;
    }

    private static Map<String, Object> event(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.getId());
        m.put("type", e.getType());
        m.put("source", e.getSource());
        m.put("subject", e.getSubject());
        m.put("time", e.getTime().toString());
        m.put("datacontenttype", e.getDatacontenttype());
        ByteBuffer data = e.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        m.put("dataBytes", bytes.length);
        if (SpecJson.isText(e.getDatacontenttype())) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            m.put("data", text.length() > DATA_PREVIEW ? text.substring(0, DATA_PREVIEW) : text);
        }
        m.put("extensions", new ArrayList<>(new TreeSet<>(e.getExtensions().keySet())));
        return m;
    }
}
