package dev.flowfn.job.runtime;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A runtime whose functions run in worker processes speaking the runtime protocol v2, and how to
 * start its worker: from a Flowfn SDK home (the repository root, or an install laid out like it)
 * for Node.js and Python, from the job's own class path for Java. Each is given the function's
 * memory limit its own way.
 */
public enum WorkerRuntime {
    /**
     * {@code node --max-old-space-size=MB <home>/sdk/nodejs/bin/flowfn-worker.js}; Node.js aborts
     * with "JavaScript heap out of memory" past the limit.
     */
    NODEJS("nodejs", "node", 32, 16) {
        @Override
        List<String> arguments(Path sdkHome, int memoryMb) {
            String script = script(sdkHome).toString();
            return memoryMb > 0
                    ? List.of("--max-old-space-size=" + memoryMb, script)
                    : List.of(script);
        }

        /**
         * {@code NODE_PATH} lets a function {@code require('@flowfn/sdk')} without bundling it: the
         * platform's SDK, as Lambda's Node.js runtime provides its AWS SDK.
         */
        @Override
        Map<String, String> environment(Path sdkHome, int memoryMb) {
            return Map.of("NODE_PATH", NodeModulePath.of(sdkHome).toString());
        }

        @Override
        Path requiredFile(Path sdkHome) {
            return script(sdkHome);
        }

        private Path script(Path sdkHome) {
            return sdkHome.resolve("sdk/nodejs/bin/flowfn-worker.js");
        }
    },

    /**
     * {@code python3 -m flowfn.worker}, with {@code PYTHONPATH=<home>/sdk/python/src}; the worker
     * limits its own memory to {@code FLOWFN_WORKER_MEMORY_MB} and exits with status 3 past it.
     */
    PYTHON("python", "python3", 8, 8) {
        @Override
        List<String> arguments(Path sdkHome, int memoryMb) {
            return List.of("-m", "flowfn.worker");
        }

        @Override
        Map<String, String> environment(Path sdkHome, int memoryMb) {
            return memoryMb > 0
                    ? Map.of(
                            "PYTHONPATH",
                            source(sdkHome).toString(),
                            "FLOWFN_WORKER_MEMORY_MB",
                            Integer.toString(memoryMb))
                    : Map.of("PYTHONPATH", source(sdkHome).toString());
        }

        @Override
        Path requiredFile(Path sdkHome) {
            return source(sdkHome).resolve("flowfn/worker.py");
        }

        private Path source(Path sdkHome) {
            return sdkHome.resolve("sdk/python/src");
        }
    },

    /**
     * {@code java -Xmx<MB>m -XX:+ExitOnOutOfMemoryError -cp <worker and functions-api> }{@value
     * #JAVA_WORKER_MAIN}: the JVM running this job starts it, from the classes this job runs with
     * (the worker isolates the function's jar from them).
     */
    JAVA("java", Path.of(System.getProperty("java.home"), "bin", "java").toString(), 32, 16) {
        @Override
        List<String> arguments(Path sdkHome, int memoryMb) {
            List<String> args = new java.util.ArrayList<>();
            if (memoryMb > 0) {
                args.add("-Xmx" + memoryMb + "m");
            }
            args.add("-XX:+ExitOnOutOfMemoryError");
            args.add("-XX:+UseSerialGC");
            // both JIT tiers: C1 alone (-XX:TieredStopAtLevel=1, as for short-lived JVMs) left a
            // busy worker at 0.26x of java-embedded in bench scenario 11, C2 at 0.34-0.36x; the
            // first invocation runs before either compiles, and C2 costs ~2 MiB of an idle worker
            args.add("-Xss512k");
            args.add("-Xshare:auto");
            args.add("-cp");
            args.add(javaWorkerClasspath());
            args.add(JAVA_WORKER_MAIN);
            return args;
        }

        @Override
        Map<String, String> environment(Path sdkHome, int memoryMb) {
            return Map.of();
        }

        @Override
        Path requiredFile(Path sdkHome) {
            return null;
        }

        @Override
        void checkSdkHome(Path sdkHome) {
            javaWorkerClasspath(); // names the fix when the worker's classes are missing
        }
    };

