"""The worker's memory: a limit from the job, and exit status 3 when it runs out.

Every Flowfn worker exits with status 3 when it is out of memory, so the job can fail the
invocations it was running with a clear kind (see sdk/PROTOCOL.md, "A session"). Python
raises MemoryError when an allocation fails; the worker turns that into ``os._exit(3)``
wherever it surfaces (a handler, a load, a worker thread, a thread of the handler's own).

The limit: the job starts the worker with ``FLOWFN_WORKER_MEMORY_MB`` (the function's
``--memory``), and the worker sets RLIMIT_DATA to that plus what the worker itself needs.
RLIMIT_DATA rather than RLIMIT_AS: on Linux (4.7 and later) it counts the memory written to
(heap, anonymous mappings, thread stacks), while RLIMIT_AS also counts address space only
reserved, such as the 64 MiB glibc reserves for each thread's malloc arena, so a worker
with a few threads would hit it without using anything.
"""

from __future__ import annotations

import os
import resource
import threading
from typing import Mapping, Optional

EXIT_STATUS = 3
"""The exit status of a worker out of memory, in every runtime."""

VARIABLE = "FLOWFN_WORKER_MEMORY_MB"

_MIB = 1024 * 1024
_SLACK = 16 * _MIB  # malloc arenas and buffers of the worker's own threads
_DEFAULT_STACK = 8 * _MIB
_MESSAGE = b"flowfn worker: out of memory (MemoryError); exiting with status 3\n"


def exit_out_of_memory() -> None:
    """Says so on stderr (preallocated bytes: the heap may be full) and exits with status 3."""
    try:
        os.write(2, _MESSAGE)
    finally:
        os._exit(EXIT_STATUS)


def caused_by_memory_error(e: Optional[BaseException]) -> bool:
    """Whether ``e`` is a MemoryError, or was raised from or while handling one."""
    seen = 0
    while e is not None and seen < 32:
        if isinstance(e, MemoryError):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def limit(env: Mapping[str, str], threads: int) -> Optional[int]:
    """Applies ``FLOWFN_WORKER_MEMORY_MB`` as RLIMIT_DATA; returns the limit in bytes, or None.

    The limit is the function's memory plus what the worker needs besides: its data so far
    (the interpreter and the SDK), a stack for each of its ``threads``, and some slack. So a
    handler can allocate about its ``--memory`` before it gets MemoryError. What the
    function's own modules take at import counts against its memory.

    Raises ValueError naming the variable when it is not a positive whole number.
    """
    raw = env.get(VARIABLE, "")
    if raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{VARIABLE} {raw!r} must be a whole number of MiB, at least 1")
    data_limit = int(raw) * _MIB + _own_data() + threads * _thread_stack() + _SLACK
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        data_limit = min(data_limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (data_limit, hard))
    return data_limit


def _own_data() -> int:
    """This process's data segment now (Linux's VmData), or a guess where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 32 * _MIB


def _thread_stack() -> int:
    """The stack a new thread gets (glibc takes RLIMIT_STACK's soft limit)."""
    size = threading.stack_size()
    if size:
        return size
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return soft if soft != resource.RLIM_INFINITY and soft > 0 else _DEFAULT_STACK
