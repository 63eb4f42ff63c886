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
