"""Frames of the Flowfn runtime protocol, version 2 (see sdk/PROTOCOL.md).

Internal to the SDK: function authors never see frames. A frame is
``len(4, big-endian) | type(1) | headerLen(4) | header | body``; the header is compact JSON
(UTF-8), but for INVOKE_COMPACT, whose header is binary (``Invoke``).
"""

from __future__ import annotations

import json
import json.scanner
import socket
import struct
from itertools import accumulate
from json.encoder import encode_basestring as _json_str  # the C one: quotes, keeps non-ASCII
from operator import itemgetter
from typing import Any, Callable, Dict, Mapping, NamedTuple, Optional, Sequence, Tuple

PROTOCOL_VERSION = 2
MAX_FRAME = 64 * 1024 * 1024  # the length prefix counts at most this many bytes

# Worker to job.
HELLO, LOADED, LOAD_FAILED = 0x01, 0x02, 0x03
RESULT, EMIT, LOG, PROGRESS, PONG = 0x10, 0x11, 0x12, 0x13, 0x20
# Job to worker.
LOAD, INVOKE, INVOKE_COMPACT, PING, STOP = 0x81, 0x90, 0x91, 0xA0, 0xA1

NAMES = {
    HELLO: "HELLO", LOADED: "LOADED", LOAD_FAILED: "LOAD_FAILED", RESULT: "RESULT",
    EMIT: "EMIT", LOG: "LOG", PROGRESS: "PROGRESS", PONG: "PONG",
    LOAD: "LOAD", INVOKE: "INVOKE", INVOKE_COMPACT: "INVOKE_COMPACT", PING: "PING", STOP: "STOP",
}

_PREFIX = struct.Struct(">IBI")  # length of the rest, type, header length
_LENGTH = struct.Struct(">I")


class ProtocolError(Exception):
    """A frame that breaks the protocol: bad length, unknown type, header not a JSON object."""


class Frame(NamedTuple):
    """One decoded frame: its message type, header (key order kept; an ``Invoke`` for
    INVOKE_COMPACT) and body."""

    type: int
    header: Any
    body: bytes = b""


class Invoke(NamedTuple):
    """An INVOKE's header, from either form: INVOKE (JSON) or INVOKE_COMPACT (binary)."""

    id: str
    function: str
    version: int
    attempt: int
    deadline: int
    memory_mb: int
    event_id: str
    source: str
    type: str
    subject: Optional[str]
    time: int
    content_type: Optional[str]
    source_identity: bool
    extensions: Dict[str, str]


# Makes a NamedTuple from a tuple of its fields without its __new__, a Python function: the
# decoder's hot path builds a Frame and an Invoke per INVOKE_COMPACT (0.1 and 0.2 µs less each)
_tuple_new = tuple.__new__

# INVOKE_COMPACT's header: version, attempt, memoryMb (u32), deadline, event time (i64), flags (u8),
# how many strings (u32); then each string's length in bytes (u32), then the strings (UTF-8)
_COMPACT = struct.Struct(">IIIqqBI")
SOURCE_IDENTITY, HAS_SUBJECT, HAS_CONTENT_TYPE, ALL_ASCII = 1, 2, 4, 8
_FIXED_STRINGS = 5  # id, function, event id, source, type
_STRING_LENGTHS = [struct.Struct(f">{n}I") for n in range(64)]


# one encoder for every header: json.dumps with options builds a new one per call
_HEADER_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_HEADER_PARSER = json.JSONDecoder()
# the parser's own scanner (C where there is one): raw_decode's whitespace skip costs a regex match
_SCAN_HEADER = json.scanner.make_scanner(_HEADER_PARSER)


def encode(type_: int, header: Dict[str, Any], body: bytes = b"") -> bytes:
    """The bytes of one frame; the header is compact JSON with non-ASCII kept as UTF-8."""
    if type_ not in NAMES:
        raise ProtocolError(f"unknown message type 0x{type_:02x}")
    if type_ == INVOKE_COMPACT:
        return encode_invoke_compact(header, body)
    h = _HEADER_JSON.encode(header)
    hb = h.encode("utf-8")
    rest = 1 + 4 + len(hb) + len(body)
    if rest > MAX_FRAME:
        raise ProtocolError(f"frame of {rest} bytes is over the {MAX_FRAME}-byte limit")
    return _PREFIX.pack(rest, type_, len(hb)) + hb + bytes(body)


# RESULT ok=true headers without headers, from after the id to before the duration, by
# (contentType, status)
_OK_MIDDLES: Dict[Tuple[Optional[str], int], bytes] = {}


