package dev.flowfn.job.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start one worker process: its runtime, the SDK home it comes from, and the limits of its
 * start and stop. Immutable and validated when built; any thread.
 */
public final class WorkerConfig {

    /** The system property that names the SDK home, as for deploy's engines. */
    public static final String HOME_PROPERTY = "flowfn.home";

    private final WorkerRuntime runtime;
    private final Path sdkHome;
    private final String workerId;
    private final int concurrency;
    private final Duration helloTimeout;
    private final Duration stopGrace;
    private final String executable;
    private final Path logFile;
    private final int memoryMb;
    private final int protocol;

    private WorkerConfig(Builder b) {
        this.runtime = b.runtime;
        this.sdkHome = b.sdkHome.toAbsolutePath().normalize();
        this.workerId = b.workerId;
        this.concurrency = b.concurrency;
        this.helloTimeout = b.helloTimeout;
        this.stopGrace = b.stopGrace;
        this.executable = b.executable == null ? runtime.defaultExecutable() : b.executable;
        this.logFile = b.logFile;
        this.memoryMb = b.memoryMb;
        this.protocol = b.protocol;
    }

    /**
     * The highest runtime protocol the job speaks to the worker ({@link
     * WorkerProcess#PROTOCOL_VERSION} unless set lower): 1 sends a worker of protocol 2 the JSON
     * INVOKE rather than INVOKE_COMPACT.
     */
    public int protocol() {
        return protocol;
    }

    /** A builder for a worker of {@code runtime} from the SDK at {@code sdkHome}. */
    public static Builder builder(WorkerRuntime runtime, Path sdkHome) {
        return new Builder(runtime, sdkHome);
    }

    /**
     * The SDK home named by the system property {@value #HOME_PROPERTY}.
     *
     * @throws IllegalStateException naming the property when it is not set
     */
    public static Path sdkHomeFromSystemProperty() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException(
                    "set -D" + HOME_PROPERTY + "=DIR to the Flowfn home to start workers");
        }
        return Path.of(home);
    }

    public WorkerRuntime runtime() {
        return runtime;
    }

    public Path sdkHome() {
        return sdkHome;
    }

    /** {@code FLOWFN_WORKER_ID}. */
    public String workerId() {
        return workerId;
    }

    /** {@code FLOWFN_WORKER_CONCURRENCY}; the worker's HELLO has the last word. */
    public int concurrency() {
        return concurrency;
    }

    /** How long from the process start to its HELLO before the start fails. */
    public Duration helloTimeout() {
        return helloTimeout;
    }

    /** How long a worker has to exit after STOP before it is killed. */
    public Duration stopGrace() {
        return stopGrace;
    }

    /** Where the worker's stderr (and stdout) go; empty for a file in its temp dir. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** The memory limit the worker is started with, in MB; 0 for none. */
    public int memoryMb() {
        return memoryMb;
    }

    /** The command line: the executable, then the runtime's arguments. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(runtime.arguments(sdkHome, memoryMb));
        return command;
    }

    /** What the worker needs in its environment besides the protocol's variables. */
    java.util.Map<String, String> environment() {
        return runtime.environment(sdkHome, memoryMb);
    }

    @Override
    public String toString() {
        return runtime.id() + " worker " + workerId + " (" + String.join(" ", command()) + ")";
    }

    /** Builds a {@link WorkerConfig}; {@link #build()} copies and validates. */
    public static final class Builder {
        private final WorkerRuntime runtime;
        private final Path sdkHome;
        private String workerId = "worker-1";
        private int concurrency = 8;
        private Duration helloTimeout = Duration.ofSeconds(10);
        private Duration stopGrace = Duration.ofSeconds(2);
        private String executable;
        private Path logFile;
        private int memoryMb;
        private int protocol = WorkerProcess.PROTOCOL_VERSION;

        private Builder(WorkerRuntime runtime, Path sdkHome) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            this.sdkHome = Objects.requireNonNull(sdkHome, "sdkHome");
        }

        public Builder setWorkerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId, "workerId");
            return this;
        }

        public Builder setConcurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder setHelloTimeout(Duration helloTimeout) {
            this.helloTimeout = Objects.requireNonNull(helloTimeout, "helloTimeout");
            return this;
        }

        public Builder setStopGrace(Duration stopGrace) {
            this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
            return this;
        }

        /** The program to run instead of {@code node} / {@code python3} on the PATH. */
        public Builder setExecutable(String executable) {
            this.executable = Objects.requireNonNull(executable, "executable");
            return this;
        }

        /** The function's memory limit, enforced the runtime's way; 0 (the default) for none. */
        public Builder setMemoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        /**
         * The highest protocol to speak to the worker: {@link
         * WorkerProcess#OLDEST_PROTOCOL_VERSION} to {@link WorkerProcess#PROTOCOL_VERSION} (the
         * default). With 1 a worker of protocol 2 gets JSON INVOKEs, readable on the wire and what
         * the bench compares INVOKE_COMPACT against.
         */
        public Builder setProtocol(int protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder setLogFile(Path logFile) {
            this.logFile = Objects.requireNonNull(logFile, "logFile");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the bad value
         */
        public WorkerConfig build() {
            if (concurrency < 1) {
                throw new IllegalArgumentException(
                        "worker concurrency " + concurrency + " must be at least 1");
            }
            if (protocol < WorkerProcess.OLDEST_PROTOCOL_VERSION
                    || protocol > WorkerProcess.PROTOCOL_VERSION) {
                throw new IllegalArgumentException(
                        "worker protocol "
                                + protocol
                                + " must be "
                                + WorkerProcess.OLDEST_PROTOCOL_VERSION
                                + " to "
                                + WorkerProcess.PROTOCOL_VERSION);
            }
            if (memoryMb < 0) {
                throw new IllegalArgumentException(
                        "worker memory " + memoryMb + " MB must not be negative");
            }
            if (helloTimeout.isNegative() || helloTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "hello timeout " + helloTimeout + " must be positive");
            }
            if (stopGrace.isNegative()) {
                throw new IllegalArgumentException(
                        "stop grace " + stopGrace + " must not be negative");
            }
            if (!workerId.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "worker id '" + workerId + "' must match [A-Za-z0-9._-]{1,64}");
            }
            runtime.checkSdkHome(sdkHome);
            return new WorkerConfig(this);
        }
    }
}
