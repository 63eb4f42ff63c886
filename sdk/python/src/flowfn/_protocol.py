"""Frames of the Flowfn runtime protocol, version 1 (see sdk/PROTOCOL.md).

Internal to the SDK: function authors never see frames. A frame is
``len(4, big-endian) | type(1) | headerLen(4) | header (compact JSON, UTF-8) | body``.
"""

from __future__ import annotations

import json
import json.scanner
import socket
import struct
from json.encoder import encode_basestring as _json_str  # the C one: quotes, keeps non-ASCII
from typing import Any, Dict, Mapping, NamedTuple, Optional

PROTOCOL_VERSION = 1
MAX_FRAME = 64 * 1024 * 1024  # the length prefix counts at most this many bytes

# Worker to job.
HELLO, LOADED, LOAD_FAILED = 0x01, 0x02, 0x03
RESULT, EMIT, LOG, PROGRESS, PONG = 0x10, 0x11, 0x12, 0x13, 0x20
# Job to worker.
LOAD, INVOKE, PING, STOP = 0x81, 0x90, 0xA0, 0xA1

NAMES = {
    HELLO: "HELLO", LOADED: "LOADED", LOAD_FAILED: "LOAD_FAILED", RESULT: "RESULT",
    EMIT: "EMIT", LOG: "LOG", PROGRESS: "PROGRESS", PONG: "PONG",
    LOAD: "LOAD", INVOKE: "INVOKE", PING: "PING", STOP: "STOP",
}

_PREFIX = struct.Struct(">IBI")  # length of the rest, type, header length
_LENGTH = struct.Struct(">I")


class ProtocolError(Exception):
    """A frame that breaks the protocol: bad length, unknown type, header not a JSON object."""


class Frame(NamedTuple):
    """One decoded frame: its message type, header (key order kept) and body."""

    type: int
    header: Dict[str, Any]
    body: bytes = b""


# one encoder for every header: json.dumps with options builds a new one per call
_HEADER_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_HEADER_PARSER = json.JSONDecoder()
# the parser's own scanner (C where there is one): raw_decode's whitespace skip costs a regex match
_SCAN_HEADER = json.scanner.make_scanner(_HEADER_PARSER)


def encode(type_: int, header: Dict[str, Any], body: bytes = b"") -> bytes:
    """The bytes of one frame; the header is compact JSON with non-ASCII kept as UTF-8."""
    if type_ not in NAMES:
        raise ProtocolError(f"unknown message type 0x{type_:02x}")
    h = _HEADER_JSON.encode(header)
    hb = h.encode("utf-8")
    rest = 1 + 4 + len(hb) + len(body)
    if rest > MAX_FRAME:
        raise ProtocolError(f"frame of {rest} bytes is over the {MAX_FRAME}-byte limit")
    return _PREFIX.pack(rest, type_, len(hb)) + hb + bytes(body)


def encode_ok_result(inv_id: str, content_type: Optional[str], status: int,
                     headers: Mapping[str, str], duration_us: int, body: bytes) -> bytes:
    """A RESULT ok=true frame: the same bytes as ``encode``, written without the JSON encoder
    (the worker's hot path)."""
    if type(inv_id) is not str or type(status) is not int or type(duration_us) is not int:
        return encode(RESULT, {"id": inv_id, "ok": True, "contentType": content_type,
                               "status": status, "headers": dict(headers),
                               "durationUs": duration_us}, body)
    ct = "null" if content_type is None else _json_str(content_type)
    hs = "{}" if not headers else _HEADER_JSON.encode(dict(headers))
    hb = (f'{{"id":{_json_str(inv_id)},"ok":true,"contentType":{ct},"status":{status},'
          f'"headers":{hs},"durationUs":{duration_us}}}').encode("utf-8")
    rest = 5 + len(hb) + len(body)
    if rest > MAX_FRAME:
        raise ProtocolError(f"frame of {rest} bytes is over the {MAX_FRAME}-byte limit")
    return _PREFIX.pack(rest, RESULT, len(hb)) + hb + body


