package dev.flowfn.job.runtime;

/**
 * How a worker's session ended.
 *
 * @param exitCode the process's exit status (137 when killed on Linux; -1 if unknown)
 * @param reason what the job saw: STOP, a kill and its reason, end of the socket, a protocol error
 * @param requested whether the job asked for it ({@code stop} or {@code kill})
 * @param stderrTail the last lines the worker wrote to stderr
 */
public record WorkerExit(int exitCode, String reason, boolean requested, String stderrTail) {}
