"""The Python worker: runs functions for the Flowfn job over the runtime protocol.

Started by the job as ``python3 -m flowfn.worker`` with ``FLOWFN_WORKER_SOCKET`` (a Unix
socket path) or ``FLOWFN_WORKER_ADDRESS`` (``host:port``), ``FLOWFN_WORKER_CONCURRENCY``
(default 8) and ``FLOWFN_WORKER_MEMORY_MB`` (the function's memory; no limit when unset).
Exit status: 0 after STOP or end-of-file, 2 after a protocol error or a bad setting, 3 out of
memory. See sdk/PROTOCOL.md.
"""

from __future__ import annotations

import logging
import os
import resource
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

from . import __version__, _memory, _protocol as p
from ._calling import BadResult, result_of
from ._capture import CURRENT, LogRouter, StdoutRouter
from ._loader import LoadError, load_handler
from .context import Context, FunctionLogger, Level
from .event import Event
from .outgoing import OutgoingEvent
from .result import Result

_INVOKE = p.INVOKE
_INVOKE_COMPACT = p.INVOKE_COMPACT
_perf_ns = time.perf_counter_ns
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS_EXACT = 2**52 // 1000  # milliseconds whose ms / 1000 rounds back to the same microseconds
_SDK_DIR = os.path.dirname(os.path.abspath(__file__))


# The last time converted, as (ms, datetime): events that arrive together were mostly made in the
# same millisecond, and a datetime cannot change, so they share one (0.4 µs each otherwise).
# One tuple, read and replaced whole: safe for the reading thread and the pool's threads.
_last_time = (None, None)


def _from_ms(ms: int) -> datetime:
    global _last_time
    last_ms, last = _last_time
    if ms == last_ms:
        return last
    if -_MS_EXACT < ms < _MS_EXACT:
        dt = datetime.fromtimestamp(ms / 1000, timezone.utc)  # exact to the ms, and faster
    else:
        dt = _EPOCH + timedelta(milliseconds=ms)
    _last_time = (ms, dt)
    return dt


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


_RUSAGE_THREAD = getattr(resource, "RUSAGE_THREAD", None)  # Linux only


def _thread_usage() -> Optional[Tuple[int, int]]:
    """The calling thread's CPU time in µs and its voluntary context switches so far (a wait for
    I/O, a sleep or a lock is one); None where the system does not count them per thread."""
    if _RUSAGE_THREAD is None:
        return None
    # getrusage's CPU times move in whole scheduler ticks (4 ms): the thread clock is exact
    return time.thread_time_ns() // 1000, resource.getrusage(_RUSAGE_THREAD).ru_nvcsw


@dataclass(frozen=True)
class _Loaded:
    handler: Callable[..., Any]
    env: Mapping[str, str]  # read-only


@dataclass(frozen=True)
class _Failed:
    message: str


class _Invocation(Context):
    """The Context of one INVOKE: logs, progress and emits become frames tagged with its id.

    Built once per invocation on the worker's hot path, so it sets its fields itself and makes
    ``deadline`` and ``logger`` only when the handler asks for them.
    """

    def __init__(self, send: Callable[..., None], invoke: p.Invoke, env: Mapping[str, str]):
        # Context.__init__ is skipped on purpose: env comes read-only from the loaded version
        self.function_name = invoke.function
        self.function_version = invoke.version
        self.invocation_id = invoke.id
        self.attempt = invoke.attempt
        self.memory_mb = invoke.memory_mb
        self.env = env
        self._deadline_ms = invoke.deadline
        self._logger: Optional[FunctionLogger] = None
        self._send = send
        self._stdout = ""
        self._finished = False

    @property  # type: ignore[override]
    def deadline(self) -> datetime:
        return _from_ms(self._deadline_ms)

    @property  # type: ignore[override]
    def logger(self) -> FunctionLogger:
        if self._logger is None:
            self._logger = FunctionLogger(self._log)
        return self._logger

    def emit(self, event: OutgoingEvent) -> None:
        if not isinstance(event, OutgoingEvent):
            raise TypeError(f"emit takes an OutgoingEvent, not {type(event).__name__}")
        if self._finished:
            raise RuntimeError(
                f"invocation {self.invocation_id} has finished; emit before the handler returns"
            )
        header = {"id": self.invocation_id, "type": event.type, "subject": event.subject,
                  "contentType": event.content_type, "topic": event.topic, "key": event.key}
        self._send(p.EMIT, header, event.data)

    def _log(self, level: Level, message: str) -> None:
        self.log_line(level, message)

    def _progress(self, fraction: Optional[float], message: str) -> None:
        header = {"id": self.invocation_id, "fraction": fraction, "message": message,
                  "time": _now_ms()}
        self._send(p.PROGRESS, header)

    # OutputSink, for print() and logging output while this invocation runs.
    def log_line(self, level: Level, message: str) -> None:
        if self._finished:  # e.g. a thread the handler left running
            sys.stderr.write(f"{level.value} [{self.invocation_id}] {message}\n")
            return
        header = {"id": self.invocation_id, "level": level.value, "message": message,
                  "time": _now_ms()}
        self._send(p.LOG, header)

    def write_stdout(self, text: str) -> None:
        self._stdout += text
        *lines, self._stdout = self._stdout.split("\n")
        for line in lines:
            self.log_line(Level.INFO, line)

    def finish(self) -> None:
        """Flushes a last unterminated print() line; later emits fail, later logs go to stderr."""
        if self._stdout:
            self.log_line(Level.INFO, self._stdout)
            self._stdout = ""
        self._finished = True


