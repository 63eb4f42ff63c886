#!/usr/bin/env python3
# Writes vectors.json: python3 make_vectors.py > vectors.json (standard library only).
import json, struct, sys
def frame(t, header, body=b""):
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    rest = bytes([t]) + struct.pack(">I", len(h)) + h + body
    return struct.pack(">I", len(rest)) + rest
V = []
def add(name, t, header, body=b""):
    V.append({"name": name, "type": t, "header": header, "bodyHex": body.hex(), "frameHex": frame(t, header, body).hex()})
add("hello", 0x01, {"protocol": 1, "runtime": "nodejs", "sdk": "0.1.0", "pid": 4242, "concurrency": 8})
add("load", 0x81, {"function": "thumbs", "version": 3, "handler": "index.handler", "codeDir": "/var/flowfn/code/thumbs/3", "memoryMb": 256, "env": {"BUCKET": "photos"}})
add("loaded", 0x02, {"function": "thumbs", "version": 3, "loadUs": 12345})
add("load-failed", 0x03, {"function": "thumbs", "version": 3, "kind": "CODE_LOAD", "message": "index.js exports no function 'handler'; check --handler"})
add("invoke", 0x90, {"id": "inv-1", "function": "thumbs", "version": 3, "attempt": 1, "deadline": 1767225600000, "memoryMb": 256,
    "event": {"id": "e-1", "source": "minio:photos", "type": "s3:ObjectCreated:Put", "subject": "uploads/a/b.jpg", "time": 1767225599000,
              "datacontenttype": "application/json", "sourceIdentity": True, "extensions": {"s3bucket": "photos", "s3key": "uploads/a/b.jpg"}}},
    b'{"size":1024}')
add("invoke-binary-unicode", 0x90, {"id": "inv-2", "function": "upper", "version": 1, "attempt": 2, "deadline": 1767225600500, "memoryMb": 128,
    "event": {"id": "e-2", "source": "kafka://words/0", "type": "kafka.record", "subject": None, "time": 1767225599500,
              "datacontenttype": None, "sourceIdentity": False, "extensions": {}}},
    bytes([0, 1, 2, 255]) + "héllo ✓".encode("utf-8"))
add("result-ok", 0x10, {"id": "inv-1", "ok": True, "contentType": "text/plain", "status": 200, "headers": {"x-flowfn": "1"}, "durationUs": 850}, "HÉLLO".encode("utf-8"))
add("result-error", 0x10, {"id": "inv-2", "ok": False, "kind": "HANDLER_ERROR", "message": "TypeError: x is undefined", "stack": "at handler (index.js:3:9)", "durationUs": 120})
add("emit", 0x11, {"id": "inv-1", "type": "thumbnail.created", "subject": "thumbs/a/b.jpg", "contentType": "application/json", "topic": None, "key": None}, b'{"w":128}')
add("emit-record", 0x11, {"id": "inv-1", "type": "kafka.record", "subject": None, "contentType": None, "topic": "readings", "key": "dev-7"}, b"\x01\x02")
add("log", 0x12, {"id": "inv-1", "level": "INFO", "message": "resized 1 image", "time": 1767225599100})
add("log-unicode", 0x12, {"id": "inv-1", "level": "WARN", "message": "café ✓ 日本", "time": 1767225599150})
add("progress", 0x13, {"id": "inv-1", "fraction": 0.4, "message": "40 of 100", "time": 1767225599200})
add("progress-unknown", 0x13, {"id": "inv-1", "fraction": None, "message": "cleaning up", "time": 1767225599300})
add("ping", 0xA0, {"nonce": 7})
add("pong", 0x20, {"nonce": 7})
add("stop", 0xA1, {"reason": "idle"})
# INVOKE_COMPACT (0x91, protocol 2): the header is binary (PROTOCOL.md, "INVOKE_COMPACT")
C = []
def compact(name, inv, body=b""):
    strings = [inv["id"], inv["function"], inv["eventId"], inv["source"], inv["type"]]
    flags = 1 if inv["sourceIdentity"] else 0
    if inv["subject"] is not None:
        strings.append(inv["subject"]); flags |= 2
    if inv["datacontenttype"] is not None:
        strings.append(inv["datacontenttype"]); flags |= 4
    for k, v in inv["extensions"].items():
        strings += [k, v]
    if all(s.isascii() for s in strings):
        flags |= 8
    data = [s.encode("utf-8") for s in strings]
    h = struct.pack(">IIIqqBI", inv["version"], inv["attempt"], inv["memoryMb"], inv["deadline"], inv["time"], flags, len(data))
    h += struct.pack(">%dI" % len(data), *map(len, data)) + b"".join(data)
    rest = bytes([0x91]) + struct.pack(">I", len(h)) + h + body
    C.append({"name": name, "type": 0x91, "invoke": inv, "flags": flags, "bodyHex": body.hex(), "frameHex": (struct.pack(">I", len(rest)) + rest).hex()})
compact("invoke-compact", {"id": "inv-1", "function": "thumbs", "version": 3, "attempt": 1, "deadline": 1767225600000, "memoryMb": 256,
    "eventId": "e-1", "source": "minio:photos", "type": "s3:ObjectCreated:Put", "subject": "uploads/a/b.jpg", "time": 1767225599000,
    "datacontenttype": "application/json", "sourceIdentity": True, "extensions": {"s3bucket": "photos", "s3key": "uploads/a/b.jpg"}},
    b'{"size":1024}')
compact("invoke-compact-unicode", {"id": "inv-2", "function": "upper", "version": 1, "attempt": 2, "deadline": 1767225600500, "memoryMb": 128,
    "eventId": "e-2", "source": "kafka://wörds/0", "type": "kafka.record", "subject": None, "time": 1767225599500,
    "datacontenttype": None, "sourceIdentity": False, "extensions": {"note": "héllo ✓"}},
    bytes([0, 1, 2, 255]) + "héllo ✓".encode("utf-8"))
compact("invoke-compact-bare", {"id": "inv-3", "function": "f", "version": 7, "attempt": 3, "deadline": -1, "memoryMb": 0,
    "eventId": "e-3", "source": "cron:nightly", "type": "timer.fired", "subject": "k", "time": 0,
    "datacontenttype": None, "sourceIdentity": False, "extensions": {}})
json.dump({"protocol": 2, "note": "Each frame, as bytes (frameHex), is what PROTOCOL.md describes for the given type, header (keys in this order, compact JSON) and body. 'compact' holds INVOKE_COMPACT frames (protocol 2), whose header is binary: 'invoke' gives its fields, 'flags' its flags byte.", "vectors": V, "compact": C}, sys.stdout, indent=2, ensure_ascii=False)
print()
