"""Routes a handler's print() and logging output to the invocation that runs it.

The invocation running on a thread is held in a context variable; output written while
none runs (module import, worker threads, threads a handler starts) goes to stderr.
"""

from __future__ import annotations

import io
import logging
from contextvars import ContextVar
from typing import Optional, Protocol, TextIO

from .context import Level


class OutputSink(Protocol):
    """What an invocation offers to captured output."""

    def write_stdout(self, text: str) -> None: ...

    def log_line(self, level: Level, message: str) -> None: ...


CURRENT: ContextVar[Optional[OutputSink]] = ContextVar("flowfn_invocation", default=None)


class StdoutRouter(io.TextIOBase):
    """Stands in for sys.stdout: text goes to the current invocation, else to ``fallback``."""

    def __init__(self, fallback: TextIO) -> None:
        super().__init__()
        self._fallback = fallback

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        sink = CURRENT.get()
        if sink is None:
            self._fallback.write(text)
        else:
            sink.write_stdout(text)
        return len(text)

    def flush(self) -> None:
        self._fallback.flush()


_LEVELS = [(logging.ERROR, Level.ERROR), (logging.WARNING, Level.WARN), (logging.INFO, Level.INFO)]


class LogRouter(logging.Handler):
    """A root logging handler: records become LOG lines of the current invocation, else go to
    ``fallback`` (with level and logger name)."""

    def __init__(self, fallback: TextIO) -> None:
        super().__init__()
        self._fallback = fallback
        self._plain = logging.Formatter("%(message)s")
        self._full = logging.Formatter("%(levelname)s %(name)s: %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sink = CURRENT.get()
            if sink is None:
                self._fallback.write(self._full.format(record) + "\n")
                self._fallback.flush()
                return
            level = next((lv for no, lv in _LEVELS if record.levelno >= no), Level.DEBUG)
            sink.log_line(level, self._plain.format(record))
        except Exception:  # a logging call must never break the handler
            self.handleError(record)
