package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.code.CodeDirs;
import dev.flowfn.job.internal.code.CodeFetcher;
import dev.flowfn.job.internal.code.CodeLoadException;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.job.runtime.WorkerRuntime;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where each runtime of a function spec runs, and what its workers are given: the version as the
 * pool runs it, the folder its code is loaded from, and each attempt's {@code INVOKE}. Stateless.
 */
final class Runtimes {

    /** Where a function's attempts run. */
    enum Placement {
        /** In this JVM, in the version's own class loader ({@code java-embedded}). */
        EMBEDDED(null),
        /** In JVM worker processes of its own ({@code java}). */
        JAVA(WorkerRuntime.JAVA),
        NODEJS(WorkerRuntime.NODEJS),
        PYTHON(WorkerRuntime.PYTHON),
        /** At a URL, served by someone else ({@code http}): the spec's code URI. */
        HTTP(null),
        /** A runtime this job cannot run. */
        UNSUPPORTED(null);

        private final WorkerRuntime worker;

        Placement(WorkerRuntime worker) {
            this.worker = worker;
        }

        /** The worker runtime; null when the attempts do not run in workers. */
        WorkerRuntime worker() {
            return worker;
        }
    }

    static Placement placement(String runtime) {
        return switch (runtime) {
            case "java" -> Placement.JAVA;
            case "java-embedded" -> Placement.EMBEDDED;
            case "nodejs" -> Placement.NODEJS;
            case "python" -> Placement.PYTHON;
            case "http" -> Placement.HTTP;
            default -> Placement.UNSUPPORTED;
        };
    }

    /** Why a version cannot run here. */
    static String unsupported(String runtime, WorkerPool workers) {
        if (workers == null && placement(runtime).worker() != null) {
            return "this job runs no worker processes, so it cannot run runtime '"
                    + runtime
                    + "'; deploy the function with --runtime java-embedded, or run the job with"
                    + " the worker pool";
        }
        return "runtime '"
                + runtime
                + "' is not one this job runs (java, java-embedded, nodejs, python, http); deploy the"
                + " function again with one of them";
    }

    static WorkerPool.Version onWorkers(FunctionSpec spec, Map<String, String> env) {
        return new WorkerPool.Version(
                spec.getName(),
                Math.toIntExact(spec.getVersion()),
                placement(spec.getRuntime()).worker(),
                spec.getHandler(),
                spec.getMemoryMb(),
                spec.getMaxConcurrency(),
                env);
    }

    /**
     * A pool thread: the version's verified code, as the folder its worker loads: the jar (Java) or
     * the zip unpacked (Node.js, Python).
     */
    static Path codeDir(CodeFetcher fetcher, FunctionSpec spec, WorkerRuntime runtime)
            throws CodeLoadException {
        Path archive = fetcher.fetch(spec.getCodeUri(), spec.getCodeSha256());
        return runtime == WorkerRuntime.JAVA
                ? CodeDirs.withJar(archive)
                : CodeDirs.unpacked(archive);
    }

    /** The {@code INVOKE} of an attempt that starts now (its context made by {@code begin}). */
    static Invoke invoke(Invocation invocation, int attempt, InvocationContext ctx) {
        Event e = invocation.event;
        return new Invoke(
                invocation.invocationId,
                invocation.spec.getName(),
                Math.toIntExact(invocation.spec.getVersion()),
                attempt,
                ctx.deadlineEpochMillis(),
                invocation.spec.getMemoryMb(),
                new InvokeEvent(
                        e.getId(),
                        e.getSource(),
                        e.getType(),
                        e.getSubject(),
                        e.getTime().toEpochMilli(),
                        e.getDatacontenttype(),
                        e.getSourceIdentity(),
                        e.getExtensions()),
                bytes(e.getData()));
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data.hasArray()
                && data.arrayOffset() == 0
                && data.position() == 0
                && data.remaining() == data.array().length) {
            return data.array();
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    private Runtimes() {}
}
