package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.contract.EventExtensions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeadLettersResourceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<DeadLetterQueue.Entry> letters =
            List.of(
                    new DeadLetterQueue.Entry(
                            "0:4", DeadLetters.failed("thumbs", DeadLetters.upload())),
                    new DeadLetterQueue.Entry(
                            "1:9", DeadLetters.failed("other", DeadLetters.upload())));
    private final List<Instant> askedFrom = new ArrayList<>();
    private final DeadLetterQueue queue =
            new DeadLetterQueue() {
                @Override
                public List<Entry> since(Instant from, int max) {
                    askedFrom.add(from);
                    return letters;
                }

                @Override
                public Optional<DeadLetter> at(String id) {
                    DeadLetterQueue.position(id);
                    return letters.stream()
                            .filter(e -> e.id().equals(id))
                            .map(Entry::letter)
                            .findFirst();
                }
            };
    private final List<Event> published = new ArrayList<>();
    private CompletableFuture<Void> publishOutcome = CompletableFuture.completedFuture(null);
    private final DeadLettersResource resource =
            new DeadLettersResource(
                    queue,
                    event -> {
                        published.add(event);
                        return publishOutcome;
                    },
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    () -> "fresh-id");

    @Test
    @SuppressWarnings("unchecked")
    void theListIsNewestFirstWithKindReasonAndTheEventsAttributes() {
        JsonReply reply = resource.list(null, null);

        assertThat(askedFrom).containsExactly(NOW.minusSeconds(24 * 3600));
        List<Map<String, Object>> body = (List<Map<String, Object>>) reply.body();
        assertThat(body).extracting(m -> m.get("id")).containsExactly("1:9", "0:4");
        Map<String, Object> letter = body.get(1);
        assertThat(letter)
                .containsEntry("function", "thumbs")
                .containsEntry("kind", "HANDLER_ERROR")
                .containsEntry("reason", "IllegalStateException: asked to fail")
                .containsEntry("attempts", 1);
        Map<String, Object> event = (Map<String, Object>) letter.get("event");
        assertThat(event)
                .containsEntry("type", "s3:ObjectCreated:Put")
                .containsEntry("data", "{\"key\":\"a.jpg\"}")
                .containsEntry("dataBytes", 15);
        assertThat((List<String>) event.get("extensions"))
                .as("extensions by name only: they may carry request headers")
                .contains(EventExtensions.REPLY_TO)
                .doesNotContain("http://127.0.0.1:1/reply");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListFiltersByFunctionAndReadsTheRangeAsked() {
        JsonReply reply = resource.list("1h", "other");

        assertThat(askedFrom).containsExactly(NOW.minusSeconds(3600));
        assertThat((List<Map<String, Object>>) reply.body())
                .extracting(m -> m.get("id"))
                .containsExactly("1:9");
    }

    @Test
    void oneLetterByIdOrA404OrA400() {
        assertThat(resource.get("0:4").status()).isEqualTo(200);
        assertThatThrownBy(() -> resource.get("0:5"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> resource.get("nonsense"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("partition:offset");
    }

    @Test
    @SuppressWarnings("unchecked")
    void runAgainPublishesTheEventForItsFunctionAndAnswers202WithTheNewId() {
        JsonReply reply = resource.runAgain("0:4", queue.at("0:4").orElseThrow()).join();

        assertThat(reply.status()).isEqualTo(202);
        assertThat((Map<String, Object>) reply.body())
                .containsEntry("eventId", "fresh-id")
                .containsEntry("function", "thumbs");
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getId()).isEqualTo("fresh-id");
        assertThat(published.get(0).getExtensions())
                .containsEntry(EventExtensions.TARGET, "thumbs");
    }

    @Test
    void aFailedPublishIsA503ThatSaysToTryAgain() {
        publishOutcome = CompletableFuture.failedFuture(new IllegalStateException("broker down"));

        JsonReply reply = resource.runAgain("0:4", queue.at("0:4").orElseThrow()).join();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body().toString()).contains("broker down").contains("try again");
    }
}
