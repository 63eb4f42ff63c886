"""The incoming event a handler receives."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Mapping, Optional


_NONE: Mapping[str, str] = MappingProxyType({})
_new, _set = object.__new__, object.__setattr__  # Event._decoded's, bound once (0.1 µs a call)


@dataclass(frozen=True)
class Event:
    """An incoming event, shaped like a CloudEvents 1.0 event.

    Types follow the source's own names: ``s3:ObjectCreated:Put``, ``mqtt.message``,
    ``timer.tick``, ``http.request``, ``kafka.record``, ``flowfn.invoke``.

    Attributes:
        id: identifies the event; stable across redeliveries of the same source event.
        source: where it came from, as a URI reference such as ``kafka://words/0``.
        type: the event type.
        subject: what the event is about (object key, device id, record key), or None.
        time: when it happened, a timezone-aware ``datetime`` in UTC.
        data_content_type: media type of ``data`` (``application/json``), or None.
        data: the payload; ``b""`` when there is none.
        extensions: CloudEvents extension attributes (read-only).
        source_identity: whether ``id`` is the source's own identity for the event (so a
            redelivery carries the same id), rather than one the platform made up.
    """

    id: str
    source: str
    type: str
    subject: Optional[str] = None
    time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    data_content_type: Optional[str] = None
    data: bytes = b""
    extensions: Mapping[str, str] = field(default_factory=dict)
    source_identity: bool = False

    def __post_init__(self) -> None:
        for name in ("id", "source", "type"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"event {name} {getattr(self, name)!r} is not a str")
        if not isinstance(self.data, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"event data is a {type(self.data).__name__}; pass bytes (str.encode() for text)"
            )
        if not isinstance(self.time, datetime) or self.time.tzinfo is None:
            raise ValueError(f"event time {self.time!r} must be a timezone-aware datetime")
        object.__setattr__(self, "data", bytes(self.data))
        object.__setattr__(self, "time", self.time.astimezone(timezone.utc))
        object.__setattr__(self, "extensions", MappingProxyType(dict(self.extensions)))

    @classmethod
    def _decoded(cls, id: str, source: str, type: str, subject: Optional[str], time: datetime,
                 data_content_type: Optional[str], data: bytes, extensions: Mapping[str, str],
                 source_identity: bool) -> "Event":
        """An event from an INVOKE the worker decoded: values of the right types already, so
        without ``__post_init__``'s checks and copies (the worker's hot path). ``extensions``
        becomes the event's own: a dict nothing else changes."""
        e = _new(cls)
        _set(e, "__dict__", {
            "id": id, "source": source, "type": type, "subject": subject, "time": time,
            "data_content_type": data_content_type, "data": data,
            "extensions": MappingProxyType(extensions) if extensions else _NONE,
            "source_identity": source_identity,
        })
        return e

    def text(self) -> str:
        """The payload decoded as UTF-8."""
        return self.data.decode("utf-8")

    def json(self) -> Any:
        """The payload parsed as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.data.decode("utf-8"))