def _nothing() -> None:
    pass


class Worker:
    """Serves one connection to the job.

    Threads: the thread that calls ``serve`` reads frames and answers PING at once; LOADs
    run in order on one loader thread (an INVOKE waits for the LOAD of its version); INVOKEs
    run on a pool of ``concurrency`` threads. Every thread writes through ``send``, which
    holds a lock per frame so frames never interleave.

    A fast version runs inline: its INVOKEs run on the reading thread itself, one at a time
    (besides what runs in the pool), and the frames of one read go out in writes of
    ``FLUSH_FRAMES`` or fewer. That spares two thread hand-offs per invocation (the GIL makes
    them dear). A version runs in the pool until ``FAST_RUNS`` runs in a row were fast there:
    each used under ``FAST_LIMIT_US`` of CPU and took under ``POOLED_LIMIT_US`` (a pool run's
    time includes its waits for the GIL, up to 5 ms a switch). An inline run sends it back to
    the pool when it used ``FAST_LIMIT_US`` of CPU or more, or took that long while nothing ran
    in the pool and the reading thread waited (for I/O, a sleep, a lock: a voluntary context
    switch). A run that took long only because other processes had the machine's cores stays
    inline: on a busy machine that is common, and each trip to the pool costs every invocation
    queued behind it two thread hand-offs (on Linux; elsewhere its wall time alone tells). With
    pool threads running, its time includes their turns with the GIL, so then only
    ``POOLED_LIMIT_US`` counts. A handler that sometimes blocks may do so inline, once
    per ``FAST_RUNS`` runs at most: that delays the frames behind it, PONG included, until it
    returns. ``FLOWFN_WORKER_FAST_LIMIT_US`` sets the limit.
    """

    FAST_RUNS = 64
    FLUSH_FRAMES = 32
    FAST_LIMIT_US = 1000
    POOLED_LIMIT_US = 100_000

    def __init__(self, sock: socket.socket, concurrency: int,
                 fast_limit_us: int = FAST_LIMIT_US) -> None:
        self._sock = sock
        self._concurrency = concurrency
        self._fast_limit_us = fast_limit_us
        self._write_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="flowfn-invoke")
        self._loader = ThreadPoolExecutor(1, thread_name_prefix="flowfn-load")
        self._functions: Dict[Tuple[str, int], Future[Union[_Loaded, _Failed]]] = {}
        self._loaded: Dict[Tuple[str, int], _Loaded] = {}  # the versions whose load finished well
        # per version: how many of its last runs in a row were fast (up to FAST_RUNS)
        self._fast_runs: Dict[Tuple[str, int], int] = {}
        self._pooled = 0  # invocations handed to the pool and not yet finished
        self._pooled_lock = threading.Lock()
        self._reader: Optional[int] = None
        self._batch: Optional[list] = None  # frames the reader sends while it handles a read
        # the reading thread's _thread_usage() when it began its read or last wrote
        self._mark: Optional[Tuple[int, int]] = None
        self._send = self.send  # bound once: every invocation's context holds it

    def send(self, type_: int, header: Dict[str, Any], body: bytes = b"") -> None:
        """Writes one frame (on the reading thread: at the end of the read it handles)."""
        self.send_frame(p.encode(type_, header, body))

    def send_frame(self, frame: bytes) -> None:
        """Writes one encoded frame, as ``send`` does."""
        if self._batch is not None and threading.get_ident() == self._reader:
            self._batch.append(frame)
            return
        with self._write_lock:
            self._sock.sendall(frame)

    def _flush(self) -> None:
        """Writes the frames the reading thread has queued (it goes on queueing)."""
        batch = self._batch
        if batch:
            self._batch = []
            with self._write_lock:
                self._sock.sendall(b"".join(batch))
            self._mark = _thread_usage()  # a full socket made it wait: that was not a handler

    def serve(self) -> int:
        """Says HELLO, then handles frames until STOP or end-of-file; returns the exit status."""
        self.send(p.HELLO, {"protocol": p.PROTOCOL_VERSION, "runtime": "python",
                            "sdk": __version__, "pid": os.getpid(),
                            "concurrency": self._concurrency})
        self._reader = threading.get_ident()
        reader = p.FrameReader(self._sock)
        while True:
            try:
                frames = reader.read()
            except (EOFError, ConnectionError):
                return 0  # the job is gone: never outlive it
            except p.ProtocolError as e:
                print(f"flowfn worker: protocol error: {e}", file=sys.stderr)
                return 2
            if frames is None:
                return 0
            self._batch = []
            self._mark = _thread_usage()
            try:
                for frame in frames:
                    try:
                        status = self._handle(frame)
                    except p.ProtocolError as e:
                        print(f"flowfn worker: protocol error: {e}", file=sys.stderr)
                        return 2
                    if status is not None:
                        return status
                    if len(self._batch) >= self.FLUSH_FRAMES:
                        self._flush()  # the job refills the window while the rest of the read runs
            finally:
                self._guarded(self._flush)
                self._batch = None

    def _handle(self, frame: p.Frame) -> Optional[int]:
        """Handles one frame on the reading thread; an exit status ends the session."""
        type_, h = frame.type, frame.header
        if type_ == _INVOKE_COMPACT or type_ == _INVOKE:  # first: nearly every frame is one
            if type_ == _INVOKE:
                h = p.invoke_of(h)
            version = (h.function, h.version)
            loaded = self._loaded.get(version)
            if loaded is not None and self._fast_runs.get(version, 0) >= self.FAST_RUNS:
                try:  # what _guarded does, without its call
                    self._invoke_loaded(h, frame.body, loaded, _nothing, self._pooled, version)
                except MemoryError:
                    _memory.exit_out_of_memory()
                except OSError:
                    pass
                except Exception:
                    traceback.print_exc(file=sys.stderr)
                return None
            loading = self._functions.get(version)
            self._guarded(self._flush)  # what ran inline before it goes out first
            with self._pooled_lock:
                self._pooled += 1
            try:
                self._pool.submit(self._pooled_run, h, frame.body, loading)
            except RuntimeError as e:  # no memory left for a thread's stack
                if "can't start new thread" in str(e):
                    _memory.exit_out_of_memory()
                raise
        elif type_ == p.STOP:
            return 0
        elif type_ == p.PING:
            self.send(p.PONG, {"nonce": h.get("nonce")})
        elif type_ == p.LOAD:
            version = (h["function"], h["version"])
            self._loaded.pop(version, None)
            self._functions[version] = self._loader.submit(self._load, h)
        else:
            print(f"flowfn worker: protocol error: {p.NAMES[frame.type]} is not a message "
                  "for a worker", file=sys.stderr)
            return 2
        return None

    def _pooled_run(self, invoke: p.Invoke, body: bytes, loading: Optional[Future]) -> None:
        counted = [True]

        def ran() -> None:  # before the RESULT goes out: the job's next INVOKE may run inline
            if counted[0]:
                counted[0] = False
                with self._pooled_lock:
                    self._pooled -= 1

        try:
            self._guarded(self._invoke, invoke, body, loading, ran)
        finally:
            ran()

    def _timed(self, version: Tuple[str, int], us: int, cpu_start: Optional[int],
               pooled_before: Optional[int]) -> None:
        """Counts a run of ``us`` µs towards running the version inline.

        ``pooled_before``: for an inline run, how many invocations the pool had when it began.
        """
        if us < self._fast_limit_us:
            if pooled_before is not None:
                return  # fast inline: the version stays inline
            fast = True  # whatever its CPU time
        elif cpu_start is None:  # inline with the pool idle
            fast = us < max(self.POOLED_LIMIT_US, self._fast_limit_us) and self._only_preempted()
        else:
            cpu_us = (time.thread_time_ns() - cpu_start) // 1000
            fast = cpu_us < self._fast_limit_us and us < max(self.POOLED_LIMIT_US,
                                                             self._fast_limit_us)
        if not fast:
            self._fast_runs[version] = 0
        elif pooled_before is None:  # pool runs count towards running inline
            self._fast_runs[version] = min(self._fast_runs.get(version, 0) + 1, self.FAST_RUNS)

    def _only_preempted(self) -> bool:
        """Whether the inline run that just ended on the reading thread, over the fast limit by
        the clock, was slow only for want of a core: since the thread's mark (which this run
        follows) it used less CPU than the limit and never waited."""
        mark, now = self._mark, _thread_usage()
        if mark is None or now is None:
            return False  # nothing tells: its wall time does
        return now[0] - mark[0] < self._fast_limit_us and now[1] == mark[1]

    def _load(self, h: Dict[str, Any]) -> Union[_Loaded, _Failed]:
        start = time.perf_counter_ns()
        ident = {"function": h["function"], "version": h["version"]}
        try:
            handler = load_handler(h.get("codeDir", ""), h.get("handler", ""))
        except MemoryError:
            _memory.exit_out_of_memory()
        except LoadError as e:
            self._guarded(self.send, p.LOAD_FAILED, {**ident, "kind": "CODE_LOAD",
                                                     "message": str(e)})
            return _Failed(str(e))
        self._guarded(self.send, p.LOADED,
                      {**ident, "loadUs": (time.perf_counter_ns() - start) // 1000})
        return _Loaded(handler, MappingProxyType(dict(h.get("env") or {})))

    def _invoke(self, invoke: p.Invoke, body: bytes, loading: Optional[Future],
                ran: Callable[[], None] = _nothing) -> None:
        """Runs an INVOKE in the pool, once its version's load has finished."""
        start = time.perf_counter_ns()  # a failed load's wait counts in the duration
        loaded = loading.result() if loading is not None else None
        if not isinstance(loaded, _Loaded):
            why = "the job sent no LOAD for it" if loaded is None else f"it failed to load: {loaded.message}"
            msg = (f"function {invoke.function} version {invoke.version} is not loaded in this "
                   f"worker; {why}")
            ran()
            self._fail(invoke.id, "UNKNOWN_FUNCTION", msg, None, start)
            return
        version = (invoke.function, invoke.version)
        self._loaded.setdefault(version, loaded)
        self._invoke_loaded(invoke, body, loaded, ran, None, version)

    def _invoke_loaded(self, h: p.Invoke, body: bytes, loaded: _Loaded, ran: Callable[[], None],
                       pooled_before: Optional[int], version: Tuple[str, int]) -> None:
        """Runs an INVOKE of a loaded version: inline (``pooled_before`` set) or in the pool."""
        start = _perf_ns()
        # CPU time tells only when threads share the GIL: not for an inline run with the pool idle
        cpu_start = None if pooled_before == 0 else time.thread_time_ns()
        ctx = _Invocation(self._send, h, loaded.env)
        token = CURRENT.set(ctx)
        try:  # call(), written out
            result = loaded.handler(Event._decoded(h.event_id, h.source, h.type, h.subject,
                                                   _from_ms(h.time), h.content_type, body,
                                                   h.extensions, h.source_identity), ctx)
            if type(result) is not Result:
                result = result_of(result)
        except BadResult as e:
            error: Optional[Tuple[str, str, Optional[str]]] = ("BAD_RESULT", str(e), None)
        except BaseException as e:  # SystemExit from a handler fails the invocation only
            if _memory.caused_by_memory_error(e):  # also when the handler wrapped it
                _memory.exit_out_of_memory()
            error = ("HANDLER_ERROR", f"{type(e).__name__}: {e}", _user_stack(e))
        else:
            error = None
        finally:
            ctx.finish()
            CURRENT.reset(token)
        if error is not None:
            self._timed(version, (_perf_ns() - start) // 1000, cpu_start, pooled_before)
            ran()
            self._fail(h.id, *error, start)
            return
        us = (_perf_ns() - start) // 1000
        if us >= self._fast_limit_us or pooled_before is None:  # else: fast inline, stays so
            self._timed(version, us, cpu_start, pooled_before)
        ran()
        frame_ = p.encode_ok_result(h.id, result.content_type, result.status, result.headers,
                                    us, result.data)
        if pooled_before is None:
            self.send_frame(frame_)
        else:
            self._batch.append(frame_)  # inline: on the reading thread, within its read

    def _fail(self, inv_id: str, kind: str, message: str, stack: Optional[str], start: int) -> None:
        self.send(p.RESULT, {"id": inv_id, "ok": False, "kind": kind, "message": message,
                             "stack": stack, "durationUs": (time.perf_counter_ns() - start) // 1000})

    @staticmethod
    def _guarded(fn: Callable[..., None], *args: Any) -> None:
        """Runs fn, reporting to stderr what would otherwise vanish in a pool thread."""
        try:
            fn(*args)
        except MemoryError:
            _memory.exit_out_of_memory()
        except OSError:
            pass  # the connection is gone; serve() sees end-of-file and exits
        except Exception:
            traceback.print_exc(file=sys.stderr)


def _user_stack(e: BaseException) -> str:
    """The traceback without the worker's own frames on top."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_SDK_DIR):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(e), e, tb)).rstrip()


def _connect(env: Mapping[str, str]) -> socket.socket:
    path, address = env.get("FLOWFN_WORKER_SOCKET"), env.get("FLOWFN_WORKER_ADDRESS")
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return sock
    if address:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"FLOWFN_WORKER_ADDRESS {address!r} must be host:port")
        return socket.create_connection((host.strip("[]"), int(port)))
    raise ValueError("set FLOWFN_WORKER_SOCKET (a Unix socket path) or FLOWFN_WORKER_ADDRESS (host:port)")


def _concurrency(env: Mapping[str, str]) -> int:
    raw = env.get("FLOWFN_WORKER_CONCURRENCY", "8")
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"FLOWFN_WORKER_CONCURRENCY {raw!r} must be a whole number of at least 1")
    return int(raw)


def _fast_limit_us(env: Mapping[str, str]) -> int:
    raw = env.get("FLOWFN_WORKER_FAST_LIMIT_US", str(Worker.FAST_LIMIT_US))
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"FLOWFN_WORKER_FAST_LIMIT_US {raw!r} must be a whole number of at least 1")
    return int(raw)


def _thread_died(args: threading.ExceptHookArgs) -> None:
    """Out of memory in any thread (a handler's own too) ends the worker with status 3."""
    if _memory.caused_by_memory_error(args.exc_value):
        _memory.exit_out_of_memory()
    threading.__excepthook__(args)


def main() -> None:
    """Entry point: connect, serve, exit (at once, even while handlers still run)."""
    try:
        concurrency = _concurrency(os.environ)
        fast_limit_us = _fast_limit_us(os.environ)
        _memory.limit(os.environ, threads=concurrency + 1)  # the pool and the loader thread
        sock = _connect(os.environ)
    except (ValueError, OSError) as e:
        print(f"flowfn worker: {e}", file=sys.stderr)
        sys.exit(2)
    threading.excepthook = _thread_died
    sys.stdout = StdoutRouter(sys.stderr)
    root = logging.getLogger()
    root.addHandler(LogRouter(sys.stderr))
    root.setLevel(logging.INFO)
    try:
        status = Worker(sock, concurrency, fast_limit_us).serve()
    except MemoryError:
        _memory.exit_out_of_memory()
    sys.stderr.flush()
    os._exit(status)  # handler threads must not keep the process alive


if __name__ == "__main__":
    main()
