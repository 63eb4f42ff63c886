package dev.flowfn.job.internal.code;

import dev.flowfn.api.Handler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** One loaded function version: its handler instance and class loader, with usage tracking. */
public final class LoadedFunction {

    private final Handler handler;
    private final FunctionClassLoader loader;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();
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

    public void enter() {
        inFlight.incrementAndGet();
        lastUsedNanos = System.nanoTime();
    }

    public void exit() {
        lastUsedNanos = System.nanoTime();
        inFlight.decrementAndGet();
    }

    boolean idleSince(long nanos) {
        return inFlight.get() == 0 && lastUsedNanos < nanos;
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
