package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Handler;

/** Turns what a handler threw into one line its owner can act on. */
final class Failures {

    /** e.g. "IllegalStateException: boom (at com.acme.Fn.handle(Fn.java:12))". */
    static String describe(Throwable error) {
        Throwable e = error;
        StringBuilder b = new StringBuilder(e.getClass().getName());
        if (e.getMessage() != null) {
            b.append(": ").append(e.getMessage());
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (!isPlatformFrame(frame)) {
                b.append(" (at ").append(frame).append(')');
                break;
            }
        }
        if (e.getCause() != null && e.getCause() != e) {
            b.append("; caused by ").append(e.getCause().getClass().getName());
            if (e.getCause().getMessage() != null) {
                b.append(": ").append(e.getCause().getMessage());
            }
        }
        return b.toString();
    }

    /**
     * The reason of a {@code PLATFORM_ERROR}: says that the platform failed, not the function, and
     * what to do.
     */
    static String platform(Throwable error) {
        return platformReason(String.valueOf(error));
    }

    /** {@link #platform} for a fault described in words. */
    static String platformReason(String what) {
        return "internal platform error, not caused by the function ("
                + what
                + "); the invocation is retried per the function's retry policy; if it keeps"
                + " failing, the job's log has the stack trace: report it to the platform's"
                + " operators";
    }

    private static boolean isPlatformFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("java.")
                || c.startsWith("jdk.")
                || c.startsWith("sun.")
                || c.startsWith(Handler.class.getPackageName())
                || c.startsWith("dev.flowfn.job.");
    }

    private Failures() {}
}
