package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Context;
import dev.flowfn.api.FunctionLogger;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Progress;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.LogLevel;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.ProgressReport;
import dev.flowfn.schemas.contract.EventIds;
import dev.flowfn.schemas.contract.EventSources;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The context of one attempt. The handler's thread logs and emits into it; once the attempt ends
 * (returned, threw or timed out) it is sealed and later calls from a runaway handler thread are
 * ignored. Thread-safe.
 */
final class InvocationContext implements Context {

    private final FunctionSpec spec;
    private final String invocationId;
    private final int attempt;

    /** Microseconds since the epoch: the {@link Instant} is made only when the handler asks. */
    private final long deadlineMicros;

    private final int maxLogLines;

    /** Made on the first line or event: most attempts log and emit nothing. */
    private List<LogRecord> logs = List.of();

    private List<OutgoingEvent> emitted = List.of();
    private final Map<String, String> env;
    private final ProgressSink progressSink;
    private boolean sealed;

    /**
     * The thread that sealed the attempt with {@link #seal}. Once sealed nothing changes what the
     * attempt left (every change checks {@code sealed} under the lock first), so that thread reads
     * it without the lock: one lock per attempt instead of one per question. Read without the lock
     * by any thread: only the thread that wrote itself there can find itself there.
     */
    private Thread sealedBy;

    /**
     * Whether the pending progress report was taken (published or dropped) at the attempt's end.
     */
    private boolean progressClaimed;

    /** The pending report {@link #seal} took, for its thread's {@link #sealLogs} to publish. */
    private LogRecord reportAtSeal;

    private int droppedLines;
    private long keptBytes;
    private long lastProgressNanos;
    private LogRecord pendingProgress;

    /** Progress reports closer together than this are coalesced: the newest is published. */
    static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    /** A line longer than this is cut, with a marker. */
    static final int MAX_LINE_CHARS = 8 * 1024;

    /** Beyond this many characters per attempt, lines are dropped (counted in the final marker). */
    static final long MAX_CHARS_PER_ATTEMPT = 256 * 1024;

    InvocationContext(
            FunctionSpec spec,
            String invocationId,
            int attempt,
            Instant deadline,
            int maxLogLines) {
        this(spec, invocationId, attempt, deadline, maxLogLines, Map.of(), ProgressSink.NONE);
    }

    /** {@code platformEnv} first, then the function's own environment (which wins on a clash). */
    InvocationContext(
            FunctionSpec spec,
            String invocationId,
            int attempt,
            Instant deadline,
            int maxLogLines,
            Map<String, String> platformEnv,
            ProgressSink progressSink) {
        this(
                spec,
                invocationId,
                attempt,
                Outcomes.epochMicros(deadline),
                maxLogLines,
                progressSink,
                environment(platformEnv, spec));
    }

    /**
     * With the environment already merged ({@link #environment}), once per function version, and
     * the deadline in microseconds since the epoch.
     */
    InvocationContext(
            FunctionSpec spec,
            String invocationId,
            int attempt,
            long deadlineMicros,
            int maxLogLines,
            ProgressSink progressSink,
            Map<String, String> env) {
        this.progressSink = progressSink;
        this.spec = spec;
        this.invocationId = invocationId;
        this.attempt = attempt;
        this.deadlineMicros = deadlineMicros;
        this.maxLogLines = maxLogLines;
        this.env = env;
    }

    /** {@code platformEnv} first, then the function's own environment (which wins on a clash). */
    static Map<String, String> environment(Map<String, String> platformEnv, FunctionSpec spec) {
        if (platformEnv.isEmpty()) {
            return Map.copyOf(spec.getEnv());
        }
        Map<String, String> merged = new java.util.HashMap<>(platformEnv);
        merged.putAll(spec.getEnv());
        return Map.copyOf(merged);
    }

    FunctionSpec spec() {
        return spec;
    }

    @Override
    public String functionName() {
        return spec.getName();
    }

    @Override
    public long functionVersion() {
        return spec.getVersion();
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
        return spec.getMemoryMb();
    }

    @Override
    public Instant deadline() {
        return Instant.ofEpochSecond(0, deadlineMicros * 1_000);
    }

    /** {@link #deadline()} in milliseconds since the epoch, without making the Instant. */
    long deadlineEpochMillis() {
        return Math.floorDiv(deadlineMicros, 1_000);
    }

    @Override
    public FunctionLogger logger() {
        return this::log;
    }

    /**
     * Published at once through the progress sink (at most one report a second; the newest of a
     * burst goes out at the next report or when the attempt ends), not with the attempt's logs.
     */
    @Override
    public void progress(double fraction, String message) {
        LogRecord report =
                logRecord(LogLevel.INFO, cut(Progress.line(fraction, message)))
                        .setProgress(
                                ProgressReport.newBuilder()
                                        .setFraction(Double.isNaN(fraction) ? null : fraction)
                                        .setMessage(cut(message))
                                        .build())
                        .build();
        synchronized (this) {
            if (sealed) {
                return;
            }
            long now = System.nanoTime();
            if (lastProgressNanos != 0 && now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
                pendingProgress = report;
                return;
            }
            lastProgressNanos = now;
            pendingProgress = null;
        }
        progressSink.publish(report);
    }

    private static String cut(String text) {
        if (text.length() <= MAX_LINE_CHARS) {
            return text;
        }
        return text.substring(0, MAX_LINE_CHARS)
                + " [flowfn: line cut at "
                + MAX_LINE_CHARS
                + " of "
                + text.length()
                + " characters]";
    }

