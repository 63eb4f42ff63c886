"""What a handler knows about its invocation, and what it can do besides return."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from datetime import datetime, timedelta, timezone
from enum import Enum
from types import MappingProxyType
from typing import Any, Callable, Mapping, Optional, Union

from .outgoing import OutgoingEvent


class Level(str, Enum):
    """Log levels, as they travel to the platform's log topic."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


class FunctionLogger:
    """A handler's logger; each line is tagged with function, version, invocation and level."""

    def __init__(self, sink: Callable[[Level, str], None]) -> None:
        self._sink = sink

    def log(self, level: Level, message: Any) -> None:
        """Logs ``message`` (turned into a str) at ``level``."""
        self._sink(Level(level), str(message))

    def debug(self, message: Any) -> None:
        """Logs at DEBUG."""
        self.log(Level.DEBUG, message)

    def info(self, message: Any) -> None:
        """Logs at INFO."""
        self.log(Level.INFO, message)

    def warning(self, message: Any) -> None:
        """Logs at WARN."""
        self.log(Level.WARN, message)

    warn = warning

    def error(self, message: Any) -> None:
        """Logs at ERROR."""
        self.log(Level.ERROR, message)


def check_fraction(fraction: Optional[float]) -> Optional[float]:
    """A progress fraction validated: a number in 0..1, or None (NaN too) when unknown."""
    if fraction is None:
        return None
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)):
        raise TypeError(
            f"progress fraction {fraction!r} is not a number; pass done/total "
            "(e.g. 0.4 for 40%) or None"
        )
    if math.isnan(fraction):
        return None
    if not 0 <= fraction <= 1:
        raise ValueError(
            f"progress fraction {fraction} is outside 0..1; pass done/total "
            "(e.g. 0.4 for 40%) or None"
        )
    return float(fraction)


def progress_line(fraction: Optional[float], message: str) -> str:
    """How a report reads on the log topic: ``[progress 40%] message`` or ``[progress] message``."""
    fraction = check_fraction(fraction)
    if fraction is None:
        return f"[progress] {message}"
    pct = f"{fraction * 100:.1f}"
    return f"[progress {pct[:-2] if pct.endswith('.0') else pct}%] {message}"


class Context(ABC):
    """What a handler knows about the invocation it runs, and what it can do besides return.

    Attributes:
        function_name: the function's name.
        function_version: the deployed version, monotonic per function.
        invocation_id: identifies this invocation; the same for every attempt of it.
        attempt: 1 for the first attempt, 2 for the first retry, ...
        memory_mb: the function's memory limit.
        deadline: when the platform gives up on this attempt (aware ``datetime``, UTC).
        env: the function's environment variables (``deploy --env K=V``), read-only.
        logger: lines logged here land on the platform's log topic, tagged with this invocation.
    """

    def __init__(
        self,
        *,
        function_name: str,
        function_version: int,
        invocation_id: str,
        attempt: int,
        memory_mb: int,
        deadline: datetime,
        env: Mapping[str, str],
    ) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invocation_id = invocation_id
        self.attempt = attempt
        self.memory_mb = memory_mb
        self.deadline = deadline
        self.env: Mapping[str, str] = MappingProxyType(dict(env))
        self.logger = FunctionLogger(self._log)

    def remaining(self) -> timedelta:
        """Time left until the deadline; zero once it has passed."""
        return max(self.deadline - datetime.now(timezone.utc), timedelta(0))

    @abstractmethod
    def emit(self, event: OutgoingEvent) -> None:
        """Emits an event; it is published with the result, only if this attempt succeeds."""

    def progress(self, fraction: Union[float, str, None], message: Optional[str] = None) -> None:
        """Reports how far a long-running invocation has come.

        ``context.progress(0.4, "exported 40,000 of 100,000")``, or ``context.progress("cleaning
        up")`` without a fraction. The platform publishes it at once, while the handler runs.
        ``fraction`` is 0..1, or None when unknown; anything else raises ValueError/TypeError.
        """
        if message is None and isinstance(fraction, str):
            fraction, message = None, fraction
        if not isinstance(message, str):
            raise TypeError(
                f"progress message {message!r} must be a str: progress(0.4, 'message') "
                "or progress('message')"
            )
        self._progress(check_fraction(fraction), message)  # type: ignore[arg-type]

    @abstractmethod
    def _log(self, level: Level, message: str) -> None:
        """Where ``logger`` lines go."""

    @abstractmethod
    def _progress(self, fraction: Optional[float], message: str) -> None:
        """Where validated progress reports go."""
