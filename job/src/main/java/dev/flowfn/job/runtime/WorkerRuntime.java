package dev.flowfn.job.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A runtime whose functions run in worker processes speaking the runtime protocol v1, and how to
 * start its worker from a Flowfn SDK home (the repository root, or an install laid out like it).
 */
public enum WorkerRuntime {
    /** {@code node <home>/sdk/nodejs/bin/flowfn-worker.js} */
    NODEJS("nodejs", "node") {
        @Override
        List<String> arguments(Path sdkHome) {
            return List.of(script(sdkHome).toString());
        }

        @Override
        Map<String, String> environment(Path sdkHome) {
            return Map.of();
        }

        @Override
        Path requiredFile(Path sdkHome) {
            return script(sdkHome);
        }

        private Path script(Path sdkHome) {
            return sdkHome.resolve("sdk/nodejs/bin/flowfn-worker.js");
        }
    },

    /** {@code python3 -m flowfn.worker}, with {@code PYTHONPATH=<home>/sdk/python/src} */
    PYTHON("python", "python3") {
        @Override
        List<String> arguments(Path sdkHome) {
            return List.of("-m", "flowfn.worker");
        }

        @Override
        Map<String, String> environment(Path sdkHome) {
            return Map.of("PYTHONPATH", source(sdkHome).toString());
        }

        @Override
        Path requiredFile(Path sdkHome) {
            return source(sdkHome).resolve("flowfn/worker.py");
        }

        private Path source(Path sdkHome) {
            return sdkHome.resolve("sdk/python/src");
        }
    };

    private final String id;
    private final String defaultExecutable;

    WorkerRuntime(String id, String defaultExecutable) {
        this.id = id;
        this.defaultExecutable = defaultExecutable;
    }

    /** The runtime's name in function specs and in HELLO ({@code nodejs}, {@code python}). */
    public String id() {
        return id;
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
                "runtime '" + id + "' has no worker; the worker runtimes are nodejs, python");
    }

    /** The arguments after the executable. */
    abstract List<String> arguments(Path sdkHome);

    /** Variables the worker needs besides the protocol's. */
    abstract Map<String, String> environment(Path sdkHome);

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
}
