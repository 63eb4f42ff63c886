package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<Attempt> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void attemptsBeyondTheLimitWaitAndRunInTheirOrderAsSlotsFree() throws Exception {
        Lane lane = new Lane(1, threads, ran::add);
        Attempt first = attempt(lane);
        Attempt second = attempt(lane);
        Attempt third = attempt(lane);

        lane.submit(first);
        lane.submit(second);
        lane.submit(third);
        awaitRan(1);
        assertThat(ran).containsExactly(first);

        lane.release();
        awaitRan(2);
        lane.release();
        awaitRan(3);
        assertThat(ran).containsExactly(first, second, third);
    }

    @Test
    void aSlotFreedAfterTheThreadsStoppedStartsNothingAndThrowsNothing() throws Exception {
        Lane lane = new Lane(1, threads, ran::add);
        lane.submit(attempt(lane));
        lane.submit(attempt(lane)); // waits for the slot
        awaitRan(1);
        threads.shutdown();
        assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        assertThatCode(lane::release).doesNotThrowAnyException();
        assertThatCode(() -> lane.submit(attempt(lane))).doesNotThrowAnyException();
        assertThat(ran).hasSize(1);
    }

    private static Attempt attempt(Lane lane) {
        return new Attempt(null, 1, null, lane, Map.of());
    }

    private void awaitRan(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ran.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(ran).hasSize(count);
    }
}
