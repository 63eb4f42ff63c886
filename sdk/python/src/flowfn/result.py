"""What a handler returns."""

from __future__ import annotations

import json as _json
from types import MappingProxyType
from typing import Any, Mapping, Optional, Union

Bytes = Union[bytes, bytearray, memoryview]
_NONE: Mapping[str, str] = MappingProxyType({})


class Result:
    """A payload and its media type, and for HTTP triggers a status code and headers.

    Immutable: ``with_status`` and ``with_header`` return copies. Build one with
    ``Result.ok``, ``Result.text``, ``Result.json`` or ``Result.empty``::

        return Result.text("<p>hi</p>")
        return Result.json({"error": "no such user"}).with_status(404)
    """

    __slots__ = ("_data", "_content_type", "_status", "_headers")

    def __init__(
        self,
        data: bytes,
        content_type: Optional[str],
        status: int = 200,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        # Use the factories; this constructor trusts its arguments.
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_content_type", content_type)
        object.__setattr__(self, "_status", status)
        object.__setattr__(self, "_headers", MappingProxyType(dict(headers)) if headers else _NONE)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Result is immutable; use with_status/with_header for a copy")

    @staticmethod
    def empty() -> "Result":
        """A result with no payload."""
        return _EMPTY

    @staticmethod
    def ok(data: Bytes, content_type: str = "application/octet-stream") -> "Result":
        """A result carrying ``data`` as given, of media type ``content_type``."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"result data is a {type(data).__name__}; pass bytes, or use Result.text/Result.json"
            )
        if not isinstance(content_type, str) or not content_type.strip():
            raise ValueError(f"content type {content_type!r} must be a non-blank str")
        return Result(bytes(data), content_type)

    @staticmethod
    def text(text: str, content_type: str = "text/plain") -> "Result":
        """A text result, encoded as UTF-8."""
        if not isinstance(text, str):
            raise TypeError(f"Result.text takes a str, not {type(text).__name__}")
        return Result.ok(text.encode("utf-8"), content_type)

    @staticmethod
    def json(obj: Any) -> "Result":
        """A JSON result: ``obj`` (dict, list, str, number, ...) serialized with ``json.dumps``."""
        try:
            text = _json.dumps(obj, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ValueError(f"cannot serialize {type(obj).__name__} as JSON: {e}") from None
        return Result.ok(text.encode("utf-8"), "application/json")

    @property
    def data(self) -> bytes:
        """The payload."""
        return self._data

    @property
    def content_type(self) -> Optional[str]:
        """Media type of the payload; None for an empty result."""
        return self._content_type

    @property
    def status(self) -> int:
        """The HTTP status an HTTP trigger answers with; 200 unless set."""
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        """Response headers for an HTTP trigger (read-only)."""
        return self._headers

    def with_status(self, status: int) -> "Result":
        """This result with another HTTP status (100..599)."""
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"HTTP status {status!r} is not an int in 100..599")
        return Result(self._data, self._content_type, status, self._headers)

    def with_header(self, name: str, value: str) -> "Result":
        """This result with one more response header (name and value without line breaks)."""
        if not isinstance(name, str) or not name or any(c <= " " or c == ":" or c >= "\x7f" for c in name):
            raise ValueError(f"header name {name!r} is not a valid HTTP token")
        if not isinstance(value, str) or "\r" in value or "\n" in value:
            raise ValueError(f"header {name} value {value!r} must be a str without line breaks")
        return Result(self._data, self._content_type, self._status, {**self._headers, name: value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and (
            self._data, self._content_type, self._status, dict(self._headers)
        ) == (other._data, other._content_type, other._status, dict(other._headers))

    def __hash__(self) -> int:
        return hash((self._data, self._content_type, self._status, tuple(self._headers.items())))

    def __repr__(self) -> str:
        return f"Result({self._status}, {len(self._data)} bytes, {self._content_type})"


_EMPTY = Result(b"", None)  # immutable, so one serves every empty result
