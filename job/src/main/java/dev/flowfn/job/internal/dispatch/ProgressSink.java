package dev.flowfn.job.internal.dispatch;

import dev.flowfn.schemas.LogRecord;

/**
 * Where progress reports go while a handler still runs: straight to {@code flowfn.logs}, outside
 * the exactly-once transaction (a report is telemetry, at least once; the attempt's own log lines
 * still go out with its result). Called from handler threads; must not block for long.
 */
@FunctionalInterface
public interface ProgressSink {

    /** Drops every report (for tests and benchmarks without Kafka). */
    ProgressSink NONE = record -> {};

    void publish(LogRecord record);
}