def encode_ok_result(inv_id: str, content_type: Optional[str], status: int,
                     headers: Mapping[str, str], duration_us: int, body: bytes) -> bytes:
    """A RESULT ok=true frame: the same bytes as ``encode``, written without the JSON encoder
    (the worker's hot path)."""
    if type(inv_id) is not str or type(status) is not int or type(duration_us) is not int:
        return encode(RESULT, {"id": inv_id, "ok": True, "contentType": content_type,
                               "status": status, "headers": dict(headers),
                               "durationUs": duration_us}, body)
    if headers:
        ct = "null" if content_type is None else _json_str(content_type)
        hs = _HEADER_JSON.encode(dict(headers))
        hb = (f'{{"id":{_json_str(inv_id)},"ok":true,"contentType":{ct},"status":{status},'
              f'"headers":{hs},"durationUs":{duration_us}}}').encode("utf-8")
    else:  # the usual result: what lies between the id and the duration is the same each time
        middle = _OK_MIDDLES.get((content_type, status))
        if middle is None:
            ct = "null" if content_type is None else _json_str(content_type)
            middle = f',"ok":true,"contentType":{ct},"status":{status},"headers":{{}},"durationUs":'
            middle = middle.encode("utf-8")
            if len(_OK_MIDDLES) < 256:
                _OK_MIDDLES[(content_type, status)] = middle
        hb = b"".join((b'{"id":', _json_str(inv_id).encode("utf-8"), middle, b"%d}" % duration_us))
    rest = 5 + len(hb) + len(body)
    if rest > MAX_FRAME:
        raise ProtocolError(f"frame of {rest} bytes is over the {MAX_FRAME}-byte limit")
    return _PREFIX.pack(rest, RESULT, len(hb)) + hb + body


def encode_invoke_compact(invoke: Invoke, body: bytes = b"") -> bytes:
    """An INVOKE_COMPACT frame (what the job sends a worker that speaks protocol 2)."""
    strings = [invoke.id, invoke.function, invoke.event_id, invoke.source, invoke.type]
    flags = SOURCE_IDENTITY if invoke.source_identity else 0
    if invoke.subject is not None:
        strings.append(invoke.subject)
        flags |= HAS_SUBJECT
    if invoke.content_type is not None:
        strings.append(invoke.content_type)
        flags |= HAS_CONTENT_TYPE
    for name, value in (invoke.extensions or {}).items():
        strings += (name, value)
    if all(s.isascii() for s in strings):
        flags |= ALL_ASCII
    data = [s.encode("utf-8") for s in strings]
    header = (_COMPACT.pack(invoke.version, invoke.attempt, invoke.memory_mb, invoke.deadline,
                            invoke.time, flags, len(data))
              + struct.pack(f">{len(data)}I", *map(len, data)) + b"".join(data))
    rest = 5 + len(header) + len(body)
    if rest > MAX_FRAME:
        raise ProtocolError(f"frame of {rest} bytes is over the {MAX_FRAME}-byte limit")
    return _PREFIX.pack(rest, INVOKE_COMPACT, len(header)) + header + bytes(body)


def invoke_of(header: Dict[str, Any]) -> Invoke:
    """The ``Invoke`` of an INVOKE (JSON) header; ProtocolError names what it lacks."""
    try:
        e = header["event"]
        return Invoke(header["id"], header["function"], header["version"],
                      header.get("attempt", 1), header["deadline"], header.get("memoryMb", 0),
                      e["id"], e["source"], e["type"], e.get("subject"), e["time"],
                      e.get("datacontenttype"), bool(e.get("sourceIdentity")),
                      e.get("extensions") or {})
    except (KeyError, TypeError) as ex:
        raise ProtocolError(f"INVOKE header lacks {ex}: {header!r:.200}") from None


