package dev.flowfn.job;

import static dev.flowfn.job.JobTestPlatform.spec;
import static dev.flowfn.job.JobTestPlatform.text;
import static dev.flowfn.job.JobTestPlatform.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.testfns.EmitTo;
import dev.flowfn.job.testfns.NotAHandler;
import dev.flowfn.job.testfns.ReturnsNull;
import dev.flowfn.job.testfns.Sleepy;
import dev.flowfn.job.testfns.Spinner;
import dev.flowfn.job.testfns.Thrower;
import dev.flowfn.job.testfns.Versioned;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Isolation between functions, redeploys without restart, and bad input as dead letters. */
class DispatchIT {

    @TempDir static Path dir;
    static JobTestPlatform platform;
    static byte[] testJar;

    @BeforeAll
    static void start() throws Exception {
        // as production clusters often are: a record for a missing topic fails, it creates none
        platform =
                JobTestPlatform.start(
                        dir,
                        Duration.ofSeconds(2),
                        Map.of("auto.create.topics.enable", "false"),
                        conf -> {});
        testJar =
                TestJars.of(
                        Sleepy.class,
                        Thrower.class,
                        Spinner.class,
                        ReturnsNull.class,
                        NotAHandler.class,
                        Versioned.class,
                        EmitTo.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aSlowFunctionDoesNotHoldBackItsNeighbour() throws Exception {
        byte[] upperJar = TestJars.containing(Upper.class);
        platform.kafka.createTopic("slow-in", 2);
        platform.kafka.createTopic("quick-in", 2);
        platform.deploy(
                spec("slow", 1, Sleepy.class, testJar, "kafka:topic=slow-in")
                        .setMaxConcurrency(2)
                        .setEnv(Map.of("SLEEP_MS", "1000"))
                        .build(),
                testJar);
        platform.deploy(
                spec("quick", 1, Upper.class, upperJar, "kafka:topic=quick-in").build(), upperJar);
        Thread.sleep(1_000);

        try (KafkaProducer<byte[], byte[]> producer = platform.kafka.producer()) {
            for (int i = 0; i < 20; i++) { // 20 x 1 s at concurrency 2: busy for 10 s
                producer.send(new ProducerRecord<>("slow-in", utf8("s" + i), utf8("slow-" + i)));
            }
            producer.flush();
            Thread.sleep(300);
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("quick-in", utf8("q" + i), utf8("quick-" + i)));
            }
        }

        List<InvocationResult> seen =
                platform.results(50, Duration.ofSeconds(6)).stream()
                        .filter(
                                r ->
                                        r.getFunction().equals("quick")
                                                || r.getFunction().equals("slow"))
                        .toList();
        long quick = seen.stream().filter(r -> r.getFunction().equals("quick")).count();
        long slow = seen.stream().filter(r -> r.getFunction().equals("slow")).count();
        assertThat(quick)
                .as("every quick event completed while the slow function was busy")
                .isEqualTo(50);
        assertThat(slow).as("the slow function was still busy").isLessThan(20);
    }

    @Test
    void connectorEventsReachTheFunctionsTheirTriggersMatchOnce() throws Exception {
        byte[] upperJar = TestJars.containing(Upper.class);
        platform.deploy(
                spec("thumbs", 1, Upper.class, upperJar, "s3:bucket=photos,prefix=in/,suffix=.jpg")
                        .build(),
                upperJar);
        platform.deploy(
                spec("parse", 1, Upper.class, upperJar, "mqtt:topic=devices/+/logs").build(),
                upperJar);
        platform.deploy(
                spec("gc", 1, Upper.class, upperJar, "cron:expr=*/5 * * * *").build(), upperJar);
        Thread.sleep(1_000);

        Event photo = s3Event("in/cat.jpg", "s3:ObjectCreated:Put", "seq-1");
        sendEvent(photo);
        sendEvent(photo); // a redelivered notification
        sendEvent(s3Event("out/cat.jpg", "s3:ObjectCreated:Put", "seq-2")); // prefix does not fit
        sendEvent(s3Event("in/cat.jpg", "s3:ObjectRemoved:Delete", "seq-3")); // not a put
        sendEvent(mqttEvent("m-1", "devices/s7/logs"));
        sendEvent(mqttEvent("m-2", "devices/s7/status")); // filter does not match
        Event qos2 = mqttEvent("mqtt-qos2:c:epoch:7", "devices/s7/logs");
        sendEvent(qos2);
        sendEvent(qos2); // a QoS 2 message again after a connector crash: same id, dropped
        Event tick = tickEvent("gc", "cron:expr=*/5 * * * *", 1_000L);
        sendEvent(tick);
        sendEvent(tick); // the connector fired it again after a restart
        sendEvent(tickEvent("gc", "cron:expr=0 * * * *", 2_000L)); // a trigger gc no longer has
        // MinIO's own Kafka target: notification JSON on minio.events
        platform.kafka.createTopic("minio.events", 1); // this cluster creates no topics itself
        String minio =
                "{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"photos/in/dog.jpg\",\"Records\":"
                        + "[{\"eventName\":\"s3:ObjectCreated:Put\",\"eventTime\":\"2026-11-24T10:00:00Z\","
                        + "\"s3\":{\"bucket\":{\"name\":\"photos\"},\"object\":{\"key\":\"in%2Fdog.jpg\","
                        + "\"size\":3,\"sequencer\":\"seq-9\"}}}]}";
        platform.kafka.send(
                "minio.events",
                JobTestPlatform.utf8("photos/in/dog.jpg"),
                JobTestPlatform.utf8(minio));
        platform.kafka.send("minio.events", null, JobTestPlatform.utf8("{\"Records\": 5}"));

        List<String> ids =
                platform.results(100, Duration.ofSeconds(8)).stream()
                        .filter(r -> List.of("thumbs", "parse", "gc").contains(r.getFunction()))
                        .map(InvocationResult::getInvocationId)
                        .toList();
        assertThat(ids)
                .containsExactlyInAnyOrder(
                        photo.getId() + "/thumbs",
                        "s3:photos/in/dog.jpg@seq-9:s3:ObjectCreated:Put/thumbs",
                        "m-1/parse",
                        "mqtt-qos2:c:epoch:7/parse",
                        tick.getId() + "/gc");
        assertThat(platform.deadLetters(1, Duration.ofSeconds(5)))
                .anySatisfy(
                        d ->
                                assertThat(d.getReason())
                                        .contains(
                                                "minio.events",
                                                "not a bucket notification",
                                                "Records must be an array"));
    }

