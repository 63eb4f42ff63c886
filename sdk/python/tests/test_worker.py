"""The worker end to end: this test plays the job on a real socket, the worker is a subprocess.

Every read has a timeout, so a hung worker fails a test instead of hanging it.
"""

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

import support
from flowfn import _protocol as p

HANDLERS = '''
import asyncio, logging, threading, time
from flowfn import OutgoingEvent, Result

print("module imported")  # no invocation runs: goes to stderr
log = logging.getLogger("fn")
_lock = threading.Lock()
_running = 0
_peak = 0

def main(event, context):
    n = event.json()["n"]
    print("got", n)
    log.warning("warned %d", n)
    context.logger.debug(f"debug {n}")
    context.progress(n / 10, f"step {n}")
    context.emit(OutgoingEvent.json("thing.done", str(n), {"n": n}))
    return {"n": n, "greeting": context.env["GREETING"], "attempt": context.attempt,
            "subject": event.subject, "ext": dict(event.extensions),
            "time": event.time.isoformat(), "fn": [context.function_name, context.function_version]}

async def upper(event, context):
    await asyncio.sleep(0)
    context.emit(OutgoingEvent.record("readings", "k1", event.data))
    return Result.text(event.text().upper()).with_status(201).with_header("x-a", "b")

def where(event, context):
    if event.data:  # not even sleep(0): a yield of the core
        time.sleep(float(event.text()))
    return threading.current_thread().name

def spin(event, context):  # busy for the µs its data says, never giving up the core
    end = time.perf_counter_ns() + int(event.text()) * 1000
    while time.perf_counter_ns() < end:
        pass
    return threading.current_thread().name

def fails(event, context):
    context.logger.info("about to fail")
    raise ValueError("bad input " + event.text())

def bad(event, context):
    print("no newline", end="")
    return 42

def hog(event, context):  # run it only under FLOWFN_WORKER_MEMORY_MB
    hoard = []
    while True:
        hoard.append(bytearray(1024 * 1024))

def hog_wrapped(event, context):
    try:
        hog(event, context)
    except MemoryError as e:
        raise RuntimeError("could not allocate") from e

def big(event, context):
    return str(len(bytearray(int(event.text()) * 1024 * 1024)) // (1024 * 1024))

def out_of_memory(event, context):
    raise MemoryError()

def slow(event, context):
    global _running, _peak
    with _lock:
        _running += 1
        _peak = max(_peak, _running)
    print("started")
    try:
        time.sleep(float(event.text()))
    finally:
        with _lock:
            _running -= 1
    return str(_peak)
'''

TIMEOUT = 10.0
CONCURRENCY = 3
RUNS_CUT_OFF = 2000

# takes a core for good, after saying so
BUSY_LOOP = "import sys\nsys.stdout.write('spinning\\n')\nsys.stdout.flush()\nwhile True: pass"


