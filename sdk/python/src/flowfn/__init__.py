"""Flowfn functions in Python.

A handler is ``def main(event: Event, context: Context)`` (or ``async def``) returning a
str, bytes, a dict or list (JSON) or a Result. See ``flowfn.testing`` for the test kit and
``python3 -m flowfn.worker`` for the process the platform runs handlers in.
"""

from typing import Any, Awaitable, Callable, Union

__version__ = "0.1.0"

from .context import Context, FunctionLogger, Level  # noqa: E402
from .event import Event  # noqa: E402
from .outgoing import OutgoingEvent  # noqa: E402
from .result import Result  # noqa: E402

Returned = Union[Result, str, bytes, dict, list]
Handler = Callable[[Event, Context], Union[Returned, Awaitable[Returned]]]
"""The shape of a handler: ``def main(event, context)`` returning one of ``Returned``."""

__all__ = ["Context", "Event", "FunctionLogger", "Handler", "Level", "OutgoingEvent", "Result",
           "__version__"]
