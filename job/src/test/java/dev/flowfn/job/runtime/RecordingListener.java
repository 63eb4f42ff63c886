package dev.flowfn.job.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Records what a worker connection delivers; tests wait on it for a count of completions. */
final class RecordingListener implements WorkerListener {

    final Map<String, Completion> completions = new ConcurrentHashMap<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    volatile WorkerExit exit;
    volatile Consumer<Completion> onEach = c -> {};
    private int duplicates;
    private int batches;

    @Override
    public synchronized void onResults(List<Completion> batch) {
        threads.add(Thread.currentThread().getName());
        batches++;
        for (Completion c : batch) {
            if (completions.put(c.invocationId(), c) != null) {
                duplicates++;
            }
            onEach.accept(c);
        }
        notifyAll();
    }

    @Override
    public synchronized void onWorkerExit(WorkerExit workerExit) {
        threads.add(Thread.currentThread().getName());
        exit = workerExit;
        notifyAll();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int batches() {
        return batches;
    }

    /** Waits until {@code count} invocations have completed. */
    synchronized void awaitCompletions(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completions.size() < count) {
            waitUntil(deadline, completions.size() + " of " + count + " completions");
        }
    }

    /** Waits for {@link #onWorkerExit}. */
    synchronized WorkerExit awaitExit(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exit == null) {
            waitUntil(deadline, "the worker's exit");
        }
        return exit;
    }

    private void waitUntil(long deadline, String what) throws Exception {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("timed out waiting for " + what);
        }
        wait(Math.max(1, left / 1_000_000));
    }
}
