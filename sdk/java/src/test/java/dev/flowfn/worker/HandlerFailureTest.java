package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HandlerFailureTest {

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, className + ".java", 10);
    }

    /** As a handler's exception looks when it reaches the worker: user frames on the worker's. */
    private static IllegalStateException thrownByAHandler() {
        IllegalStateException e =
                new IllegalStateException("bad input", new IOException("disk gone"));
        e.setStackTrace(
                new StackTraceElement[] {
                    frame("com.acme.Parser", "parse"),
                    frame("com.acme.Fn", "handle"),
                    frame("dev.flowfn.worker.Invocation", "runHandler"),
                    frame("dev.flowfn.worker.Invocation", "run"),
                    frame("java.util.concurrent.ThreadPoolExecutor", "runWorker"),
                    frame("java.util.concurrent.ThreadPoolExecutor$Worker", "run"),
                    frame("java.lang.Thread", "run")
                });
        e.getCause()
                .setStackTrace(
                        new StackTraceElement[] {
                            frame("java.io.FileInputStream", "read"),
                            frame("com.acme.Fn", "handle"),
                            frame("dev.flowfn.worker.Invocation", "runHandler"),
                            frame("java.lang.Thread", "run")
                        });
        return e;
    }

    @Test
    void theMessageNamesTheExceptionAndItsCause() {
        assertThat(HandlerFailure.message(thrownByAHandler()))
                .isEqualTo(
                        "java.lang.IllegalStateException: bad input; caused by java.io.IOException:"
                                + " disk gone");
        assertThat(HandlerFailure.message(new NullPointerException()))
                .isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void theStackStopsWhereTheWorkerCalledTheHandler() {
        assertThat(HandlerFailure.stack(thrownByAHandler()))
                .isEqualTo(
                        "java.lang.IllegalStateException: bad input\n"
                                + "\tat com.acme.Parser.parse(com.acme.Parser.java:10)\n"
                                + "\tat com.acme.Fn.handle(com.acme.Fn.java:10)\n"
                                + "Caused by: java.io.IOException: disk gone\n"
                                + "\tat java.io.FileInputStream.read(java.io.FileInputStream.java:10)\n"
                                + "\tat com.acme.Fn.handle(com.acme.Fn.java:10)");
    }

    @Test
    void keepsAWorkerFrameOnTopAndFramesOfOtherThreads() {
        IllegalStateException e = new IllegalStateException("invocation has finished");
        e.setStackTrace(
                new StackTraceElement[] {
                    frame("dev.flowfn.worker.Invocation", "emit"),
                    frame("com.acme.Fn", "lambda$handle$0"),
                    frame("java.lang.Thread", "run")
                });
        assertThat(HandlerFailure.stack(e))
                .contains(
                        "at dev.flowfn.worker.Invocation.emit",
                        "at com.acme.Fn.lambda$handle$0",
                        "at java.lang.Thread.run");
    }

    @Test
    void longStacksAreCutAndCyclesEnd() {
        RuntimeException e = new RuntimeException("deep");
        StackTraceElement[] frames = new StackTraceElement[HandlerFailure.MAX_FRAMES + 10];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame("com.acme.Deep", "f" + i);
        }
        e.setStackTrace(frames);
        RuntimeException other = new RuntimeException("other", e);
        e.initCause(other); // a cycle
        String stack = HandlerFailure.stack(e);
        assertThat(stack)
                .contains("\t... 10 more")
                .contains("Caused by: java.lang.RuntimeException: other");
        assertThat(stack.lines().filter(l -> l.startsWith("Caused by")).count()).isEqualTo(1);
    }

    @Test
    void survivesAnExceptionWhoseToStringThrows() {
        RuntimeException broken =
                new RuntimeException() {
                    @Override
                    public String toString() {
                        throw new IllegalStateException("no");
                    }
                };
        assertThat(HandlerFailure.message(broken))
                .startsWith("dev.flowfn.worker.HandlerFailureTest$")
                .endsWith(" (its toString() threw java.lang.IllegalStateException)");
        assertThat(HandlerFailure.stack(broken)).contains("(its toString() threw");
    }

    @Test
    void showsSuppressedExceptions() {
        IllegalStateException e = thrownByAHandler();
        e.addSuppressed(new IOException("close failed"));
        assertThat(HandlerFailure.stack(e))
                .contains("\tSuppressed: java.io.IOException: close failed");
    }
}