    /** The Java worker's main class (module {@code sdk/java}). */
    public static final String JAVA_WORKER_MAIN = "dev.flowfn.worker.JavaWorker";

    private final String id;
    private final int fastDepth;
    private final int maxWorkerConcurrency;
    private final String defaultExecutable;

    WorkerRuntime(String id, String defaultExecutable, int fastDepth, int maxWorkerConcurrency) {
        this.id = id;
        this.fastDepth = fastDepth;
        this.maxWorkerConcurrency = maxWorkerConcurrency;
        this.defaultExecutable = defaultExecutable;
    }

    /**
     * The runtime's name in function specs and in HELLO ({@code nodejs}, {@code python}, {@code
     * java}).
     */
    public String id() {
        return id;
    }

    /**
     * Invocations outstanding at a worker of a fast version, in multiples of its concurrency
     * ({@link Pace}). Measured with bench scenario 11 (no-op, 2 cores): 32 gave the Java and
     * Node.js workers about a fifth more throughput than 8. The Python worker's fell by half or
     * more at 32 while it sent a version to its thread pool whenever a run was cut off for want of
     * a core (each such trip took every queued invocation with it); since it no longer does, 32
     * gives it no more than 8 (69,516 against 71,986 events/s), so it stays at 8.
     */
    public int fastDepth() {
        return fastDepth;
    }

    /**
     * The most invocations one worker runs at once; a version allowed more ({@code --concurrency})
     * gets more workers. A Python worker runs Python code on one core at a time (the GIL), so it
     * gets 8 and a version of concurrency 16 two processes: in bench scenario 11 (no-op, 2 cores)
     * that gave 77,446, 88,590 and 93,952 events/s against 82,221 and 82,826 with one worker of 16
     * (same worker code, runs alternated).
     */
    public int maxWorkerConcurrency() {
        return maxWorkerConcurrency;
    }

    /** The program started when none is configured, looked up on the PATH. */
    public String defaultExecutable() {
        return defaultExecutable;
    }

    /** The runtime of an id, or an error listing the ones there are. */
    public static WorkerRuntime of(String id) {
        for (WorkerRuntime r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "runtime '" + id + "' has no worker; the worker runtimes are java, nodejs, python");
    }

    /** The arguments after the executable, with the memory limit ({@code 0}: none). */
    abstract List<String> arguments(Path sdkHome, int memoryMb);

    /** Variables the worker needs besides the protocol's. */
    abstract Map<String, String> environment(Path sdkHome, int memoryMb);

    /** The file the worker is started from, or null when it comes from the class path. */
    abstract Path requiredFile(Path sdkHome);

    /**
     * @throws IllegalArgumentException naming the fix when {@code sdkHome} holds no worker of this
     *     runtime
     */
    void checkSdkHome(Path sdkHome) {
        Path file = requiredFile(sdkHome);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "no "
                            + id
                            + " worker at "
                            + file
                            + ": the SDK home "
                            + sdkHome
                            + " must be the Flowfn repository root (set -Dflowfn.home=DIR)");
        }
    }

    /**
     * Where the Java worker's and the function API's classes are: the jars or folders this JVM
     * loaded them from.
     */
    static String javaWorkerClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String type : List.of(JAVA_WORKER_MAIN, "dev.flowfn.api.Handler")) {
            try {
                CodeSource source =
                        Class.forName(type, false, WorkerRuntime.class.getClassLoader())
                                .getProtectionDomain()
                                .getCodeSource();
                entries.add(Path.of(source.getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "the java runtime's worker ("
                                + type
                                + ") is not on this job's class path: build the job with the"
                                + " sdk/java module (mvn -pl job -am package)",
                        e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
