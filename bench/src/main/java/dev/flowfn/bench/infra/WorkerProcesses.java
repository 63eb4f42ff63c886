package dev.flowfn.bench.infra;

import dev.flowfn.job.JobOptions;
import dev.flowfn.job.runtime.WorkerConfig;
import dev.flowfn.job.runtime.WorkerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * The job's worker processes as the operating system shows them: the children of this JVM (the
 * MiniCluster runs the job, and so its worker pool, in it) whose command line is a worker's. And
 * the bare runtimes to compare them with: the same command line (executable, memory flags) with the
 * worker replaced by a program that sleeps.
 */
public final class WorkerProcesses {

    /**
     * The worker runtime ({@code java}, {@code nodejs}, {@code python}) of a process with this
     * command line, or null if it is no worker. The command lines are those {@link WorkerRuntime}
     * starts.
     */
    public static String runtimeOf(List<String> commandLine) {
        for (int i = 0; i < commandLine.size(); i++) {
            String arg = commandLine.get(i);
            if (arg.equals(WorkerRuntime.JAVA_WORKER_MAIN)) {
                return WorkerRuntime.JAVA.id();
            }
            if (arg.endsWith("/flowfn-worker.js")) {
                return WorkerRuntime.NODEJS.id();
            }
            if (arg.equals("-m")
                    && i + 1 < commandLine.size()
                    && commandLine.get(i + 1).equals("flowfn.worker")) {
                return WorkerRuntime.PYTHON.id();
            }
        }
        return null;
    }

    /**
     * The pids of this JVM's worker processes started at or after {@code since} that run a
     * function, by runtime. A pyenv-style shim execs its interpreter, so the pid is the
     * interpreter's. The pool's spare of each runtime waiting for a version (the newest process
     * whose {@code FLOWFN_WORKER_ID} starts with {@code spare-}: a new spare starts each time one
     * is taken) has loaded nothing and is left out.
     */
    public static Map<String, List<Long>> workers(Instant since) {
        Map<String, List<ProcessHandle>> byRuntime = new TreeMap<>();
        ProcessHandle.current()
                .children()
                .filter(p -> p.info().startInstant().map(t -> !t.isBefore(since)).orElse(false))
                .sorted(Comparator.comparing(p -> p.info().startInstant().orElse(Instant.MIN)))
                .forEach(
                        p -> {
                            String runtime = runtimeOf(commandLine(p.pid()));
                            if (runtime != null) {
                                byRuntime.computeIfAbsent(runtime, r -> new ArrayList<>()).add(p);
                            }
                        });
        Map<String, List<Long>> pids = new TreeMap<>();
        byRuntime.forEach(
                (runtime, processes) -> {
                    for (int i = processes.size() - 1; i >= 0; i--) {
                        if (isSpare(processes.get(i).pid())) {
                            processes.remove(i); // the newest spare: not taken yet
                            break;
                        }
                    }
                    pids.put(runtime, processes.stream().map(ProcessHandle::pid).toList());
                });
        return pids;
    }

    /** Whether the pool started the process as a spare ({@code FLOWFN_WORKER_ID=spare-...}). */
    static boolean isSpare(long pid) {
        try {
            String env =
                    new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                            StandardCharsets.UTF_8);
            return Arrays.asList(env.split("\0")).stream()
                    .anyMatch(v -> v.startsWith("FLOWFN_WORKER_ID=spare-"));
        } catch (IOException gone) {
            return false;
        }
    }

    /** A process's arguments from {@code /proc/<pid>/cmdline}; empty if it is gone. */
    static List<String> commandLine(long pid) {
        try {
            String raw =
                    new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                            StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /**
     * Starts the bare runtime of {@code runtime}: a worker's command line for a function of {@code
     * memoryMb} (the SDK home found as the job finds it) with the worker's program replaced by one
     * that sleeps. The caller destroys it.
     */
    public static Process startBare(WorkerRuntime runtime, int memoryMb) throws IOException {
        Path home = Path.of(JobOptions.workerPoolSettings(new Configuration()).sdkHome());
        List<String> worker =
                WorkerConfig.builder(runtime, home).setMemoryMb(memoryMb).build().command();
        List<String> command = new ArrayList<>();
        switch (runtime) {
            case JAVA -> {
                command.addAll(worker.subList(0, worker.indexOf("-cp")));
                command.add("-cp");
                command.add(ownClassPath());
                command.add(Idle.class.getName());
            }
            case NODEJS -> {
                command.addAll(worker.subList(0, worker.size() - 1)); // the script is last
                command.add("-e");
                command.add("setInterval(() => {}, 1 << 30);");
            }
            case PYTHON -> {
                command.add(worker.get(0));
                command.add("-c");
                command.add("import time\nwhile True:\n    time.sleep(3600)");
            }
        }
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String ownClassPath() {
        try {
            return Path.of(
                            WorkerProcesses.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bare Java runtime's program: sleeps until it is destroyed. A class of its own, which
     * refers to nothing off the JDK.
     */
    public static final class Idle {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }

        private Idle() {}
    }

    private WorkerProcesses() {}
}
