package dev.flowfn.job.internal.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterPartialsTest {

    private static final long MINUTE = 60_000;

    private static FunctionSpec spec(String name, long version) {
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(version)
                .setHandler("x.Y")
                .setCodeUri("file:/x")
                .setCodeSha256("00")
                .setMemoryMb(256)
                .setRetry(RetryPolicy.newBuilder().build())
                .setDeployedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void attemptsAreSummedExactlyPerVersionAndWindow() {
        MeterPartials partials = new MeterPartials(MINUTE);
        FunctionSpec v1 = spec("f", 1);
        FunctionSpec v2 = spec("f", 2);

        assertThat(partials.add(v1, 10 * MINUTE + 5, 3, true, false))
                .as("the first attempt of a window asks for the window's close")
                .isEqualTo(11 * MINUTE);
        assertThat(partials.add(v1, 10 * MINUTE + 6, 1, false, true)).isEqualTo(-1);
        assertThat(partials.add(v2, 10 * MINUTE + 7, 2, true, false)).isEqualTo(-1);
        assertThat(partials.add(v1, 11 * MINUTE, 4, true, false)).isEqualTo(12 * MINUTE);

        List<MeterPartial> first = partials.closeUpTo(11 * MINUTE);
        assertThat(first).hasSize(2);
        MeterPartial f1 = first.stream().filter(p -> p.version == 1).findFirst().orElseThrow();
        assertThat(f1.windowStart).isEqualTo(10 * MINUTE);
        assertThat(f1.sums.invocations).isEqualTo(2);
        assertThat(f1.sums.errors).isEqualTo(1);
        assertThat(f1.sums.deadLetters).isEqualTo(1);
        assertThat(f1.sums.billedMs).isEqualTo(4);
        assertThat(f1.sums.mbMs).isEqualTo(4 * 256);
        assertThat(partials.all()).hasSize(1).allMatch(p -> p.windowStart == 11 * MINUTE);
        assertThat(partials.closeUpTo(11 * MINUTE)).isEmpty();
    }

    @Test
    void anAttemptAfterItsWindowClosedStartsAPartialOfItsOwn() {
        MeterPartials partials = new MeterPartials(MINUTE);
        FunctionSpec v1 = spec("f", 1);
        assertThat(partials.add(v1, 10 * MINUTE + 5, 3, true, false)).isEqualTo(11 * MINUTE);
        assertThat(partials.add(v1, 10 * MINUTE + 6, 1, true, false)).isEqualTo(-1);
        assertThat(partials.closeUpTo(11 * MINUTE))
                .singleElement()
                .satisfies(p -> assertThat(p.sums.invocations).isEqualTo(2));

        // a late one (its end in a window already closed and sent) is not added to the sent sums
        assertThat(partials.add(v1, 10 * MINUTE + 7, 5, true, false)).isEqualTo(11 * MINUTE);
        assertThat(partials.closeUpTo(11 * MINUTE))
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.sums.invocations).isEqualTo(1);
                            assertThat(p.sums.billedMs).isEqualTo(5);
                        });
    }

    @Test
    void restoredPartialsCloseWithTheirWindow() {
        MeterPartials before = new MeterPartials(MINUTE);
        before.add(spec("f", 1), 3 * MINUTE + 1, 7, true, false);
        List<MeterPartial> checkpoint = before.all();

        MeterPartials after = new MeterPartials(MINUTE);
        assertThat(after.restore(checkpoint)).containsExactly(4 * MINUTE);
        after.add(spec("f", 1), 3 * MINUTE + 2, 5, true, false);
        assertThat(after.closeUpTo(4 * MINUTE - 1)).isEmpty();
        List<MeterPartial> closed = after.closeUpTo(4 * MINUTE);
        assertThat(closed.stream().mapToLong(p -> p.sums.billedMs).sum()).isEqualTo(12);
        assertThat(after.all()).isEmpty();
    }

    @Test
    void theHistogramHoldsEveryAttemptWheneverThePartialLeaves() {
        MeterPartials partials = new MeterPartials(MINUTE);
        FunctionSpec v1 = spec("f", 1);
        partials.add(v1, 5, 3, true, false);
        partials.add(v1, 6, 3, true, false);
        partials.add(v1, 7, 0, true, false);
        partials.add(v1, 8, 500, true, false);

        assertHistogram("a checkpoint", partials.all(), Map.of(0L, 1L, 3L, 2L, 500L, 1L));

        partials.add(v1, 9, 3, true, false);
        assertHistogram(
                "the window's close, counting on after the checkpoint",
                partials.closeUpTo(MINUTE),
                Map.of(0L, 1L, 3L, 3L, 500L, 1L));
    }

    private static void assertHistogram(
            String when, List<MeterPartial> partials, Map<Long, Long> histogram) {
        assertThat(partials)
                .as(when)
                .singleElement()
                .satisfies(p -> assertThat(p.sums.histogram).isEqualTo(histogram));
    }

    @Test
    void mergingAndPercentilesCountWhatWasNotFoldedYet() {
        MeterAccumulator a = new MeterAccumulator();
        MeterAccumulator b = new MeterAccumulator();
        for (int i = 0; i < 98; i++) {
            a.add(2, 128, true, false);
        }
        b.add(40, 128, true, false);
        b.add(900, 128, true, false);

        assertThat(b.percentile(0.5)).isEqualTo(40);
        MeterAccumulator merged = new MeterAccumulator().merge(a).merge(b);
        assertThat(merged.histogram).isEqualTo(Map.of(2L, 98L, 40L, 1L, 900L, 1L));
        assertThat(merged.percentile(0.98)).isEqualTo(2);
        assertThat(merged.percentile(0.99)).isEqualTo(40);
        assertThat(merged.percentile(1.0)).isEqualTo(900);
    }
}
