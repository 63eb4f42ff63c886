package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.FunctionLogger;
import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One invocation run on this thread, its frames read back from a pipe. */
class InvocationTest {

    private Pipe pipe;
    private FrameWriter out;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void pipe() throws IOException {
        pipe = Pipe.open();
        out = new FrameWriter(pipe.sink()).start();
    }

    private List<Frame> run(Handler handler, String data) throws Exception {
        InvokeRequest request =
                InvokeRequest.of(
                        FakeJob.received(
                                FakeJob.invoke(
                                        "inv-1", 3, data.getBytes(StandardCharsets.UTF_8), 2)));
        LoadedFunction fn =
                new LoadedFunction(
                        "fn", 3, handler, getClass().getClassLoader(), Map.of("K", "v"), 512);
        new Invocation(request, fn, out, new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run();
        List<Frame> frames = new ArrayList<>();
        FrameReader in = new FrameReader(pipe.source());
        do {
            frames.add(in.next());
        } while (frames.get(frames.size() - 1).type() != MessageType.RESULT);
        return frames;
    }

    @Test
    void theContextTellsTheInvocationAndTheFunction() throws Exception {
        AtomicReference<Context> seen = new AtomicReference<>();
        List<Frame> frames =
                run(
                        (e, c) -> {
                            seen.set(c);
                            return Result.empty();
                        },
                        "");
        Context c = seen.get();
        assertThat(c.functionName()).isEqualTo("fn");
        assertThat(c.functionVersion()).isEqualTo(3);
        assertThat(c.invocationId()).isEqualTo("inv-1");
        assertThat(c.attempt()).isEqualTo(2);
        assertThat(c.memoryMb()).isEqualTo(256); // the INVOKE's, over the LOAD's 512
        assertThat(c.deadline()).isAfter(Instant.now());
        assertThat(c.env()).isEqualTo(Map.of("K", "v"));
        assertThatThrownBy(() -> c.env().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(frames.get(0).header())
                .containsEntry("ok", true)
                .containsEntry("contentType", null)
                .containsEntry("status", 200L)
                .containsEntry("headers", Map.of());
    }

    @Test
    void theEventIsTheInvokesAndItsDataCannotBeChangedByTheHandler() throws Exception {
        AtomicReference<Event> seen = new AtomicReference<>();
        run(
                (e, c) -> {
                    e.data()[0] = 'X';
                    seen.set(e);
                    return Result.empty();
                },
                "abc");
        Event e = seen.get();
        assertThat(e.dataAsString()).isEqualTo("abc");
        assertThat(e.id()).isEqualTo("e-inv-1");
        assertThat(e.source()).isEqualTo("test://job");
        assertThat(e.type()).isEqualTo("flowfn.invoke");
        assertThat(e.subject()).contains("s-inv-1");
        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(1767225599000L));
        assertThat(e.dataContentType()).isEmpty();
        assertThat(e.extensions()).isEqualTo(Map.of("k", "inv-1"));
    }

    @Test
    void logsProgressAndEmitsBecomeFramesBeforeTheResult() throws Exception {
        List<Frame> frames =
                run(
                        (e, c) -> {
                            c.logger().info("one");
                            c.logger().log(FunctionLogger.Level.DEBUG, null);
                            c.progress(0.25, "a quarter");
                            c.progress("unknown");
                            c.emit(OutgoingEvent.json("t.done", "sub", "{}"));
                            c.emit(OutgoingEvent.record("readings", "dev-7", new byte[] {1, 2}));
                            return Result.json("{\"ok\":1}").withHeader("x-a", "b").withStatus(202);
                        },
                        "");
        assertThat(frames)
                .extracting(Frame::type)
                .containsExactly(
                        MessageType.LOG,
                        MessageType.LOG,
                        MessageType.PROGRESS,
                        MessageType.PROGRESS,
                        MessageType.EMIT,
                        MessageType.EMIT,
                        MessageType.RESULT);
        assertThat(frames.get(0).header())
                .containsEntry("id", "inv-1")
                .containsEntry("level", "INFO")
                .containsEntry("message", "one");
        assertThat(frames.get(0).header().get("time")).isInstanceOf(Long.class);
        assertThat(frames.get(1).header())
                .containsEntry("level", "DEBUG")
                .containsEntry("message", "null");
        assertThat(frames.get(2).header())
                .containsEntry("fraction", 0.25)
                .containsEntry("message", "a quarter");
        assertThat(frames.get(3).header())
                .containsEntry("fraction", null)
                .containsEntry("message", "unknown");
        assertThat(JsonWriter.write(frames.get(4).header()))
                .isEqualTo(
                        "{\"id\":\"inv-1\",\"type\":\"t.done\",\"subject\":\"sub\",\"contentType\":\"application/json\",\"topic\":null,\"key\":null}");
        assertThat(new String(frames.get(4).body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        // a record: as the vector emit-record, its key (the OutgoingEvent's subject) as key
        assertThat(JsonWriter.write(frames.get(5).header()))
                .isEqualTo(
                        "{\"id\":\"inv-1\",\"type\":\"kafka.record\",\"subject\":null,\"contentType\":null,\"topic\":\"readings\",\"key\":\"dev-7\"}");
        assertThat(frames.get(5).body()).containsExactly(1, 2);
        Frame result = frames.get(6);
        assertThat(result.header().keySet())
                .containsExactly("id", "ok", "contentType", "status", "headers", "durationUs");
        assertThat(result.header())
                .containsEntry("contentType", "application/json")
                .containsEntry("status", 202L)
                .containsEntry("headers", Map.of("x-a", "b"));
        assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":1}");
    }

    @Test
    void aProgressFractionOutsideZeroToOneThrowsInTheHandler() throws Exception {
        List<Frame> frames =
                run(
                        (e, c) -> {
                            c.progress(1.5, "too far");
                            return Result.empty();
                        },
                        "");
        assertThat(frames.get(0).header())
                .containsEntry("kind", "HANDLER_ERROR")
                .containsEntry(
                        "message",
                        "java.lang.IllegalArgumentException: progress fraction 1.5 is outside 0..1;"
                                + " pass done/total (e.g. 0.4 for 40%) or Double.NaN");
    }

    @Test
    void failuresAreResultsOfTheirKind() throws Exception {
        Frame thrown =
                run(
                                (e, c) -> {
                                    throw new IllegalStateException("boom");
                                },
                                "")
                        .get(0);
        assertThat(thrown.header().keySet())
                .containsExactly("id", "ok", "kind", "message", "stack", "durationUs");
        assertThat(thrown.header())
                .containsEntry("ok", false)
                .containsEntry("kind", "HANDLER_ERROR")
                .containsEntry("message", "java.lang.IllegalStateException: boom");
        assertThat((String) thrown.header().get("stack"))
                .startsWith(
                        "java.lang.IllegalStateException: boom\n\tat dev.flowfn.worker.InvocationTest.lambda$")
                .doesNotContain("Invocation.run");

        Frame none = run((e, c) -> null, "").get(0);
        assertThat(none.header())
                .containsEntry("kind", "BAD_RESULT")
                .containsEntry(
                        "message",
                        "the handler returned null; return Result.empty() when there is nothing to return")
                .containsEntry("stack", null);
    }

    @Test
    void afterTheResultEmitsThrowAndLogsGoToStderr() throws Exception {
        AtomicReference<Context> seen = new AtomicReference<>();
        run(
                (e, c) -> {
                    seen.set(c);
                    return Result.empty();
                },
                "");
        Context c = seen.get();
        assertThatThrownBy(() -> c.emit(OutgoingEvent.json("late", null, "{}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "invocation inv-1 has finished; emit before the handler returns (wait for the threads it started)");
        c.logger().warn("too late");
        c.progress(0.5, "late too");
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("WARN [fn@3 inv-1, after its result] too late")
                .contains("progress [fn@3 inv-1, after its result] 0.5 late too");
    }

    @Test
    void theThreadsContextClassLoaderIsTheFunctionsWhileItRuns() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        ClassLoader code = new ClassLoader(null) {};
        InvokeRequest request = InvokeRequest.of(FakeJob.received(FakeJob.invoke("inv-1", 3, "x")));
        LoadedFunction fn =
                new LoadedFunction(
                        "fn",
                        3,
                        (e, c) -> {
                            seen.set(Thread.currentThread().getContextClassLoader());
                            return Result.empty();
                        },
                        code,
                        Map.of(),
                        128);
        new Invocation(request, fn, out, System.err).run();
        assertThat(seen.get()).isSameAs(code);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
}
