package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.contract.EventExtensions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterReplayTest {

    @Test
    void theEventRunsAgainUnderANewIdForItsFunctionAlone() {
        Event original = DeadLetters.upload();

        Event again = DeadLetterReplay.event(DeadLetters.failed("thumbs", original), "new-id");

        assertThat(again.getId()).isEqualTo("new-id");
        assertThat(again.getSourceIdentity()).as("not a repeat the job would drop").isFalse();
        assertThat(again.getExtensions())
                .containsEntry(EventExtensions.TARGET, "thumbs")
                .containsEntry(EventExtensions.S3_KEY, "a.jpg")
                .doesNotContainKey(EventExtensions.REPLY_TO)
                .doesNotContainKey(EventExtensions.MIN_VERSION);
        assertThat(again.getSubject()).isEqualTo(original.getSubject());
        assertThat(again.getType()).isEqualTo(original.getType());
        assertThat(again.getSource()).isEqualTo(original.getSource());
        assertThat(again.getData()).isEqualTo(original.getData());
        assertThat(original.getId())
                .as("the dead letter's own event is left as it was")
                .startsWith("s3:");
    }

    @Test
    void aDirectInvocationRunsOnTheCurrentVersion() {
        Event invoke =
                Event.newBuilder(DeadLetters.upload())
                        .setExtensions(
                                Map.of(
                                        EventExtensions.TARGET, "upper",
                                        EventExtensions.MIN_VERSION, "3"))
                        .build();

        Event again = DeadLetterReplay.event(DeadLetters.failed("upper", invoke), "id-2");

        assertThat(again.getExtensions())
                .containsEntry(EventExtensions.TARGET, "upper")
                .doesNotContainKey(EventExtensions.MIN_VERSION);
    }

    @Test
    void aVersionOrAliasTheEventNamedIsKept() {
        Event viaAlias =
                Event.newBuilder(DeadLetters.upload())
                        .setExtensions(
                                Map.of(
                                        EventExtensions.TARGET, "upper",
                                        EventExtensions.QUALIFIER, "prod"))
                        .build();

        Event again = DeadLetterReplay.event(DeadLetters.failed("upper", viaAlias), "id-3");

        assertThat(again.getExtensions()).containsEntry(EventExtensions.QUALIFIER, "prod");
    }

    @Test
    void withoutAFunctionTheEventIsMatchedAgainByTriggers() {
        Event again = DeadLetterReplay.event(DeadLetters.failed(null, DeadLetters.upload()), "x");

        assertThat(again.getExtensions()).doesNotContainKey(EventExtensions.TARGET);
        assertThat(again.getId()).isEqualTo("x");
    }

    @Test
    void aLetterWithoutAnEventCannotRunAgain() {
        DeadLetter undecodable =
                DeadLetter.newBuilder(DeadLetters.failed(null, null))
                        .setKind(FailureKind.BAD_EVENT)
                        .build();

        assertThatThrownBy(() -> DeadLetterReplay.event(undecodable, "x"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("holds no event");
    }
}
