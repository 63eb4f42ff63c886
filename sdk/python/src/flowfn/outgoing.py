"""Events a handler emits through ``context.emit``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

_TOPIC = re.compile(r"[a-zA-Z0-9._-]{1,249}")


@dataclass(frozen=True)
class OutgoingEvent:
    """An event a handler emits with ``context.emit(...)``.

    It goes to the platform's event topic, where it can trigger other functions; or, made
    with ``OutgoingEvent.record``, as a plain record to a Kafka topic of yours. Either way it
    is published in the invocation's exactly-once transaction, only if the attempt succeeds.
    Build one with ``of``, ``json`` or ``record``.
    """

    type: str
    subject: Optional[str]
    data: bytes
    content_type: Optional[str] = None
    topic: Optional[str] = None  # set for a record: the Kafka topic it goes to
    key: Optional[str] = None  # the record's key

    @staticmethod
    def of(
        type: str,
        subject: Optional[str],
        data: Union[bytes, bytearray, memoryview],
        content_type: Optional[str] = None,
    ) -> "OutgoingEvent":
        """An event for the platform's event topic."""
        if not isinstance(type, str) or not type.strip():
            raise ValueError(f"event type {type!r} must be a non-blank str")
        if subject is not None and not isinstance(subject, str):
            raise TypeError(f"event subject {subject!r} must be a str or None")
        return OutgoingEvent(type, subject, _bytes("data", data), content_type)

    @staticmethod
    def json(type: str, subject: Optional[str], obj: Any) -> "OutgoingEvent":
        """An event whose data is ``obj`` serialized as JSON (``application/json``)."""
        data = json.dumps(obj, ensure_ascii=False, allow_nan=False).encode("utf-8")
        return OutgoingEvent.of(type, subject, data, "application/json")

    @staticmethod
    def record(
        topic: str, key: Optional[str], value: Union[bytes, bytearray, memoryview]
    ) -> "OutgoingEvent":
        """A plain record for Kafka topic ``topic`` (``key``, ``value`` as given, no envelope).

        Raises ValueError for a name Kafka refuses or a topic of Flowfn's or Kafka's own.
        """
        if not isinstance(topic, str) or not _TOPIC.fullmatch(topic) or topic in (".", ".."):
            raise ValueError(
                f"topic {topic!r} is not a valid Kafka topic name "
                "([a-zA-Z0-9._-], at most 249, not '.' or '..')"
            )
        if topic.startswith("flowfn.") or topic.startswith("__"):
            raise ValueError(
                f"topic {topic!r} is internal to Flowfn or Kafka; emit to a topic of your own, "
                "or use OutgoingEvent.of(...) for the event topic"
            )
        if key is not None and not isinstance(key, str):
            raise TypeError(f"record key {key!r} must be a str or None")
        return OutgoingEvent("kafka.record", None, _bytes("value", value), None, topic, key)


def _bytes(name: str, value: Any) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{name} is a {type(value).__name__}; pass bytes (str.encode() for text), "
            "or use OutgoingEvent.json"
        )
    return bytes(value)
