package dev.flowfn.deploy.control;

import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.EventTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Dead letters for the tests: an object upload that a function failed on. */
final class DeadLetters {

    static final Instant TIME = Instant.parse("2026-03-01T11:00:00Z");

    static Event upload() {
        return Event.newBuilder()
                .setId("s3:photos/a.jpg@1:s3:ObjectCreated:Put")
                .setSource("s3://photos")
                .setType(EventTypes.S3_OBJECT_CREATED_PUT)
                .setSubject("photos/a.jpg")
                .setTime(TIME)
                .setDatacontenttype("application/json")
                .setData(ByteBuffer.wrap("{\"key\":\"a.jpg\"}".getBytes(StandardCharsets.UTF_8)))
                .setExtensions(
                        Map.of(
                                EventExtensions.S3_BUCKET, "photos",
                                EventExtensions.S3_KEY, "a.jpg",
                                EventExtensions.REPLY_TO, "http://127.0.0.1:1/reply"))
                .setSourceIdentity(true)
                .build();
    }

    static DeadLetter failed(String function, Event event) {
        return DeadLetter.newBuilder()
                .setFunction(function)
                .setVersion(3L)
                .setInvocationId(event == null ? null : event.getId() + "/" + function)
                .setKind(FailureKind.HANDLER_ERROR)
                .setReason("IllegalStateException: asked to fail")
                .setAttempts(1)
                .setEvent(event)
                .setTime(TIME)
                .build();
    }

    private DeadLetters() {}
}