    private synchronized void log(FunctionLogger.Level level, String message) {
        if (sealed) {
            return;
        }
        String text = String.valueOf(message);
        if (text.length() > MAX_LINE_CHARS) {
            text =
                    text.substring(0, MAX_LINE_CHARS)
                            + " [flowfn: line cut at "
                            + MAX_LINE_CHARS
                            + " of "
                            + text.length()
                            + " characters]";
        }
        if (logs.size() >= maxLogLines || keptBytes + text.length() > MAX_CHARS_PER_ATTEMPT) {
            droppedLines++;
            return;
        }
        keptBytes += text.length();
        if (logs.isEmpty()) {
            logs = new ArrayList<>();
        }
        logs.add(logRecord(LogLevel.valueOf(level.name()), text).build());
    }

    @Override
    public synchronized void emit(OutgoingEvent event) {
        if (!sealed) {
            java.util.Objects.requireNonNull(event, "event");
            if (emitted.isEmpty()) {
                emitted = new ArrayList<>();
            }
            emitted.add(event);
        }
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    /**
     * The handler returned or threw: later lines, events and reports of its threads are ignored,
     * and this thread's calls of {@link #sealLogs}, {@link #emittedTopics} and {@link
     * #emittedRecords} take no lock.
     */
    synchronized void seal() {
        sealed = true;
        sealedBy = Thread.currentThread();
        reportAtSeal = claimProgress();
    }

    private boolean sealedHere() {
        return sealedBy == Thread.currentThread();
    }

    /** Ends the attempt: returns its log lines (with a truncation marker if any were dropped). */
    List<LogRecord> sealLogs() {
        LogRecord lastReport;
        List<LogRecord> lines;
        if (sealedHere()) {
            lastReport = reportAtSeal;
            reportAtSeal = null;
            lines = sealedLines();
        } else {
            synchronized (this) {
                lastReport = claimProgress();
                lines = sealedLines();
            }
        }
        if (lastReport != null) {
            progressSink.publish(lastReport);
        }
        return lines;
    }

    /**
     * The report still pending, to publish, unless {@link #emittedRecords} ended the attempt first
     * (a failed attempt's); then none. Under the lock, or sealed here.
     */
    private LogRecord claimProgress() {
        LogRecord report = progressClaimed ? null : pendingProgress;
        progressClaimed = true;
        pendingProgress = null;
        return report;
    }

    private List<LogRecord> sealedLines() {
        sealed = true;
        if (logs.isEmpty() && droppedLines == 0) {
            return List.of(); // most attempts log nothing: no copy of an empty list
        }
        List<LogRecord> out = new ArrayList<>(logs);
        if (droppedLines > 0) {
            out.add(
                    logRecord(
                                    LogLevel.WARN,
                                    "[flowfn] "
                                            + droppedLines
                                            + " more log lines dropped: at most "
                                            + maxLogLines
                                            + " lines and "
                                            + MAX_CHARS_PER_ATTEMPT / 1024
                                            + " K characters are kept per attempt")
                            .build());
        }
        return out;
    }

    /** The users' own topics the attempt emitted records to, so far. */
    Set<String> emittedTopics() {
        if (sealedHere()) {
            return topicsOf(emitted);
        }
        synchronized (this) {
            return topicsOf(emitted);
        }
    }

    private static Set<String> topicsOf(List<OutgoingEvent> emitted) {
        if (emitted.isEmpty()) {
            return Set.of(); // most attempts emit nothing: no set to make and walk
        }
        Set<String> topics = new LinkedHashSet<>();
        for (OutgoingEvent e : emitted) {
            e.topic().ifPresent(topics::add);
        }
        return topics;
    }

    /**
     * What the attempt emitted, as output records: events for the event topic (with ids derived
     * from the invocation) and plain records for the users' own topics.
     */
    List<OutputRecord> emittedRecords() {
        if (sealedHere()) {
            return recordsOf(emitted);
        }
        synchronized (this) {
            sealed = true;
            progressClaimed = true;
            return recordsOf(emitted);
        }
    }

    private List<OutputRecord> recordsOf(List<OutgoingEvent> emitted) {
        if (emitted.isEmpty()) {
            return List.of();
        }
        List<OutputRecord> out = new ArrayList<>(emitted.size());
        for (int i = 0; i < emitted.size(); i++) {
            OutgoingEvent e = emitted.get(i);
            if (e.topic().isPresent()) {
                out.add(OutputRecords.record(e.topic().get(), e.subject().orElse(null), e.data()));
                continue;
            }
            out.add(
                    OutputRecords.event(
                            Event.newBuilder()
                                    .setId(EventIds.emitted(invocationId, i))
                                    .setSource(EventSources.function(spec.getName()))
                                    .setType(e.type())
                                    .setSubject(e.subject().orElse(null))
                                    .setTime(Instant.now())
                                    .setDatacontenttype(e.contentType().orElse(null))
                                    .setData(ByteBuffer.wrap(e.data()))
                                    .setExtensions(Map.of())
                                    .build()));
        }
        return out;
    }

    /** A log line; a progress report is the one that also sets {@code progress}. */
    private LogRecord.Builder logRecord(LogLevel level, String message) {
        return LogRecord.newBuilder()
                .setFunction(spec.getName())
                .setVersion(spec.getVersion())
                .setInvocationId(invocationId)
                .setAttempt(attempt)
                .setLevel(level)
                .setMessage(message)
                .setTime(Instant.now());
    }
}