    private static Event s3Event(String key, String type, String sequencer) {
        return new dev.flowfn.schemas.s3.S3ObjectEvent(
                        type,
                        "photos",
                        key,
                        java.time.Instant.now(),
                        3,
                        "etag",
                        "image/jpeg",
                        null,
                        sequencer)
                .toEvent();
    }

    private static Event mqttEvent(String id, String topic) {
        return Event.newBuilder()
                .setId(id)
                .setSource("mqtt://127.0.0.1:1883")
                .setType("mqtt.message")
                .setSubject("s7")
                .setTime(java.time.Instant.now())
                .setData(java.nio.ByteBuffer.wrap(JobTestPlatform.utf8("temp=20")))
                .setExtensions(Map.of("mqtttopic", topic))
                .build();
    }

    private static Event tickEvent(String function, String trigger, long scheduledMillis) {
        return Event.newBuilder()
                .setId("timer:" + function + "/" + trigger.hashCode() + "/" + scheduledMillis)
                .setSource("flowfn://timer")
                .setType("timer.tick")
                .setSubject(function)
                .setTime(java.time.Instant.ofEpochMilli(scheduledMillis))
                .setData(java.nio.ByteBuffer.wrap(JobTestPlatform.utf8("{}")))
                .setExtensions(Map.of("flowfntimer", function, "timertrigger", trigger))
                .build();
    }

    private static void sendEvent(Event event) throws Exception {
        platform.kafka.send(
                Topics.EVENTS,
                JobTestPlatform.utf8(event.getSubject()),
                JobTestPlatform.EVENTS.encode(event));
    }

    @Test
    void aRedeployTakesEffectWithoutRestartingTheJob() throws Exception {
        platform.deploy(
                spec("greeter", 1, Versioned.class, testJar)
                        .setEnv(Map.of("GREETING", "hello"))
                        .build(),
                testJar);
        platform.invoke("greeter", "greet-1", "{}", 1);
        assertThat(text(awaitResult("greet-1").getData())).isEqualTo("hello v1");

        platform.deploy(
                spec("greeter", 2, Versioned.class, testJar)
                        .setEnv(Map.of("GREETING", "bonjour"))
                        .build(),
                testJar);
        platform.invoke("greeter", "greet-2", "{}", 2);
        assertThat(text(awaitResult("greet-2").getData())).isEqualTo("bonjour v2");
        assertThat(platform.flink.restarts(platform.job)).isZero();
    }