class Job:
    """The job side of one session: a listening socket and the worker subprocess."""

    def __init__(self, test: unittest.TestCase, tcp: bool = False, env=None):
        self.dir = tempfile.mkdtemp(prefix="flowfn-py-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.code = os.path.join(self.dir, "code")
        os.mkdir(self.code)
        with open(os.path.join(self.code, "fn.py"), "w") as f:
            f.write(HANDLERS)
        env = {**os.environ, "PYTHONPATH": support.SRC, "FLOWFN_WORKER_CONCURRENCY": str(CONCURRENCY),
               **(env or {})}
        if tcp:
            server = socket.create_server(("127.0.0.1", 0))
            env["FLOWFN_WORKER_ADDRESS"] = "127.0.0.1:%d" % server.getsockname()[1]
        else:
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(os.path.join(self.dir, "w.sock"))
            server.listen(1)
            env["FLOWFN_WORKER_SOCKET"] = os.path.join(self.dir, "w.sock")
        server.settimeout(TIMEOUT)
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "flowfn.worker"], env=env,
                                     stdout=self.stderr, stderr=self.stderr, cwd=self.dir)
        test.addCleanup(self._cleanup)
        try:
            self.conn, _ = server.accept()
        finally:
            server.close()
        self.conn.settimeout(TIMEOUT)
        self.frames_after_results = []

    def _cleanup(self):
        self.conn.close()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(TIMEOUT)
        self.stderr.close()

    def worker_stderr(self) -> str:
        self.stderr.flush()
        with open(self.stderr.name) as f:
            return f.read()

    def send(self, *frames: bytes) -> None:
        """Writes frames in one write, as the job batches them."""
        self.conn.sendall(b"".join(frames))

    def recv(self) -> p.Frame:
        frame = p.read_frame(self.conn)
        if frame is None:
            raise AssertionError("worker closed the connection; stderr:\n" + self.worker_stderr())
        return frame

    def load(self, version: int, handler: str, env=None) -> bytes:
        return p.encode(p.LOAD, {"function": "fn", "version": version, "handler": handler,
                                 "codeDir": self.code, "memoryMb": 128, "env": env or {}})

    @staticmethod
    def invoke(inv_id: str, version: int, data: bytes, attempt: int = 1,
               compact: bool = False) -> bytes:
        event = {"id": "e-" + inv_id, "source": "test://job", "type": "flowfn.invoke",
                 "subject": "s-" + inv_id, "time": 1767225599000, "datacontenttype": None,
                 "sourceIdentity": True, "extensions": {"k": inv_id}}
        header = {"id": inv_id, "function": "fn", "version": version, "attempt": attempt,
                  "deadline": int(time.time() * 1000) + 60_000, "memoryMb": 128, "event": event}
        if compact:  # what the job sends a worker of protocol 2
            return p.encode_invoke_compact(p.invoke_of(header), data)
        return p.encode(p.INVOKE, header, data)

    def until_results(self, n: int):
        """All frames up to and including the n-th RESULT."""
        frames, results = [], 0
        while results < n:
            frames.append(self.recv())
            results += frames[-1].type == p.RESULT
        return frames

    def exit_status(self) -> int:
        return self.proc.wait(TIMEOUT)


def by_invocation(frames):
    out = {}
    for f in frames:
        if f.type in (p.RESULT, p.LOG, p.PROGRESS, p.EMIT):
            out.setdefault(f.header["id"], []).append(f)
    return out


