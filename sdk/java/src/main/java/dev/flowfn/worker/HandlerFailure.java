package dev.flowfn.worker;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What a handler threw, as a {@code RESULT ok=false kind=HANDLER_ERROR} carries it: a one-line
 * message like the in-TaskManager runtime's ({@code java.lang.IllegalStateException: boom; caused
 * by java.io.IOException: gone}) and the stack trace without the worker's own frames below the
 * handler. Stateless.
 */
final class HandlerFailure {

    /** Frames of one throwable beyond this many are summed up in a "... n more" line. */
    static final int MAX_FRAMES = 64;

    private static final int MAX_CAUSES = 16;

    /** The frame that calls the handler: {@link Invocation}'s {@code runHandler}. */
    static final String CALLER_CLASS = Invocation.class.getName();

    static final String CALLER_METHOD = "runHandler";

    private HandlerFailure() {}

    static String message(Throwable e) {
        StringBuilder b = new StringBuilder(describe(e));
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            b.append("; caused by ").append(describe(cause));
        }
        return b.toString();
    }

    /** {@code e.toString()}, or its class name when that throws (user code may override it). */
    private static String describe(Throwable e) {
        try {
            return e.toString();
        } catch (RuntimeException broken) {
            return e.getClass().getName()
                    + " (its toString() threw "
                    + broken.getClass().getName()
                    + ")";
        }
    }

    /** Like {@link Throwable#printStackTrace()}, cut where the worker called the handler. */
    static String stack(Throwable e) {
        StringBuilder b = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        append(b, e, "", "");
        seen.add(e);
        for (Throwable s : e.getSuppressed()) {
            append(b, s, "Suppressed: ", "\t");
        }
        Throwable cause = e.getCause();
        for (int i = 0; cause != null && i < MAX_CAUSES && seen.add(cause); i++) {
            append(b, cause, "Caused by: ", "");
            cause = cause.getCause();
        }
        return b.toString().stripTrailing();
    }

    private static void append(StringBuilder b, Throwable e, String label, String indent) {
        b.append(indent).append(label).append(describe(e)).append('\n');
        StackTraceElement[] frames = e.getStackTrace();
        // The worker's call of the handler and what is below it (the thread pool) are cut; frames
        // of another thread (a cause from the handler's own executor) have no such call.
        int end = frames.length;
        for (int i = frames.length - 1; i >= 0; i--) {
            if (frames[i].getClassName().equals(CALLER_CLASS)
                    && frames[i].getMethodName().equals(CALLER_METHOD)) {
                end = i;
                break;
            }
        }
        int shown = Math.min(end, MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            b.append(indent).append("\tat ").append(frames[i]).append('\n');
        }
        if (end > shown) {
            b.append(indent).append("\t... ").append(end - shown).append(" more\n");
        }
    }
}
