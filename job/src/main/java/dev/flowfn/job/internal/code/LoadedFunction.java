package dev.flowfn.job.internal.code;

import dev.flowfn.api.Handler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One loaded function version: its handler instance and class loader, with usage tracking. */
public final class LoadedFunction {

    private final Handler handler;
    private final FunctionClassLoader loader;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * Written with release stores, not volatile ones: the idle sweep only compares it with a
     * cut-off minutes back, and a handler run pays no store fence for it.
     */
    private final AtomicLong lastUsedNanos = new AtomicLong(System.nanoTime());

    private volatile boolean unloaded;

    LoadedFunction(Handler handler, FunctionClassLoader loader) {
        this.handler = handler;
        this.loader = loader;
    }

    public Handler handler() {
        return handler;
    }

    public ClassLoader classLoader() {
        return loader;
    }

    /** A run starts at {@code startNanos} ({@link System#nanoTime}, as the caller read it). */
    public void enter(long startNanos) {
        inFlight.incrementAndGet();
        lastUsedNanos.lazySet(startNanos);
    }

    /** The run ended at {@code endNanos} (its start plus its measured duration will do). */
    public void exit(long endNanos) {
        lastUsedNanos.lazySet(endNanos);
        inFlight.decrementAndGet();
    }

    boolean idleSince(long nanos) {
        return inFlight.get() == 0 && lastUsedNanos.get() - nanos < 0;
    }

    /** Whether its class loader was closed (idle unload): load the version again. */
    public boolean unloaded() {
        return unloaded;
    }

    void unload() {
        unloaded = true;
        try {
            loader.close();
        } catch (IOException e) {
            // the jar stays in the cache; nothing else to release
        }
    }
}
