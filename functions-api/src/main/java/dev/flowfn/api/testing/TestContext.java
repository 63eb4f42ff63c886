package dev.flowfn.api.testing;

import dev.flowfn.api.Context;
import dev.flowfn.api.FunctionLogger;
import dev.flowfn.api.OutgoingEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Context} for unit tests of handlers: it records what the handler logs and emits.
 *
 * <pre>{@code
 * TestContext ctx = TestContext.builder().env("THUMB_SIZE", "200").build();
 * Result r = new Thumbnail().handle(event, ctx);
 * assertThat(ctx.logLines()).contains("INFO resized cat.jpg");
 * }</pre>
 */
public final class TestContext implements Context {

    /** One line a handler logged. */
    public record LogLine(FunctionLogger.Level level, String message) {
        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    /** One progress report: the fraction (NaN when unknown) and the message. */
    public record ProgressReport(double fraction, String message) {}

    private final String functionName;
    private final long functionVersion;
    private final String invocationId;
    private final int attempt;
    private final int memoryMb;
    private final Instant deadline;
    private final Map<String, String> env;
    private final List<LogLine> logs = Collections.synchronizedList(new ArrayList<>());
    private final List<OutgoingEvent> emitted = Collections.synchronizedList(new ArrayList<>());
    private final List<ProgressReport> progress = Collections.synchronizedList(new ArrayList<>());
    private final FunctionLogger logger = (level, message) -> logs.add(new LogLine(level, message));

    private TestContext(Builder b) {
        this.functionName = b.functionName;
        this.functionVersion = b.functionVersion;
        this.invocationId = b.invocationId;
        this.attempt = b.attempt;
        this.memoryMb = b.memoryMb;
        this.deadline = Instant.now().plus(b.timeout);
        this.env = Map.copyOf(b.env);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A context with defaults: function {@code test}, version 1, 256 MB, 30 s. */
    public static TestContext create() {
        return builder().build();
    }

    @Override
    public String functionName() {
        return functionName;
    }

    @Override
    public long functionVersion() {
        return functionVersion;
    }

    @Override
    public String invocationId() {
        return invocationId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public int memoryMb() {
        return memoryMb;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public FunctionLogger logger() {
        return logger;
    }

    @Override
    public void emit(OutgoingEvent event) {
        emitted.add(Objects.requireNonNull(event, "event"));
    }

    /** Recorded, and also logged as the platform does ({@code [progress 40%] message}). */
    @Override
    public void progress(double fraction, String message) {
        logger.info(dev.flowfn.api.Progress.line(fraction, message));
        progress.add(new ProgressReport(fraction, message));
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    /** What the handler logged, in order. */
    public List<LogLine> logs() {
        return List.copyOf(logs);
    }

    /** What the handler logged, as "LEVEL message" strings. */
    public List<String> logLines() {
        return logs().stream().map(LogLine::toString).toList();
    }

    /** The progress the handler reported, in order. */
    public List<ProgressReport> progressReports() {
        return List.copyOf(progress);
    }

    /** What the handler emitted, in order. */
    public List<OutgoingEvent> emitted() {
        return List.copyOf(emitted);
    }

    /** Builds a {@link TestContext}. */
    public static final class Builder {
        private String functionName = "test";
        private long functionVersion = 1;
        private String invocationId = "test-invocation";
        private int attempt = 1;
        private int memoryMb = 256;
        private Duration timeout = Duration.ofSeconds(30);
        private final Map<String, String> env = new HashMap<>();

        private Builder() {}

        public Builder functionName(String functionName) {
            this.functionName = Objects.requireNonNull(functionName, "functionName");
            return this;
        }

        public Builder functionVersion(long functionVersion) {
            this.functionVersion = functionVersion;
            return this;
        }

        public Builder invocationId(String invocationId) {
            this.invocationId = Objects.requireNonNull(invocationId, "invocationId");
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TestContext build() {
            return new TestContext(this);
        }
    }
}
