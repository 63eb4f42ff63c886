"""Device log lines in, one JSON record per line out: the IoT log parser of examples/iot-logs,
smaller, in Python.

Deploy with a Kafka or MQTT trigger; each line of the message becomes a record on OUTPUT_TOPIC
(default ``iot.parsed``), keyed by device id. Standard library only.
"""

import json
import re

from flowfn import Context, Event, OutgoingEvent

LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL"}
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_PAIR = re.compile(r'([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)')
_WELL_KNOWN = {"time", "ts", "level", "fw", "firmware", "msg", "message", "device"}
MAX_LINE = 65536


class LogLineError(ValueError):
    """A line in none of the formats; the message quotes it and says why."""


def main(event: Event, context: Context):
    topic = context.env.get("OUTPUT_TOPIC", "iot.parsed")
    try:
        text = event.data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LogLineError(f"event {event.id} is not UTF-8 text: {e}") from None
    received = event.time.isoformat().replace("+00:00", "Z")
    readings = [parse_line(line, event.subject, received) for line in lines(text)]
    for r in readings:
        value = json.dumps(r, sort_keys=True).encode("utf-8")
        context.emit(OutgoingEvent.record(topic, r["device"], value))
    context.logger.info(f"{len(readings)} reading(s) -> {topic}")
    return {"readings": len(readings), "topic": topic}


def lines(text: str):
    """The message's non-blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_line(line: str, device, received: str) -> dict:
    """One reading: JSON object or ``[time] [LEVEL] key=value ...``; metrics are the numbers."""
    if len(line) > MAX_LINE:
        raise LogLineError(f"device log line of {len(line)} characters is over {MAX_LINE}")
    fields = _json_fields(line) if line.startswith("{") else _kv_fields(line)
    reading = {
        "device": device or _str(fields.get("device")),
        "time": _str(fields.get("time", fields.get("ts"))) or received,
        "level": (_str(fields.get("level")) or "INFO").upper(),
        "firmware": _str(fields.get("fw", fields.get("firmware"))),
        "message": _str(fields.get("msg", fields.get("message"))),
        "metrics": {},
        "tags": {},
    }
    if not reading["device"]:
        raise LogLineError(f"{_quote(line)} names no device: no event subject and no device= field")
    for k, v in fields.items():
        if k in _WELL_KNOWN:
            continue
        number = _number(v)
        if number is not None:
            reading["metrics"][k] = number
        else:
            reading["tags"][k] = _str(v)
    return reading


def _kv_fields(line: str) -> dict:
    fields = {}
    rest = line
    first, _, after = rest.partition(" ")
    if _TIME.fullmatch(first):
        fields["time"] = first
        rest = after.lstrip()
    first, _, after = rest.partition(" ")
    if first.upper() in LEVELS:
        fields["level"] = "WARN" if first.upper() == "WARNING" else first.upper()
        rest = after.lstrip()
    pos = 0
    while pos < len(rest):
        m = _PAIR.match(rest, pos)
        if not m:
            word = rest[pos:].split(" ", 1)[0]
            raise LogLineError(
                f"cannot parse device log line {_quote(line)}: {word!r} at character "
                f"{len(line) - len(rest) + pos + 1} is not key=value "
                '(e.g. 2026-11-24T05:00:01Z WARN temp=81.5 msg="fan slow", or a JSON object)'
            )
        value = m.group(2)
        if value.startswith('"'):
            value = json.loads(value)
        fields[m.group(1)] = value
        pos = m.end()
        while pos < len(rest) and rest[pos] == " ":
            pos += 1
    if not fields:
        raise LogLineError(f"cannot parse device log line {_quote(line)}: no fields")
    return fields


def _json_fields(line: str) -> dict:
    try:
        obj = json.loads(line)
    except ValueError as e:
        raise LogLineError(f"cannot parse device log line {_quote(line)}: {e}") from None
    if not isinstance(obj, dict):
        raise LogLineError(f"cannot parse device log line {_quote(line)}: not a JSON object")
    fields = {}
    for k, v in obj.items():
        if k in ("metrics", "fields") and isinstance(v, dict):
            fields.update(v)
        else:
            fields[k] = v
    return fields


def _number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", v):
        return float(v) if any(c in v for c in ".eE") else int(v)
    return None


def _str(v):
    if v is None:
        return None
    return v if isinstance(v, str) else json.dumps(v)


def _quote(line: str) -> str:
    return json.dumps(line[:200] + ("..." if len(line) > 200 else ""))
