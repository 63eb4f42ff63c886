package dev.flowfn.bench;

import dev.flowfn.bench.infra.BenchKafka;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.ResultTap;
import dev.flowfn.bench.infra.Samples;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Latencies of stamped events, read from a job's output topic twice: as written (read uncommitted,
 * as the gateway's pushed replies see them: what an at-least-once sink would show) and as committed
 * (read_committed, exactly-once). Each output says when its event was sent and when the handler (or
 * the bare job's map) started.
 */
final class Latencies implements AutoCloseable {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    final Samples handler = new Samples();
    final Samples written = new Samples();
    final Samples committed = new Samples();
    private final ResultTap uncommittedTap;
    private final ResultTap committedTap;

    /**
     * @param parse {sent, handler start} in epoch µs, or null for an output not ours
     */
    Latencies(
            BenchKafka kafka,
            String topic,
            Function<ConsumerRecord<byte[], byte[]>, long[]> parse) {
        uncommittedTap =
                new ResultTap(
                        kafka,
                        topic,
                        false,
                        (r, at) -> {
                            long[] s = parse.apply(r);
                            if (s != null) {
                                handler.add(s[0], s[1] - s[0]);
                                written.add(s[0], at - s[0]);
                            }
                        });
        committedTap =
                new ResultTap(
                        kafka,
                        topic,
                        true,
                        (r, at) -> {
                            long[] s = parse.apply(r);
                            if (s != null) {
                                committed.add(s[0], at - s[0]);
                            }
                        });
    }

    /** Results of Stamp function {@code function} on {@code flowfn.results}. */
    static Function<ConsumerRecord<byte[], byte[]>, long[]> flowfn(String function) {
        return r -> {
            InvocationResult result = RESULTS.decode(r.value());
            if (!result.getFunction().equals(function) || !result.getSuccess()) {
                return null;
            }
            ByteBuffer data = result.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            return parse(new String(bytes, StandardCharsets.US_ASCII));
        };
    }

    /** Outputs of the bare job's stamping map. */
    static Function<ConsumerRecord<byte[], byte[]>, long[]> bare() {
        return r -> parse(new String(r.value(), StandardCharsets.US_ASCII));
    }

    private static long[] parse(String text) {
        int comma = text.indexOf(',');
        long sent = Events.sentMicros(text);
        return comma < 0 || sent < 0
                ? null
                : new long[] {sent, Long.parseLong(text.substring(comma + 1).trim())};
    }

    /**
     * Waits until {@code count} outputs were seen committed, or {@code timeout}; returns whether
     * they were.
     */
    boolean awaitCommitted(long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committed.size() < count || written.size() < count) {
            uncommittedTap.check();
            committedTap.check();
            if (System.nanoTime() > deadline) {
                return false;
            }
            Clock.sleep(20);
        }
        return true;
    }

    /** "p50 x, max y" for a table cell. */
    static String spread(long[] sorted) {
        return String.format(
                Locale.ROOT,
                "p50 %.1f, max %.1f ms",
                Samples.percentileMs(sorted, 50),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0);
    }

    @Override
    public void close() throws InterruptedException {
        uncommittedTap.close();
        committedTap.close();
    }
}
