package dev.flowfn.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The id rules of CONTRACTS.md, spelled out: a producer in another language must match these. */
class EventIdsTest {

    @Test
    void idsHaveTheDocumentedShape() {
        assertThat(EventIds.s3Object("photos", "in/cat.jpg", "17A", "s3:ObjectCreated:Put"))
                .isEqualTo("s3:photos/in/cat.jpg@17A:s3:ObjectCreated:Put");
        assertThat(EventIds.mqttQos2("dev-1", "e", 7)).isEqualTo("mqtt-qos2:dev-1:e:7");
        assertThat(EventIds.kafkaRecord("words", 2, 41)).isEqualTo("words/2/41");
        assertThat(EventIds.emitted("e-1/upper", 0)).isEqualTo("e-1/upper/emit/0");
        assertThat(EventIds.invocation("e-1", "upper")).isEqualTo("e-1/upper");
    }

    @Test
    void aTickIdIsFunctionTriggerHashAndScheduledMillis() {
        // the first 12 hex digits of SHA-256("cron:expr=*/5 * * * *")
        assertThat(EventIds.triggerHash("cron:expr=*/5 * * * *")).isEqualTo("144e2b1599d1");
        assertThat(EventIds.timerTick("gc", "cron:expr=*/5 * * * *", Instant.ofEpochMilli(60_000)))
                .isEqualTo("timer:gc/144e2b1599d1/60000");
    }

    @Test
    void theRuleBeforeTheFieldGoesByTypeAndIdPrefix() {
        assertThat(EventIds.hadSourceIdentityByName("s3:ObjectRemoved:Delete", "x")).isTrue();
        assertThat(EventIds.hadSourceIdentityByName("timer.tick", "x")).isTrue();
        assertThat(EventIds.hadSourceIdentityByName("mqtt.message", "mqtt-qos2:c:e:1")).isTrue();
        assertThat(EventIds.hadSourceIdentityByName("mqtt.message", "0b8e2f4c")).isFalse();
        assertThat(EventIds.hadSourceIdentityByName("http.request", "x")).isFalse();
        assertThat(EventIds.hadSourceIdentityByName("kafka.record", "words/0/1")).isFalse();
    }

    @Test
    void s3TypesAreNormalizedToTheirPrefix() {
        assertThat(EventTypes.s3("ObjectCreated:Put")).isEqualTo(EventTypes.S3_OBJECT_CREATED_PUT);
        assertThat(EventTypes.s3("s3:ObjectRemoved:Delete")).isEqualTo("s3:ObjectRemoved:Delete");
        assertThat(EventTypes.isS3(EventTypes.TIMER_TICK)).isFalse();
    }
}
