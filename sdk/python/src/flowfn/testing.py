"""A test kit: unit-test a handler without anything running.

::

    from flowfn.testing import TestContext, TestEvent, invoke

    ctx = TestContext(env={"THUMB_SIZE": "200"})
    result = invoke(handler.main, TestEvent.json({"n": 1}), ctx)
    assert ctx.log_lines() == ["INFO resized cat.jpg"]
    assert ctx.emitted[0].type == "thumbnail.created"
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Mapping, Optional, Union

from ._calling import BadResult, call
from .context import Context, Level, progress_line
from .event import Event
from .outgoing import OutgoingEvent
from .result import Result

__all__ = ["BadResult", "LogLine", "ProgressReport", "TestContext", "TestEvent", "invoke"]


@dataclass(frozen=True)
class LogLine:
    """One line a handler logged."""

    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.level.value} {self.message}"


@dataclass(frozen=True)
class ProgressReport:
    """One progress report: the fraction (None when unknown) and the message."""

    fraction: Optional[float]
    message: str


class TestContext(Context):
    """A Context for unit tests: it records what the handler logs, emits and reports.

    Defaults: function ``test``, version 1, invocation ``test-invocation``, attempt 1,
    256 MB, a deadline 30 s from now, no env.
    """

    __test__ = False  # not a unittest/pytest test class, despite the name

    def __init__(
        self,
        *,
        function_name: str = "test",
        function_version: int = 1,
        invocation_id: str = "test-invocation",
        attempt: int = 1,
        memory_mb: int = 256,
        timeout: timedelta = timedelta(seconds=30),
        env: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(
            function_name=function_name,
            function_version=function_version,
            invocation_id=invocation_id,
            attempt=attempt,
            memory_mb=memory_mb,
            deadline=datetime.now(timezone.utc) + timeout,
            env=env or {},
        )
        self._lock = threading.Lock()
        self._logs: List[LogLine] = []
        self._emitted: List[OutgoingEvent] = []
        self._progress_reports: List[ProgressReport] = []

    @property
    def logs(self) -> List[LogLine]:
        """What the handler logged, in order (a copy)."""
        with self._lock:
            return list(self._logs)

    def log_lines(self) -> List[str]:
        """What the handler logged, as ``"LEVEL message"`` strings."""
        return [str(line) for line in self.logs]

    @property
    def emitted(self) -> List[OutgoingEvent]:
        """What the handler emitted, in order (a copy)."""
        with self._lock:
            return list(self._emitted)

    @property
    def progress_reports(self) -> List[ProgressReport]:
        """The progress the handler reported, in order (a copy)."""
        with self._lock:
            return list(self._progress_reports)

    def emit(self, event: OutgoingEvent) -> None:
        """Records the event (raises TypeError for anything but an OutgoingEvent)."""
        if not isinstance(event, OutgoingEvent):
            raise TypeError(f"emit takes an OutgoingEvent, not {type(event).__name__}")
        with self._lock:
            self._emitted.append(event)

    def _log(self, level: Level, message: str) -> None:
        with self._lock:
            self._logs.append(LogLine(level, message))

    def _progress(self, fraction: Optional[float], message: str) -> None:
        # Also logged as the platform shows it, like the Java TestContext.
        self._log(Level.INFO, progress_line(fraction, message))
        with self._lock:
            self._progress_reports.append(ProgressReport(fraction, message))


class TestEvent:
    """Builds Events for unit tests; every attribute has a sensible default.

    ::

        event = TestEvent.builder().type("kafka.record").subject("k1").data("hello").build()
        event = TestEvent.json({"n": 1})
    """

    __test__ = False

    def __init__(self) -> None:
        self._fields: Dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "source": "test://flowfn",
            "type": "flowfn.invoke",
            "time": datetime.now(timezone.utc),
        }
        self._extensions: Dict[str, str] = {}

    @staticmethod
    def builder() -> "TestEvent":
        """A new builder."""
        return TestEvent()

    @staticmethod
    def json(obj: Any) -> Event:
        """An event of type ``flowfn.invoke`` carrying ``obj`` as JSON."""
        return TestEvent().data(json.dumps(obj)).data_content_type("application/json").build()

    @staticmethod
    def text(text: str) -> Event:
        """An event of type ``flowfn.invoke`` carrying ``text`` (``text/plain``)."""
        return TestEvent().data(text).data_content_type("text/plain").build()

    def id(self, id: str) -> "TestEvent":
        return self._set("id", id)

    def source(self, source: str) -> "TestEvent":
        return self._set("source", source)

    def type(self, type: str) -> "TestEvent":
        return self._set("type", type)

    def subject(self, subject: Optional[str]) -> "TestEvent":
        return self._set("subject", subject)

    def time(self, time: datetime) -> "TestEvent":
        return self._set("time", time)

    def data_content_type(self, content_type: Optional[str]) -> "TestEvent":
        return self._set("data_content_type", content_type)

    def data(self, data: Union[bytes, str]) -> "TestEvent":
        """The payload: bytes as given, a str encoded as UTF-8."""
        return self._set("data", data.encode("utf-8") if isinstance(data, str) else data)

    def source_identity(self, source_identity: bool) -> "TestEvent":
        return self._set("source_identity", source_identity)

    def extension(self, name: str, value: str) -> "TestEvent":
        """Adds a CloudEvents extension attribute."""
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"extension {name!r}={value!r} must be str=str")
        self._extensions[name] = value
        return self

    def build(self) -> Event:
        """The Event (validated); the builder can go on being used."""
        return Event(**self._fields, extensions=dict(self._extensions))

    def _set(self, name: str, value: Any) -> "TestEvent":
        self._fields[name] = value
        return self


def invoke(handler: Any, event: Event, context: Optional[TestContext] = None) -> Result:
    """Calls a handler as the worker does: awaits an ``async def``, turns a str, bytes,
    dict/list into a Result (raises BadResult for anything else), and records what it
    ``print()``s as INFO lines of ``context`` (a fresh TestContext when None).
    """
    ctx = context if context is not None else TestContext()
    out = _PrintCapture(ctx)
    try:
        with contextlib.redirect_stdout(out):
            return call(handler, event, ctx)
    finally:
        out.close()


class _PrintCapture(io.TextIOBase):
    """Turns printed lines into INFO lines of a context, as they are printed."""

    def __init__(self, ctx: TestContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            self._ctx.logger.info(line)
        return len(text)

    def close(self) -> None:
        if self._partial:
            self._ctx.logger.info(self._partial)
            self._partial = ""
        super().close()