def _decode_compact(buf: Any, start: int, end: int) -> Invoke:
    """The binary header of an INVOKE_COMPACT in ``buf[start:end]``."""
    if end - start < _COMPACT.size:
        raise ProtocolError(f"INVOKE_COMPACT header of {end - start} bytes is under {_COMPACT.size}")
    version, attempt, memory_mb, deadline, time_, flags, n = _COMPACT.unpack_from(buf, start)
    at = start + _COMPACT.size
    wanted = _FIXED_STRINGS + (flags >> 1 & 1) + (flags >> 2 & 1)
    if n < wanted or (n - wanted) % 2 or at + 4 * n > end:
        raise ProtocolError(f"INVOKE_COMPACT header has {n} strings; its flags need {wanted} "
                            f"and then name-value pairs, in its {end - start} bytes")
    lengths_struct = _STRING_LENGTHS[n] if n < 64 else struct.Struct(f">{n}I")
    lengths = lengths_struct.unpack_from(buf, at)
    at += lengths_struct.size
    cut = _CUTS.get(lengths)
    if cut is None:
        cut = _cut_of(lengths)
    if at + cut.size != end:
        raise ProtocolError(f"INVOKE_COMPACT strings take {cut.size} bytes; "
                            f"its header has {end - at} for them")
    try:
        if flags & ALL_ASCII:  # one decode; a char per byte, so the lengths cut the text
            strings = cut.strings(str(buf[at:end], "ascii"))
        else:
            strings = [str(s, "utf-8") for s in cut.strings(bytes(buf[at:end]))]
    except UnicodeDecodeError as e:
        raise ProtocolError(f"INVOKE_COMPACT string is not UTF-8: {e}") from None
    i = _FIXED_STRINGS
    subject = content_type = None
    if flags & HAS_SUBJECT:
        subject = strings[i]
        i += 1
    if flags & HAS_CONTENT_TYPE:
        content_type = strings[i]
        i += 1
    pairs = n - i
    if pairs == 0:
        extensions = {}
    elif pairs == 2:  # the usual counts, written out: dict(zip(...)) costs four times as much
        extensions = {strings[i]: strings[i + 1]}
    elif pairs == 4:
        extensions = {strings[i]: strings[i + 1], strings[i + 2]: strings[i + 3]}
    else:
        extensions = dict(zip(strings[i::2], strings[i + 1::2]))
    return _tuple_new(Invoke, (strings[0], strings[1], version, attempt, deadline, memory_mb,
                               strings[2], strings[3], strings[4], subject, time_, content_type,
                               bool(flags & SOURCE_IDENTITY), extensions))


class _Cut(NamedTuple):
    """How the strings of an INVOKE_COMPACT header of given lengths are cut."""

    strings: Callable[[Any], Sequence[Any]]  # their bytes (or text, when all ASCII) -> them
    size: int  # the bytes they take


# The string lengths of INVOKE_COMPACT headers seen, each with its cut. Headers of one source
# mostly repeat their lengths; the cache is emptied when full.
_CUTS: Dict[Tuple[int, ...], _Cut] = {}
_MAX_CUTS = 4096


def _cut_of(lengths: Tuple[int, ...]) -> _Cut:
    ends = list(accumulate(lengths))
    cut = _Cut(itemgetter(*map(slice, [0, *ends[:-1]], ends)), ends[-1])
    if len(_CUTS) >= _MAX_CUTS:
        _CUTS.clear()
    _CUTS[lengths] = cut
    return cut


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
        # one buffer for every read: recv(n) would allocate n bytes (an mmap for 256 KiB) and
        # shrink and free them each time, three system calls and fresh pages per read
        self._chunk = memoryview(bytearray(chunk))
        self._buf = bytearray()

    def read(self) -> Optional[list]:
        """The frames completed by the next read (at least one); None at end-of-file between frames.

        Raises EOFError when the connection ends inside a frame.
        """
        while True:
            n = self._sock.recv_into(self._chunk)
            if not n:
                if self._buf:
                    raise EOFError(f"connection closed inside a frame ({len(self._buf)} bytes of it)")
                return None
            self._buf += self._chunk[:n]
            frames = self._take_frames()
            if frames:
                return frames

    def _take_frames(self) -> list:
        frames = []
        buf = self._buf
        at = 0
        size = len(buf)
        while size - at >= 9:
            n, type_, hlen = _PREFIX.unpack_from(buf, at)
            if n < 5 or n > MAX_FRAME:
                raise ProtocolError(f"frame length {n} is outside 5..{MAX_FRAME}")
            end = at + 4 + n
            if end > size:
                break
            if type_ == INVOKE_COMPACT and 5 + hlen <= n:  # nearly every frame: straight to it
                body = at + 9 + hlen
                frames.append(_tuple_new(Frame, (type_, _decode_compact(buf, at + 9, body),
                                                 bytes(buf[body:end]))))
            else:
                frames.append(_decode_rest(buf, at + 4, end))
            at = end
        if 4 <= size - at < 9:  # the length of a frame whose type and header length are to come
            (n,) = _LENGTH.unpack_from(buf, at)
            if n < 5 or n > MAX_FRAME:
                raise ProtocolError(f"frame length {n} is outside 5..{MAX_FRAME}")
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
    if type_ == INVOKE_COMPACT:
        return Frame(type_, _decode_compact(buf, start + 5, at), bytes(buf[at:end]))
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
