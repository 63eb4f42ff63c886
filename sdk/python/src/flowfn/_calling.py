"""Calling a handler and turning what it returns into a Result (shared by worker and test kit)."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Awaitable

from .context import Context
from .event import Event
from .result import Result

WHAT_TO_RETURN = (
    "return a str (text/plain), bytes (application/octet-stream), a dict or list (JSON) "
    "or a flowfn.Result (Result.empty() when there is nothing to return)"
)


class BadResult(Exception):
    """The handler returned something that is not a result; the message says what to return."""


def call(handler: Any, event: Event, context: Context) -> Result:
    """Runs ``handler(event, context)`` (awaiting it if async) and converts what it returns.

    Exceptions of the handler propagate; a return value that is no result raises BadResult.
    """
    value = handler(event, context)
    return value if type(value) is Result else result_of(value)


def result_of(value: Any) -> Result:
    """The Result of what a handler returned: awaited first if it is awaitable; see ``call``."""
    if inspect.isawaitable(value):
        value = asyncio.run(_wait(value))
    return to_result(value)


async def _wait(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def to_result(value: Any) -> Result:
    """str -> text, bytes -> octet-stream, dict/list -> JSON, Result as is; else BadResult."""
    if isinstance(value, Result):
        return value
    if isinstance(value, str):
        return Result.text(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Result.ok(value)
    if isinstance(value, (dict, list)):
        try:
            return Result.json(value)
        except ValueError as e:
            raise BadResult(f"handler returned a {type(value).__name__} that is not JSON: {e}") from None
    raise BadResult(f"handler returned {_describe(value)}; {WHAT_TO_RETURN}")


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    return f"{type(value).__name__} {value!r:.60}"
