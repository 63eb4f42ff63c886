package dev.flowfn.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.schemas.TriggerSpecs;
import dev.flowfn.schemas.s3.S3ObjectEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerIndexTest {

    private final TriggerIndex index = new TriggerIndex();

    @Test
    void objectEventsMatchBucketPrefixSuffixAndKind() {
        index.put(spec("thumbs", "s3:bucket=photos,prefix=uploads/,suffix=.jpg"));
        index.put(spec("audit", "s3:bucket=photos,events=put|delete"));
        index.put(spec("other", "s3:bucket=docs"));

        assertThat(names(s3("photos", "uploads/cat.jpg", "s3:ObjectCreated:Put")))
                .containsExactlyInAnyOrder("thumbs", "audit");
        assertThat(names(s3("photos", "thumbs/cat.jpg", "s3:ObjectCreated:Put")))
                .containsExactly("audit");
        assertThat(names(s3("photos", "uploads/cat.png", "s3:ObjectCreated:Copy")))
                .containsExactly("audit");
        assertThat(names(s3("photos", "uploads/cat.jpg", "s3:ObjectRemoved:Delete")))
                .containsExactly("audit");
        assertThat(names(s3("music", "uploads/cat.jpg", "s3:ObjectCreated:Put"))).isEmpty();
    }

    @Test
    void mqttMessagesMatchFiltersAndTicksOnlyTheirTrigger() {
        index.put(spec("logs", "mqtt:topic=devices/+/logs", "mqtt:topic=devices/#"));
        index.put(spec("gc", "cron:expr=*/5 * * * *"));

        assertThat(names(mqtt("devices/s7/logs"))).containsExactly("logs");
        assertThat(names(mqtt("plant/s7/logs"))).isEmpty();
        assertThat(names(tick("gc", "cron:expr=*/5 * * * *"))).containsExactly("gc");
        assertThat(names(tick("gc", "cron:expr=0 * * * *"))).isEmpty();
        assertThat(names(tick("gone", "cron:expr=*/5 * * * *"))).isEmpty();
        index.remove("gc");
        assertThat(names(tick("gc", "cron:expr=*/5 * * * *"))).isEmpty();
    }

    @Test
    void recordsOnUserTopicsMatchKafkaTriggers() {
        index.put(spec("upper", "kafka:topic=words"));
        assertThat(index.matching("words", mqtt("x")))
                .extracting(t -> t.function().name())
                .containsExactly("upper");
        assertThat(names(event("flowfn.invoke", Map.of()))).isEmpty();
    }

    private List<String> names(Event event) {
        return index.matching(Topics.EVENTS, event).stream().map(t -> t.function().name()).toList();
    }

    private static Event s3(String bucket, String key, String type) {
        return new S3ObjectEvent(type, bucket, key, Instant.now(), 1, "e", null, null, "s")
                .toEvent();
    }

    private static Event mqtt(String topic) {
        return event("mqtt.message", Map.of("mqtttopic", topic));
    }

    private static Event tick(String function, String trigger) {
        return event("timer.tick", Map.of("flowfntimer", function, "timertrigger", trigger));
    }

    private static Event event(String type, Map<String, String> extensions) {
        return Event.newBuilder()
                .setId("id")
                .setSource("test")
                .setType(type)
                .setTime(Instant.now())
                .setData(ByteBuffer.allocate(0))
                .setExtensions(extensions)
                .build();
    }

    private static FunctionSpec spec(String name, String... triggers) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setHandler("x.Y")
                .setCodeUri("s3://code/x.jar")
                .setCodeSha256("00")
                .setRetry(RetryPolicy.newBuilder().build())
                .setTriggers(Arrays.stream(triggers).map(TriggerSpecs::parse).toList())
                .setDeployedAt(Instant.now())
                .build();
    }
}