class WorkerTest(unittest.TestCase):
    def test_hello_load_and_a_batch(self):
        job = Job(self)
        hello = job.recv()
        self.assertEqual(hello.type, p.HELLO)
        self.assertEqual(hello.header, {"protocol": 2, "runtime": "python", "sdk": "0.1.0",
                                        "pid": job.proc.pid, "concurrency": CONCURRENCY})
        job.send(job.load(1, "fn.main", {"GREETING": "hi"}))
        loaded = job.recv()
        self.assertEqual(loaded.type, p.LOADED, loaded.header)
        self.assertEqual((loaded.header["function"], loaded.header["version"]), ("fn", 1))
        self.assertIsInstance(loaded.header["loadUs"], int)

        # Five INVOKEs in one write (compact and JSON ones: the worker takes both), and a LOAD
        # pipelined with the INVOKE that needs it.
        batch = [job.invoke(f"i{n}", 1, json.dumps({"n": n}).encode(), attempt=2, compact=n % 2 == 1)
                 for n in range(5)]
        job.send(*batch, job.load(2, "fn.upper"), job.invoke("u", 2, "héllo ✓".encode(), compact=True))
        frames = job.until_results(6)
        self.assertIn(p.LOADED, [f.type for f in frames])
        per = by_invocation(frames)
        for n in range(5):
            with self.subTest(n=n):
                fs = per[f"i{n}"]
                self.assertEqual([p.NAMES[f.type] for f in fs], ["LOG", "LOG", "LOG", "PROGRESS", "EMIT", "RESULT"])
                self.assertEqual([(f.header["level"], f.header["message"]) for f in fs[:3]],
                                 [("INFO", f"got {n}"), ("WARN", f"warned {n}"), ("DEBUG", f"debug {n}")])
                self.assertEqual((fs[3].header["fraction"], fs[3].header["message"]), (n / 10, f"step {n}"))
                self.assertEqual(fs[4].header, {"id": f"i{n}", "type": "thing.done", "subject": str(n),
                                                "contentType": "application/json", "topic": None, "key": None})
                self.assertEqual(json.loads(fs[4].body), {"n": n})
                result = fs[5]
                self.assertEqual({k: v for k, v in result.header.items() if k != "durationUs"},
                                 {"id": f"i{n}", "ok": True, "contentType": "application/json", "status": 200, "headers": {}})
                self.assertIsInstance(result.header["durationUs"], int)
                self.assertEqual(json.loads(result.body), {
                    "n": n, "greeting": "hi", "attempt": 2, "subject": f"s-i{n}", "ext": {"k": f"i{n}"},
                    "time": "2025-12-31T23:59:59+00:00", "fn": ["fn", 1]})
        emit, result = per["u"]
        self.assertEqual((emit.header["type"], emit.header["topic"], emit.header["key"], emit.header["subject"], emit.body),
                         ("kafka.record", "readings", "k1", None, "héllo ✓".encode()))
        self.assertEqual((result.header["status"], result.header["headers"], result.header["contentType"], result.body),
                         (201, {"x-a": "b"}, "text/plain", "HÉLLO ✓".encode()))
        job.conn.shutdown(socket.SHUT_WR)
        self.assertEqual(job.exit_status(), 0)
        self.assertIn("module imported", job.worker_stderr())

    def test_failures(self):
        job = Job(self)
        job.recv()
        job.send(job.load(3, "fn.fails"), job.load(4, "fn.bad"), job.load(5, "fn.nope"), job.load(6, "missing.main"))
        answers = {f.header["version"]: f for f in (job.recv() for _ in range(4))}
        self.assertEqual([p.NAMES[answers[v].type] for v in (3, 4, 5, 6)], ["LOADED", "LOADED", "LOAD_FAILED", "LOAD_FAILED"])
        self.assertEqual(answers[5].header["kind"], "CODE_LOAD")
        self.assertIn("fn.py has no function 'nope'; check --handler", answers[5].header["message"])
        self.assertIn("missing.py not found", answers[6].header["message"])

        job.send(job.invoke("a", 3, b"xyz"), job.invoke("b", 4, b""), job.invoke("c", 5, b""), job.invoke("d", 99, b""))
        per = by_invocation(job.until_results(4))
        log, error = per["a"]
        self.assertEqual((log.type, log.header["message"]), (p.LOG, "about to fail"))
        self.assertEqual((error.header["ok"], error.header["kind"], error.header["message"]),
                         (False, "HANDLER_ERROR", "ValueError: bad input xyz"))
        self.assertIn('fn.py", line', error.header["stack"])
        self.assertIn("raise ValueError", error.header["stack"])
        self.assertNotIn("worker.py", error.header["stack"])
        self.assertEqual(error.body, b"")
        partial, bad = per["b"]
        self.assertEqual((partial.type, partial.header["message"]), (p.LOG, "no newline"))
        self.assertEqual(bad.header["kind"], "BAD_RESULT")
        self.assertRegex(bad.header["message"], r"returned int 42; return a str")
        self.assertIsNone(bad.header["stack"])
        [unloaded] = per["c"]
        self.assertEqual(unloaded.header["kind"], "UNKNOWN_FUNCTION")
        self.assertIn("version 5 is not loaded in this worker; it failed to load", unloaded.header["message"])
        [unknown] = per["d"]
        self.assertEqual(unknown.header["kind"], "UNKNOWN_FUNCTION")
        self.assertIn("no LOAD", unknown.header["message"])

    def test_pong_while_a_slow_handler_runs(self):
        job = Job(self)
        job.recv()
        job.send(job.load(7, "fn.slow"), job.invoke("s", 7, b"2"))
        self.assertEqual(job.recv().type, p.LOADED)
        started = job.recv()
        self.assertEqual((started.type, started.header["message"]), (p.LOG, "started"))
        sent = time.monotonic()
        job.send(p.encode(p.PING, {"nonce": 7}))
        pong = job.recv()
        self.assertEqual((pong.type, pong.header), (p.PONG, {"nonce": 7}))
        self.assertLess(time.monotonic() - sent, 1.0, "PONG waited for the handler")
        self.assertEqual(job.recv().type, p.RESULT)

    def test_a_fast_function_runs_inline_until_a_run_is_slow(self):
        # 50 ms: "fast" survives a loaded test machine; the slow run takes 0.2 s
        job = Job(self, env={"FLOWFN_WORKER_FAST_LIMIT_US": "50000"})
        job.recv()
        job.send(job.load(3, "fn.where"))
        self.assertEqual(job.recv().type, p.LOADED)

        def threads(prefix, n, sleep=b""):
            job.send(*[job.invoke(f"{prefix}{i}", 3, sleep) for i in range(n)])
            results = job.until_results(n)
            self.assertTrue(all(r.header["ok"] for r in results if r.type == p.RESULT))
            return [r.body.decode() for r in results if r.type == p.RESULT]

        # the worker's FAST_RUNS fast runs in the pool, one at a time (64 at once would wait
        # for the GIL), bring it inline
        warm = [t for i in range(64) for t in threads(f"w{i}-", 1)]
        self.assertTrue(all(t.startswith("flowfn-invoke") for t in warm), warm)
        self.assertEqual(set(threads("f", 20)), {"MainThread"})  # inline on the reading thread
        self.assertEqual(threads("slow", 1, b"0.2"), ["MainThread"])  # still inline; now slow
        self.assertTrue(all(t.startswith("flowfn-invoke") for t in threads("p", 5)))

    @unittest.skipUnless(hasattr(os, "sched_setaffinity") and hasattr(resource, "RUSAGE_THREAD"),
                         "needs Linux: CPU affinity and per-thread context switch counts")
    def test_a_fast_function_stays_inline_while_other_processes_take_its_core(self):
        job = Job(self, env={"FLOWFN_WORKER_FAST_LIMIT_US": "3000"})
        job.recv()
        job.send(job.load(3, "fn.spin"))
        self.assertEqual(job.recv().type, p.LOADED)
        for i in range(64):  # FAST_RUNS fast runs in the pool bring "spin" inline
            job.send(job.invoke(f"w{i}", 3, b"50"))
            job.until_results(1)
        # the reading thread (the worker's main thread) shares one core with a busy process, so
        # the scheduler cuts off some of its runs (50 us of CPU each) for a tick (4 ms here)
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(job.proc.pid, {core})
        busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdout=subprocess.PIPE,
                                preexec_fn=lambda: os.sched_setaffinity(0, {core}))
        self.addCleanup(busy.stdout.close)
        self.addCleanup(busy.wait)
        self.addCleanup(busy.kill)
        # only once it spins: a quiet machine ran every run before the interpreter had started
        self.assertEqual(busy.stdout.readline(), b"spinning\n")
        # in one write: a thread that slept runs on for a while before the scheduler cuts it off;
        # a burst that no cut-off landed in (one in ~30 on a quiet machine) tells nothing: another
        results = []
        for burst in range(5):
            job.send(*[job.invoke(f"f{burst}-{i}", 3, b"50") for i in range(RUNS_CUT_OFF)])
            results += [f for f in job.until_results(RUNS_CUT_OFF) if f.type == p.RESULT]
            if any(r.header["durationUs"] >= 3000 for r in results):
                break
        slowed = [r.header["durationUs"] for r in results if r.header["durationUs"] >= 3000]
        self.assertTrue(slowed, "no run took the fast limit or more: nothing was cut off, so "
                        "this test tells nothing")
        self.assertEqual({r.body for r in results}, {b"MainThread"},
                         f"runs cut off for want of a core ({len(slowed)}, up to {max(slowed)} us) "
                         "sent the function to the pool")

    def test_a_fast_function_stays_inline_while_a_slow_one_fills_the_pool(self):
        job = Job(self, env={"FLOWFN_WORKER_FAST_LIMIT_US": "50000"})
        job.recv()
        job.send(job.load(3, "fn.where"), job.load(7, "fn.slow"))
        self.assertEqual([job.recv().type, job.recv().type], [p.LOADED, p.LOADED])
        for i in range(64):  # FAST_RUNS fast runs in the pool bring "where" inline
            job.send(job.invoke(f"w{i}", 3, b""))
            job.until_results(1)
        job.send(*[job.invoke(f"s{i}", 7, b"1") for i in range(CONCURRENCY)])
        self.assertEqual([job.recv().header["message"] for _ in range(CONCURRENCY)],
                         ["started"] * CONCURRENCY)  # the pool is full
        job.send(*[job.invoke(f"f{i}", 3, b"") for i in range(20)])
        fast = [f for f in job.until_results(20) if f.type == p.RESULT]
        self.assertEqual([f.header["id"] for f in fast], [f"f{i}" for i in range(20)],
                         "the fast runs waited for the slow ones")
        self.assertEqual({f.body for f in fast}, {b"MainThread"})
        self.assertEqual(len([f for f in job.until_results(CONCURRENCY) if f.type == p.RESULT]),
                         CONCURRENCY)

    def test_never_more_than_concurrency_at_once(self):
        job = Job(self)
        job.recv()
        job.send(job.load(7, "fn.slow"))
        self.assertEqual(job.recv().type, p.LOADED)
        n = CONCURRENCY * 2 + 1
        job.send(*[job.invoke(f"s{i}", 7, b"0.3") for i in range(n)])
        running = peak_seen = 0
        results = []
        while len(results) < n:
            f = job.recv()
            if f.type == p.LOG:
                running += 1
                peak_seen = max(peak_seen, running)
            elif f.type == p.RESULT:
                running -= 1
                results.append(f)
        self.assertTrue(all(r.header["ok"] for r in results))
        self.assertEqual(max(int(r.body) for r in results), CONCURRENCY)  # as the handlers saw it
        self.assertLessEqual(peak_seen, CONCURRENCY)  # as the frames show it

    def test_exits_when_the_socket_closes_even_while_a_handler_runs(self):
        job = Job(self)
        job.recv()
        job.send(job.load(7, "fn.slow"), job.invoke("s", 7, b"60"))
        self.assertEqual(job.recv().type, p.LOADED)
        self.assertEqual(job.recv().header["message"], "started")
        job.conn.close()
        self.assertEqual(job.exit_status(), 0)

    def test_memory_error_exits_3(self):
        job = Job(self)
        job.recv()
        job.send(job.load(8, "fn.out_of_memory"), job.invoke("m", 8, b""))
        self.assertEqual(job.recv().type, p.LOADED)
        self.assertEqual(job.exit_status(), 3)
        self.assertIn("out of memory (MemoryError); exiting with status 3", job.worker_stderr())

    def test_memory_limit_lets_a_handler_use_its_memory_then_exits_3(self):
        job = Job(self, env={"FLOWFN_WORKER_MEMORY_MB": "64"})
        job.recv()
        job.send(job.load(9, "fn.big"), job.invoke("b", 9, b"48"), job.load(10, "fn.hog"))
        frames = job.until_results(1)
        result = [f for f in frames if f.type == p.RESULT][0]
        self.assertTrue(result.header["ok"], result.header)
        self.assertEqual(result.body, b"48")
        job.send(job.invoke("h", 10, b""))
        self.assertEqual(job.exit_status(), 3)

    def test_a_memory_error_the_handler_wrapped_exits_3_too(self):
        job = Job(self, env={"FLOWFN_WORKER_MEMORY_MB": "64"})
        job.recv()
        job.send(job.load(11, "fn.hog_wrapped"), job.invoke("w", 11, b""))
        self.assertEqual(job.exit_status(), 3)

    def test_a_bad_memory_setting_exits_2_naming_it(self):
        env = {**os.environ, "PYTHONPATH": support.SRC, "FLOWFN_WORKER_SOCKET": "/nonexistent.sock",
               "FLOWFN_WORKER_MEMORY_MB": "lots"}
        proc = subprocess.run([sys.executable, "-m", "flowfn.worker"], env=env, capture_output=True,
                              text=True, timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("FLOWFN_WORKER_MEMORY_MB 'lots' must be a whole number of MiB", proc.stderr)

    def test_stop_exits_0_over_tcp(self):
        job = Job(self, tcp=True)
        self.assertEqual(job.recv().type, p.HELLO)
        job.send(p.encode(p.STOP, {"reason": "idle"}))
        self.assertEqual(job.exit_status(), 0)


class EventTimeTest(unittest.TestCase):
    """Times of invoked events: milliseconds since the epoch to an aware UTC datetime."""

    def test_times_convert_exactly_whether_or_not_they_repeat(self):
        from datetime import datetime, timedelta, timezone
        from flowfn.worker import _from_ms
        t = datetime(2025, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
        self.assertEqual(_from_ms(1767225599000), t)
        self.assertEqual(_from_ms(1767225599000), t)  # the one kept from the call before
        self.assertEqual(_from_ms(1767225599001), t + timedelta(milliseconds=1))
        self.assertEqual(_from_ms(-1), datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc))
        self.assertEqual(_from_ms(1767225599000), t)
        self.assertEqual(_from_ms(1767225599000).tzinfo, timezone.utc)


if __name__ == "__main__":
    unittest.main()
