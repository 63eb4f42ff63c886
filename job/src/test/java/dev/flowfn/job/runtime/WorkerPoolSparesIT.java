package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spare workers, with real Node.js worker processes: once a worker has started, one of its kind is
 * started ahead; the next version of that kind loads into it instead of starting a process; a spare
 * gives way to a worker that needs its room, and stops when idle.
 */
class WorkerPoolSparesIT {

    private static final Path HOME = TestSdkHome.find();

    @TempDir Path dir;
    private final List<WorkerConnection> started = new CopyOnWriteArrayList<>();
    private WorkerPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void theNextVersionOfTheSameKindRunsInTheWorkerStartedAheadForIt() throws Exception {
        pool = pool(8, Duration.ofMinutes(1));

        long first = Long.parseLong(run(version("a", 128)));
        await("a spare is ready", () -> pool.readySpares() == 1);
        long spare = started.get(1).pid();
        long second = Long.parseLong(run(version("b", 128)));

        assertThat(second).as("b runs in the spare").isEqualTo(spare).isNotEqualTo(first);
        assertThat(pool.workerCount()).as("a's and b's workers; spares not counted").isEqualTo(2);
        await("a new spare replaces the one b took", () -> pool.readySpares() == 1);
        assertThat(started).hasSize(3);

        long other = Long.parseLong(run(version("c", 256)));
        assertThat(other)
                .as("another memory limit is another kind: c starts its own worker")
                .isNotEqualTo(started.get(2).pid());
    }

    @Test
    void aSpareGivesWayToAWorkerThatNeedsItsRoom() throws Exception {
        pool = pool(2, Duration.ofMinutes(1));
        run(version("a", 128));
        await("a spare is ready", () -> pool.readySpares() == 1);
        WorkerConnection spare = started.get(1);

        // a's worker and the spare fill the pool's 2; c is of another kind and needs a place
        assertThat(run(version("c", 256))).isNotBlank();
        assertThat(spare.exited().get(10, TimeUnit.SECONDS).requested()).isTrue();
        assertThat(pool.workerCount()).isEqualTo(2);
    }

    @Test
    void aSpareStopsWhenIdle() throws Exception {
        pool = pool(8, Duration.ofSeconds(1));
        run(version("a", 128));
        await("a spare is ready", () -> pool.readySpares() == 1);
        WorkerConnection spare = started.get(1);

        await("the idle spare is stopped", () -> pool.readySpares() == 0);
        assertThat(spare.exited().get(10, TimeUnit.SECONDS).requested()).isTrue();
        await("every worker is stopped", () -> pool.workerCount() == 0);
        assertThat(pool.memoryInUseMb()).isZero();
    }

    @Test
    void closingThePoolStopsItsSpare() throws Exception {
        pool = pool(8, Duration.ofMinutes(1));
        run(version("a", 128));
        await("a spare is ready", () -> pool.readySpares() == 1);
        WorkerConnection spare = started.get(1);

        pool.close();

        assertThat(spare.exited().get(10, TimeUnit.SECONDS).requested()).isTrue();
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(spare.pid());
        if (process.isPresent()) {
            process.get().onExit().get(10, TimeUnit.SECONDS); // gone within 10 s, or this fails
        }
    }

    private WorkerPool pool(int maxWorkers, Duration idleStop) {
        return new WorkerPool(
                new WorkerPool.Settings(
                        HOME.toString(), maxWorkers, 4096, idleStop, Duration.ofSeconds(20)),
                (config, listener) -> {
                    WorkerConnection c = WorkerConnection.open(config, listener);
                    started.add(c);
                    return c;
                });
    }

    private static WorkerPool.Version version(String function, int memoryMb) {
        return new WorkerPool.Version(
                function, 1, WorkerRuntime.NODEJS, "index.handler", memoryMb, 1, Map.of());
    }

    /** One invocation of {@code version}, whose handler answers with its process's pid. */
    private String run(WorkerPool.Version version) throws Exception {
        Path code = Files.createDirectories(dir.resolve(version.function()));
        Files.writeString(
                code.resolve("index.js"), "exports.handler = () => String(process.pid);\n");
        CompletableFuture<Completion> done = new CompletableFuture<>();
        String id = version.function() + "-inv";
        pool.submit(
                version,
                () -> code,
                new WorkerPool.Task() {
                    @Override
                    public String invocationId() {
                        return id;
                    }

                    @Override
                    public Invoke invoke() {
                        return new Invoke(
                                id,
                                version.function(),
                                version.version(),
                                1,
                                System.currentTimeMillis() + 10_000,
                                version.memoryMb(),
                                new InvokeEvent(
                                        id,
                                        "test",
                                        "test.event",
                                        null,
                                        System.currentTimeMillis(),
                                        "text/plain",
                                        false,
                                        Map.of()),
                                new byte[0]);
                    }

                    @Override
                    public void handedTo(WorkerPool.Worker worker) {}

                    @Override
                    public void completed(Completion completion) {
                        done.complete(completion);
                    }
                });
        Outcome outcome = done.get(60, TimeUnit.SECONDS).outcome();
        assertThat(outcome).isInstanceOf(Outcome.Success.class);
        return new String(((Outcome.Success) outcome).data(), StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(20);
        }
    }
}
