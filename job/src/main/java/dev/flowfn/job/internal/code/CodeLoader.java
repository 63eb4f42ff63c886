package dev.flowfn.job.internal.code;

import dev.flowfn.api.Handler;
import dev.flowfn.schemas.FunctionSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Loads function versions on demand, each into its own {@link FunctionClassLoader}, and drops them
 * after an idle time. Loading (download, hash check, class init) runs on the given executor, never
 * on the caller's thread. A failed load is remembered briefly so a broken jar is not downloaded
 * once per event. Thread-safe.
 */
public final class CodeLoader {

    private static final long FAILURE_MEMORY_NANOS = Duration.ofSeconds(30).toNanos();

    private final CodeFetcher fetcher;
    private final Executor executor;
    private final long idleNanos;
    private final Map<String, Entry> loaded = new ConcurrentHashMap<>();

    private record Entry(CompletableFuture<LoadedFunction> future, long createdNanos) {}

    public CodeLoader(CodeFetcher fetcher, Executor executor, Duration idleUnload) {
        this.fetcher = fetcher;
        this.executor = executor;
        this.idleNanos = idleUnload.toNanos();
    }

    /** The loaded function; completes exceptionally with a {@link CodeLoadException}. */
    public CompletableFuture<LoadedFunction> load(FunctionSpec spec) {
        String key = spec.getName() + "@" + spec.getVersion();
        Entry entry = loaded.get(key);
        if (entry != null
                && entry.future().isCompletedExceptionally()
                && System.nanoTime() - entry.createdNanos() > FAILURE_MEMORY_NANOS) {
            loaded.remove(key, entry);
            entry = null;
        }
        if (entry == null) {
            entry =
                    loaded.computeIfAbsent(
                            key,
                            k ->
                                    new Entry(
                                            CompletableFuture.supplyAsync(
                                                    () -> loadNow(spec), executor),
                                            System.nanoTime()));
        }
        return entry.future();
    }

    /** Drops versions unused for the idle time; returns how many. Call from any thread. */
    public int unloadIdle() {
        long cutoff = System.nanoTime() - idleNanos;
        int dropped = 0;
        for (Map.Entry<String, Entry> e : loaded.entrySet()) {
            CompletableFuture<LoadedFunction> f = e.getValue().future();
            if (f.isDone()
                    && !f.isCompletedExceptionally()
                    && f.join().idleSince(cutoff)
                    && loaded.remove(e.getKey(), e.getValue())) {
                f.join().unload();
                dropped++;
            }
        }
        return dropped;
    }

    public int loadedCount() {
        return loaded.size();
    }

    private LoadedFunction loadNow(FunctionSpec spec) {
        try {
            Path jar = fetcher.fetch(spec.getCodeUri(), spec.getCodeSha256());
            FunctionClassLoader loader =
                    new FunctionClassLoader(
                            "flowfn-" + spec.getName() + "-v" + spec.getVersion(),
                            jar.toUri().toURL(),
                            Handler.class.getClassLoader());
            return new LoadedFunction(instantiate(spec, loader), loader);
        } catch (CodeLoadException e) {
            throw new java.util.concurrent.CompletionException(e);
        } catch (MalformedURLException e) {
            throw new java.util.concurrent.CompletionException(
                    new CodeLoadException("bad jar path: " + e.getMessage(), e));
        }
    }

    private static Handler instantiate(FunctionSpec spec, FunctionClassLoader loader)
            throws CodeLoadException {
        String name = spec.getHandler();
        Class<?> type;
        try {
            type = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new CodeLoadException(
                    "handler class "
                            + name
                            + " is not in the jar; check --handler (the fully qualified class name)");
        } catch (LinkageError e) {
            throw new CodeLoadException("handler class " + name + " could not be loaded: " + e, e);
        }
        if (!Handler.class.isAssignableFrom(type)) {
            throw new CodeLoadException(
                    "class "
                            + name
                            + " does not implement dev.flowfn.api.Handler; implement it, or name the class that does");
        }
        try {
            Constructor<?> ctor = type.getConstructor();
            return (Handler) ctor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new CodeLoadException(
                    "handler class " + name + " needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new CodeLoadException(
                    "constructor of " + name + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CodeLoadException("could not create " + name + ": " + e, e);
        }
    }
}
