package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.FlowfnLocalProcess;
import dev.flowfn.bench.infra.Jars;
import dev.flowfn.bench.infra.Samples;
import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scenario 10: how soon an alias move reaches the job. On {@code flowfn local}, a no-op function
 * with two versions behind alias {@code prod} takes a steady 500 events/s over 500 keys (a Kafka
 * trigger through the alias); both versions are invoked once first (their code loaded: a cold start
 * is scenario 5's); then the alias moves between the versions every 3 s. For each move: the time
 * from just before {@code flowfn alias set} was sent to the start of the first invocation on the
 * new version (the results' own start times, read once committed). Shown beside the checkpoint
 * interval, which is what a committed result waits for on top of it.
 */
final class AliasMoveScenario {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final String FUNCTION = "alias-move";
    private static final String TOPIC = "bench.alias-move";
    private static final long CHECKPOINT_MS = 1_000; // flowfn local's default

    private final int moves;

    AliasMoveScenario(int moves) {
        this.moves = moves;
    }

    void run(Report.Scenario s, FlowfnLocalProcess local) throws Exception {
        ControlClient client = local.client();
        String bootstrap = local.kafkaBootstrap();
        byte[] jar = Jars.of(Noop.class);
        String runtime = null;
        for (String alias : Arrays.asList("prod", null)) {
            runtime =
                    client.deploy(
                                    new DeployRequest(
                                            FUNCTION,
                                            Noop.class.getName(),
                                            null,
                                            null,
                                            null,
                                            0,
                                            List.of("kafka:topic=" + TOPIC + ",alias=prod"),
                                            null,
                                            null,
                                            null,
                                            null,
                                            alias,
                                            null,
                                            "java-embedded",
                                            null),
                                    "noop.jar",
                                    jar)
                            .runtime();
        }
        s.runtime(LocalPlatformScenarios.deployedRuntime(runtime));
        // both versions' code loaded first: a version's first event pays its cold start
        // (scenario 5), which is not the move's
        for (long v = 1; v <= 2; v++) {
            client.invoke(FUNCTION + ":" + v, new byte[16], "application/octet-stream");
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(bootstrap, producing), "bench-alias-producer");
        producer.start();
        long[] movedAt = new long[moves];
        long[] target = new long[moves];
        try {
            Clock.sleep(3_000); // traffic on version 1 first
            for (int i = 0; i < moves; i++) {
                target[i] = i % 2 == 0 ? 2 : 1;
                movedAt[i] = nowMicros();
                client.setAlias(FUNCTION, "prod", new AliasRequest(target[i], null, null, null));
                Clock.sleep(3_000);
            }
        } finally {
            producing.set(false);
            producer.join();
        }
        long end = nowMicros();
        long[] firstStart = new long[moves];
        Arrays.fill(firstStart, Long.MAX_VALUE);
        readResults(
                bootstrap,
                Duration.ofSeconds(30),
                r -> {
                    for (int i = 0; i < moves; i++) {
                        long until = i + 1 < moves ? movedAt[i + 1] : end;
                        long start = r.getStartMicros();
                        if (r.getVersion() == target[i] && start >= movedAt[i] && start < until) {
                            firstStart[i] = Math.min(firstStart[i], start);
                        }
                    }
                });
        Samples latencies = new Samples();
        int missed = 0;
        List<Object> each = new ArrayList<>();
        for (int i = 0; i < moves; i++) {
            if (firstStart[i] == Long.MAX_VALUE) {
                missed++;
                each.add(null);
            } else {
                latencies.add(movedAt[i], firstStart[i] - movedAt[i]);
                each.add(Math.round((firstStart[i] - movedAt[i]) / 100.0) / 10.0);
            }
        }
        long[] sorted = latencies.window(0, Long.MAX_VALUE);
        double p50 = Samples.percentileMs(sorted, 50);
        double p99 = Samples.percentileMs(sorted, 99);
        Map<String, Object> d = new LinkedHashMap<>(Samples.summary(sorted));
        d.put("moves", moves);
        d.put("eachMoveMs", each);
        d.put("movesWithoutAnEventOnTheNewVersion", missed);
        d.put("eventsPerSecond", 500);
        d.put("checkpointIntervalMs", CHECKPOINT_MS);
        for (var row : List.of(Map.entry("p50", p50), Map.entry("p99", p99))) {
            s.row(
                    new Report.Row(
                            "alias move -> first event on the new version, " + row.getKey(),
                            row.getValue(),
                            CHECKPOINT_MS,
                            "ms",
                            "the checkpoint interval (a committed result waits up to it more)",
                            "< 1 s",
                            missed == 0 && row.getValue() < 1000,
                            d,
                            "flowfn alias set sent -> start of the first invocation on the new"
                                    + " version (its result's start time), "
                                    + moves
                                    + " moves under 500 events/s"));
        }
    }

    private static void produce(String bootstrap, AtomicBoolean producing) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "1");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long i = 0;
            while (producing.get()) {
                for (int n = 0; n < 10; n++, i++) {
                    producer.send(
                            new ProducerRecord<>(
                                    TOPIC,
                                    ("k" + i % 500).getBytes(StandardCharsets.UTF_8),
                                    new byte[16]));
                }
                Clock.sleep(20); // 500 events/s
            }
        }
    }

    private static void readResults(
            String bootstrap, Duration settle, java.util.function.Consumer<InvocationResult> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.RESULTS)
                    .forEach(
                            i -> partitions.add(new TopicPartition(Topics.RESULTS, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < settle.toNanos()) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime() - settle.toNanos() + 3_000_000_000L;
                }
                records.forEach(
                        r -> {
                            InvocationResult result = RESULTS.decode(r.value());
                            if (result.getFunction().equals(FUNCTION)) {
                                each.accept(result);
                            }
                        });
            }
        }
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }
}
