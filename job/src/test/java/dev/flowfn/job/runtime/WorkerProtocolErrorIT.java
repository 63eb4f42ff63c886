package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake worker (a Python script in place of {@code python3}, its behaviour chosen by its worker
 * id) that misbehaves: silent, the wrong protocol version, a frame of an unknown type.
 */
class WorkerProtocolErrorIT {

    private static final String FAKE =
            String.join(
                    "\n",
                    "#!/usr/bin/env python3",
                    "import json, os, socket, struct, sys, time",
                    "mode = os.environ['FLOWFN_WORKER_ID']",
                    "s = socket.socket(socket.AF_UNIX)",
                    "s.connect(os.environ['FLOWFN_WORKER_SOCKET'])",
                    "def frame(t, header, body=b''):",
                    "    h = json.dumps(header, separators=(',', ':')).encode()",
                    "    rest = bytes([t]) + struct.pack('>I', len(h)) + h + body",
                    "    return struct.pack('>I', len(rest)) + rest",
                    "def send(t, header, body=b''):",
                    "    s.sendall(frame(t, header, body))",
                    "if mode == 'silent':",
                    "    time.sleep(60)",
                    "version = {'future': 3, 'v2': 2}.get(mode, 1)",
                    "send(1, {'protocol': version, 'runtime': 'python', 'sdk': 'fake',"
                            + " 'pid': os.getpid(), 'concurrency': 2})",
                    "def exact(n):",
                    "    b = b''",
                    "    while len(b) < n:",
                    "        b += s.recv(n - len(b))",
                    "    return b",
                    "if mode in ('v1', 'v2'):  # answers with the type of the INVOKE it got",
                    "    t = exact(struct.unpack('>I', exact(4))[0])[0]",
                    "    ok = {'id': 'g-1', 'ok': True, 'contentType': None, 'status': 200,"
                            + " 'headers': {}, 'durationUs': 1}",
                    "    send(0x10, ok, bytes([t]))",
                    "    time.sleep(60)",
                    "s.recv(4)  # the INVOKE has begun to arrive",
                    "if mode == 'hello-again':",
                    "    ok = {'id': 'g-1', 'ok': True, 'contentType': None, 'status': 200,"
                            + " 'headers': {}, 'durationUs': 1}",
                    "    s.sendall(frame(0x10, ok, b'done') + frame(1, {'protocol': 1}))",
                    "    time.sleep(60)",
                    "print('fake worker: sending garbage', file=sys.stderr, flush=True)",
                    "send(0x7F, {})",
                    "time.sleep(60)",
                    "");

    @TempDir Path dir;
    private Path fake;

    @BeforeEach
    void writeFakeWorker() throws Exception {
        boolean found = false;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= !d.isEmpty() && Files.isExecutable(Path.of(d, "python3"));
        }
        if (!found) {
            System.out.println("skipped: 'python3' is not on the PATH (the fake worker needs it)");
        }
        assumeTrue(found, "python3 is not on the PATH");
        fake = dir.resolve("fake-worker");
        Files.writeString(fake, FAKE);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aWorkerThatNeverSaysHelloIsKilledAfterTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                WorkerConnection.open(
                                        config("silent", Duration.ofMillis(700)),
                                        new RecordingListener()))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("did not say HELLO within 700 ms")
                .hasMessageContaining("raise the hello timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aWorkerOfAnotherProtocolVersionIsRefused() {
        assertThatThrownBy(
                        () ->
                                WorkerConnection.open(
                                        config("future", Duration.ofSeconds(20)),
                                        new RecordingListener()))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("it speaks protocol 3, this job speaks 1 to 2");
    }

    @Test
    void aWorkerOfProtocol1GetsInvokeAndOneOf2GetsInvokeCompactUnlessTheJobSpeaks1()
            throws Exception {
        for (String version : List.of("v1", "v2", "v2-job-1")) {
            RecordingListener listener = new RecordingListener();
            WorkerConfig config =
                    config(
                            version.substring(0, 2),
                            Duration.ofSeconds(20),
                            version.endsWith("job-1") ? 1 : 2);
            try (WorkerConnection worker = WorkerConnection.open(config, listener)) {
                InvokeEvent event =
                        new InvokeEvent("e", "test", "t", "k", 0, null, false, Map.of());
                worker.invoke(
                        List.of(new Invoke("g-1", "f", 1, 1, Long.MAX_VALUE, 128, event, null)));

                listener.awaitCompletions(1, Duration.ofSeconds(30));
                Outcome outcome = listener.completions.get("g-1").outcome();

                int type = version.equals("v2") ? 0x91 : 0x90;
                assertThat(outcome)
                        .as(version)
                        .isInstanceOfSatisfying(
                                Outcome.Success.class,
                                ok -> assertThat(ok.data()).containsExactly((byte) type));
            }
        }
    }

    @Test
    void aFrameOfAnUnknownTypeEndsTheSessionAndFailsWhatItHeld() throws Exception {
        RecordingListener listener = new RecordingListener();
        WorkerConnection worker =
                WorkerConnection.open(config("garbage", Duration.ofSeconds(20)), listener);
        InvokeEvent event = new InvokeEvent("e", "test", "t", null, 0, null, false, Map.of());
        worker.invoke(List.of(new Invoke("g-1", "f", 1, 1, Long.MAX_VALUE, 128, event, null)));

        WorkerExit exit = listener.awaitExit(Duration.ofSeconds(30));

        assertThat(exit.requested()).isFalse();
        assertThat(exit.reason()).contains("it broke the protocol: unknown message type 0x7F");
        assertThat(exit.stderrTail()).contains("fake worker: sending garbage");
        assertThat(listener.completions.get("g-1").outcome())
                .isInstanceOfSatisfying(
                        Outcome.Failure.class,
                        f -> {
                            assertThat(f.kind()).isEqualTo(WorkerFailureKind.WORKER_EXITED);
                            assertThat(f.message()).contains("unknown message type 0x7F");
                        });
    }

    @Test
    void aResultReadWithTheFrameThatEndsTheSessionIsStillDelivered() throws Exception {
        RecordingListener listener = new RecordingListener();
        WorkerConnection worker =
                WorkerConnection.open(config("hello-again", Duration.ofSeconds(20)), listener);
        InvokeEvent event = new InvokeEvent("e", "test", "t", null, 0, null, false, Map.of());
        worker.invoke(List.of(new Invoke("g-1", "f", 1, 1, Long.MAX_VALUE, 128, event, null)));

        WorkerExit exit = listener.awaitExit(Duration.ofSeconds(30));

        assertThat(exit.reason()).contains("it broke the protocol: HELLO header");
        assertThat(listener.completions.get("g-1").succeeded()).isTrue();
        assertThat(listener.duplicates()).isZero();
    }

    private WorkerConfig config(String mode, Duration helloTimeout) {
        return config(mode, helloTimeout, WorkerProcess.PROTOCOL_VERSION);
    }

    /** {@code protocol}: the highest the job speaks to the worker. */
    private WorkerConfig config(String mode, Duration helloTimeout, int protocol) {
        return WorkerConfig.builder(WorkerRuntime.PYTHON, TestSdkHome.find())
                .setExecutable(fake.toString())
                .setWorkerId(mode)
                .setHelloTimeout(helloTimeout)
                .setProtocol(protocol)
                .build();
    }
}
