package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.HistogramStatistics;
import org.junit.jupiter.api.Test;

class RingHistogramTest {

    @Test
    void summarizesTheValuesItHolds() {
        RingHistogram h = new RingHistogram(100);
        for (int v = 1; v <= 100; v++) {
            h.update(v);
        }
        HistogramStatistics s = h.getStatistics();
        assertThat(h.getCount()).isEqualTo(100);
        assertThat(s.size()).isEqualTo(100);
        assertThat(s.getMin()).isEqualTo(1);
        assertThat(s.getMax()).isEqualTo(100);
        assertThat(s.getMean()).isEqualTo(50.5);
        assertThat(s.getQuantile(0.99)).isBetween(99.0, 100.0);
    }

    @Test
    void keepsTheLastValuesAndCountsAll() {
        RingHistogram h = new RingHistogram(10);
        assertThat(h.getStatistics().size()).isZero();
        for (int v = 1; v <= 25; v++) {
            h.update(v);
        }
        assertThat(h.getCount()).isEqualTo(25);
        assertThat(h.getStatistics().getValues())
                .containsExactlyInAnyOrder(16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
    }

    @Test
    void aPowerOfTwoSizeKeepsTheLastValuesToo() {
        RingHistogram h = new RingHistogram(8);
        for (int v = 1; v <= 21; v++) {
            h.update(v);
        }
        assertThat(h.getCount()).isEqualTo(21);
        assertThat(h.getStatistics().getValues())
                .containsExactlyInAnyOrder(14, 15, 16, 17, 18, 19, 20, 21);
    }

    @Test
    void countsEveryUpdateOfConcurrentWriters() throws Exception {
        RingHistogram h = new RingHistogram(1000);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread w =
                    new Thread(
                            () -> {
                                for (int i = 0; i < 100_000; i++) {
                                    h.update(7);
                                }
                            });
            w.start();
            writers.add(w);
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(h.getCount()).isEqualTo(400_000);
        assertThat(h.getStatistics().getMax()).isEqualTo(7);
    }
}