    @Test
    void badInputBecomesDeadLettersAndTheJobKeepsRunning() throws Exception {
        // an undecodable record on the event topic
        platform.kafka.send(Topics.EVENTS, utf8("junk"), utf8("this is not avro"));
        // a direct invocation of a function nobody deployed
        platform.invoke("ghost", "ghost-1", "{}", 0);
        // a direct invocation of a function that was deployed, then deleted
        platform.deploy(spec("gone", 1, Versioned.class, testJar).build(), testJar);
        platform.kafka.send(Topics.FUNCTIONS, utf8("gone"), null);
        Thread.sleep(500);
        platform.invoke("gone", "gone-1", "{}", 1);
        // a jar whose hash does not match the spec
        deployBroken(
                "bad-hash",
                spec("bad-hash", 1, Versioned.class, testJar).setCodeSha256("00".repeat(32)));
        // a handler class that is not in the jar
        deployBroken(
                "no-class",
                spec("no-class", 1, Versioned.class, testJar)
                        .setHandler("dev.flowfn.job.testfns.Missing"));
        // a class that does not implement Handler
        deployBroken("not-handler", spec("not-handler", 1, NotAHandler.class, testJar));
        // a handler that throws, retried once
        deployBroken(
                "thrower",
                spec("thrower", 1, Thrower.class, testJar)
                        .setRetry(
                                RetryPolicy.newBuilder()
                                        .setMaxAttempts(2)
                                        .setBackoffMs(50)
                                        .build()));
        // a handler that loops past its timeout
        deployBroken("spinner", spec("spinner", 1, Spinner.class, testJar).setTimeoutMs(300));
        // a handler that returns null
        deployBroken("nuller", spec("nuller", 1, ReturnsNull.class, testJar));
        // handlers that emit to a topic the cluster does not have (the sink's transaction, and
        // the job with it, would fail), and to a name Kafka refuses
        deployBroken(
                "emit-missing",
                spec("emit-missing", 1, EmitTo.class, testJar)
                        .setEnv(Map.of("TOPIC", "no-such-topic")));
        deployBroken(
                "emit-bad-name",
                spec("emit-bad-name", 1, EmitTo.class, testJar)
                        .setEnv(Map.of("TOPIC", "bad topic!")));
        platform.kafka.createTopic("emit-out", 1);
        deployBroken(
                "emit-ok",
                spec("emit-ok", 1, EmitTo.class, testJar).setEnv(Map.of("TOPIC", "emit-out")));

        assertThat(awaitDeadLetter(null).getKind()).isEqualTo(FailureKind.BAD_EVENT);
        assertThat(awaitDeadLetter(null).getReason())
                .contains("not an Avro single-object-encoded Event");
        assertThat(awaitDeadLetter(null).getRaw().getTopic()).isEqualTo(Topics.EVENTS);
        assertDeadLetter("ghost", FailureKind.UNKNOWN_FUNCTION, "no function named 'ghost'");
        assertDeadLetter(
                "gone",
                FailureKind.UNKNOWN_FUNCTION,
                "function 'gone' version 1 or later is not deployed (deleted");
        assertDeadLetter("bad-hash", FailureKind.CODE_LOAD, "SHA-256");
        assertDeadLetter("no-class", FailureKind.CODE_LOAD, "is not in the jar");
        assertDeadLetter(
                "not-handler", FailureKind.CODE_LOAD, "does not implement dev.flowfn.api.Handler");
        DeadLetter thrown = assertDeadLetter("thrower", FailureKind.HANDLER_ERROR, "boom on {}");
        assertThat(thrown.getAttempts()).isEqualTo(2);
        assertThat(thrown.getEvent().getId()).isEqualTo("thrower-1");
        assertDeadLetter("spinner", FailureKind.TIMEOUT, "timeout of 0.3s");
        assertDeadLetter("nuller", FailureKind.BAD_RESULT, "returned null");
        assertDeadLetter(
                "emit-missing",
                FailureKind.BAD_RESULT,
                "emitted to topic 'no-such-topic', which does not exist");
        assertDeadLetter(
                "emit-bad-name",
                FailureKind.HANDLER_ERROR,
                "topic 'bad topic!' is not a valid Kafka topic name");
        assertThat(awaitResult("emit-ok-1").getSuccess()).isTrue();
        assertThat(
                        platform.kafka.readCommitted(
                                "emit-out", 1, Duration.ofSeconds(30), Duration.ZERO))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("{}");

        InvocationResult failed = awaitResult("thrower-1");
        assertThat(failed.getSuccess()).isFalse();
        assertThat(failed.getFailureKind()).isEqualTo(FailureKind.HANDLER_ERROR);

        // everyone else is still served, and the job never restarted
        platform.deploy(spec("after", 1, Versioned.class, testJar).build(), testJar);
        platform.invoke("after", "after-1", "{}", 1);
        assertThat(awaitResult("after-1").getSuccess()).isTrue();
        assertThat(platform.flink.restarts(platform.job)).isZero();
    }

    private static void deployBroken(String name, FunctionSpec.Builder spec) throws Exception {
        platform.deploy(spec.build(), testJar);
        platform.invoke(name, name + "-1", "{}", 1);
    }

    private static DeadLetter assertDeadLetter(String function, FailureKind kind, String reason) {
        DeadLetter letter = awaitDeadLetter(function);
        assertThat(letter.getKind()).as(function).isEqualTo(kind);
        assertThat(letter.getReason()).as(function).contains(reason);
        return letter;
    }

    private static DeadLetter awaitDeadLetter(String function) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<DeadLetter> found =
                    platform.deadLetters(0, Duration.ZERO).stream()
                            .filter(d -> java.util.Objects.equals(d.getFunction(), function))
                            .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no dead letter for " + function);
    }

    private static InvocationResult awaitResult(String invocationId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<InvocationResult> found =
                    platform.results(0, Duration.ZERO).stream()
                            .filter(r -> r.getInvocationId().equals(invocationId))
                            .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no result for " + invocationId);
    }
}