def decode(frame: bytes) -> Frame:
    """Decodes exactly one whole frame (length prefix included)."""
    if len(frame) < 4:
        raise ProtocolError(f"frame of {len(frame)} bytes is shorter than its length prefix")
    (n,) = struct.unpack_from(">I", frame)
    if n != len(frame) - 4:
        raise ProtocolError(f"frame says {n} bytes follow its prefix but {len(frame) - 4} do")
    return _decode_rest(frame, 4, len(frame))


def read_frame(sock: socket.socket) -> Optional[Frame]:
    """Reads one frame, however the bytes arrive; None at end-of-file between frames.

    Raises EOFError when the connection ends inside a frame.
    """
    prefix = _read_exact(sock, 4)
    if prefix is None:
        return None
    (n,) = struct.unpack(">I", prefix)
    if n < 5 or n > MAX_FRAME:
        raise ProtocolError(f"frame length {n} is outside 5..{MAX_FRAME}")
    rest = _read_exact(sock, n)
    if rest is None:
        raise EOFError(f"connection closed after the length prefix of a {n}-byte frame")
    return _decode_rest(rest, 0, n)


class FrameReader:
    """Reads frames in chunks: one ``recv`` brings every frame the job wrote at once."""

    def __init__(self, sock: socket.socket, chunk: int = 256 * 1024) -> None:
        self._sock = sock
        self._chunk = chunk
        self._buf = bytearray()

    def read(self) -> Optional[list]:
        """The frames completed by the next read (at least one); None at end-of-file between frames.

        Raises EOFError when the connection ends inside a frame.
        """
        while True:
            data = self._sock.recv(self._chunk)
            if not data:
                if self._buf:
                    raise EOFError(f"connection closed inside a frame ({len(self._buf)} bytes of it)")
                return None
            self._buf += data
            frames = self._take_frames()
            if frames:
                return frames

    def _take_frames(self) -> list:
        frames = []
        buf = self._buf
        at = 0
        while len(buf) - at >= 4:
            (n,) = _LENGTH.unpack_from(buf, at)
            if n < 5 or n > MAX_FRAME:
                raise ProtocolError(f"frame length {n} is outside 5..{MAX_FRAME}")
            if len(buf) - at - 4 < n:
                break
            frames.append(_decode_rest(buf, at + 4, at + 4 + n))
            at += 4 + n
        if at:
            del buf[:at]
        return frames


def _decode_rest(buf: Any, start: int, end: int) -> Frame:
    """Decodes the frame in ``buf[start:end]`` (after its length prefix) without copying it whole."""
    n = end - start
    if n < 5:
        raise ProtocolError(f"frame of {n} bytes has no room for type and header length")
    type_ = buf[start]
    if type_ not in NAMES:
        raise ProtocolError(f"unknown message type 0x{type_:02x}")
    (hlen,) = _LENGTH.unpack_from(buf, start + 1)
    if 5 + hlen > n:
        raise ProtocolError(f"header length {hlen} runs past the end of a {n}-byte frame")
    at = start + 5 + hlen
    try:
        header = _parse_header(str(buf[start + 5 : at], "utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ProtocolError(f"{NAMES[type_]} header is not UTF-8 JSON: {e}") from None
    if not isinstance(header, dict):
        raise ProtocolError(f"{NAMES[type_]} header is a JSON {type(header).__name__}, not an object")
    return Frame(type_, header, bytes(buf[at:end]))


def _parse_header(text: str) -> Any:
    """``json.loads(text)``, a little faster for the compact headers peers write."""
    if text[:1] != "{" or text[-1:] != "}":
        return json.loads(text)  # whitespace around, or not an object: the general way
    try:
        value, end = _SCAN_HEADER(text, 0)
    except StopIteration:
        return json.loads(text)  # says what is wrong
    if end != len(text):
        return json.loads(text)  # says what follows the value
    return value


def _read_exact(sock: socket.socket, n: int) -> Optional[bytes]:
    """n bytes, or None if the peer closed before sending any; EOFError if it closed midway."""
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            if got == 0:
                return None
            raise EOFError(f"connection closed after {got} of {n} bytes")
        got += k
    return bytes(buf)
