"""The user API: Event, Result, OutgoingEvent, Context.progress, and return-value conversion."""

import unittest
from datetime import datetime, timedelta, timezone

import support  # noqa: F401
from flowfn import Event, OutgoingEvent, Result
from flowfn._calling import BadResult, to_result
from flowfn.context import progress_line
from flowfn.testing import TestContext


class EventTest(unittest.TestCase):
    def test_text_json_and_read_only_extensions(self):
        e = Event(id="e-1", source="kafka://w/0", type="kafka.record", data=b'{"a":[1]}',
                  extensions={"k": "v"}, time=datetime(2026, 1, 1, tzinfo=timezone.utc))
        self.assertEqual(e.json(), {"a": [1]})
        self.assertEqual(e.text(), '{"a":[1]}')
        self.assertIsNone(e.subject)
        with self.assertRaises(TypeError):
            e.extensions["k"] = "w"  # type: ignore[index]
        with self.assertRaises(AttributeError):
            e.id = "other"  # type: ignore[misc]

    def test_time_is_utc_and_must_be_aware(self):
        plus2 = timezone(timedelta(hours=2))
        e = Event(id="e", source="s", type="t", time=datetime(2026, 1, 1, 2, tzinfo=plus2))
        self.assertEqual(e.time, datetime(2026, 1, 1, tzinfo=timezone.utc))
        self.assertEqual(e.time.tzinfo, timezone.utc)
        with self.assertRaisesRegex(ValueError, "2026"):
            Event(id="e", source="s", type="t", time=datetime(2026, 1, 1))

    def test_data_must_be_bytes(self):
        with self.assertRaisesRegex(TypeError, "str"):
            Event(id="e", source="s", type="t", data="text")  # type: ignore[arg-type]


class ResultTest(unittest.TestCase):
    def test_factories(self):
        self.assertEqual(Result.text("héllo").data, "héllo".encode())
        self.assertEqual(Result.text("x").content_type, "text/plain")
        self.assertEqual(Result.json({"a": "é"}).data, '{"a": "é"}'.encode())
        self.assertEqual(Result.json([1]).content_type, "application/json")
        self.assertEqual(Result.ok(b"\x00").content_type, "application/octet-stream")
        self.assertEqual(Result.ok(bytearray(b"x"), "image/png").data, b"x")
        empty = Result.empty()
        self.assertEqual((empty.data, empty.content_type, empty.status), (b"", None, 200))

    def test_with_status_and_header_copy(self):
        base = Result.text("x")
        r = base.with_status(404).with_header("x-a", "1").with_header("x-b", "2")
        self.assertEqual((r.status, dict(r.headers)), (404, {"x-a": "1", "x-b": "2"}))
        self.assertEqual((base.status, dict(base.headers)), (200, {}))
        self.assertEqual(r, Result.text("x").with_status(404).with_header("x-a", "1").with_header("x-b", "2"))

    def test_immutable(self):
        r = Result.text("x")
        with self.assertRaises(AttributeError):
            r._status = 500  # type: ignore[misc]
        with self.assertRaises(TypeError):
            r.headers["x"] = "y"  # type: ignore[index]

    def test_validation_names_the_bad_value(self):
        with self.assertRaisesRegex(ValueError, "HTTP status 600"):
            Result.empty().with_status(600)
        with self.assertRaisesRegex(ValueError, "'bad name'"):
            Result.empty().with_header("bad name", "v")
        with self.assertRaisesRegex(ValueError, "x-a.*'a\\\\nb'"):
            Result.empty().with_header("x-a", "a\nb")
        with self.assertRaisesRegex(ValueError, "content type ' '"):
            Result.ok(b"", " ")
        with self.assertRaisesRegex(TypeError, "str"):
            Result.ok("text")  # type: ignore[arg-type]
        with self.assertRaisesRegex(ValueError, "set"):
            Result.json({1, 2})


class OutgoingEventTest(unittest.TestCase):
    def test_of_json_record(self):
        e = OutgoingEvent.of("thumb.created", "a.jpg", b"\x01", "image/jpeg")
        self.assertEqual((e.type, e.subject, e.data, e.content_type, e.topic), ("thumb.created", "a.jpg", b"\x01", "image/jpeg", None))
        j = OutgoingEvent.json("t", None, {"n": 1})
        self.assertEqual((j.data, j.content_type), (b'{"n": 1}', "application/json"))
        r = OutgoingEvent.record("readings", "dev-7", b"\x01\x02")
        self.assertEqual((r.type, r.subject, r.topic, r.key, r.data), ("kafka.record", None, "readings", "dev-7", b"\x01\x02"))

    def test_topic_names_as_java_checks_them(self):
        for bad in ["", ".", "..", "a b", "x" * 250, "tópico"]:
            with self.subTest(bad), self.assertRaisesRegex(ValueError, "not a valid Kafka topic"):
                OutgoingEvent.record(bad, None, b"")
        for internal in ["flowfn.events", "__consumer_offsets"]:
            with self.subTest(internal), self.assertRaisesRegex(ValueError, f"'{internal}' is internal"):
                OutgoingEvent.record(internal, None, b"")
        self.assertEqual(OutgoingEvent.record("a" * 249, None, b"").topic, "a" * 249)

    def test_validation(self):
        with self.assertRaisesRegex(ValueError, "event type ' '"):
            OutgoingEvent.of(" ", None, b"")
        with self.assertRaisesRegex(TypeError, "data is a str"):
            OutgoingEvent.of("t", None, "text")  # type: ignore[arg-type]


class ProgressTest(unittest.TestCase):
    def test_fraction_or_message_only(self):
        ctx = TestContext()
        ctx.progress(0.4, "40 of 100")
        ctx.progress("cleaning up")
        ctx.progress(float("nan"), "unknown")
        ctx.progress(1, "done")
        self.assertEqual([(r.fraction, r.message) for r in ctx.progress_reports],
                         [(0.4, "40 of 100"), (None, "cleaning up"), (None, "unknown"), (1.0, "done")])

    def test_validation_like_java(self):
        ctx = TestContext()
        with self.assertRaisesRegex(ValueError, "progress fraction 1.5 is outside 0..1"):
            ctx.progress(1.5, "x")
        with self.assertRaisesRegex(ValueError, "-0.1"):
            ctx.progress(-0.1, "x")
        with self.assertRaisesRegex(TypeError, "'half'"):
            ctx.progress("half", "x")  # type: ignore[arg-type]
        with self.assertRaisesRegex(TypeError, "message None"):
            ctx.progress(0.5)
        self.assertEqual(ctx.progress_reports, [])

    def test_line(self):
        self.assertEqual(progress_line(0.4, "m"), "[progress 40%] m")
        self.assertEqual(progress_line(0.125, "m"), "[progress 12.5%] m")
        self.assertEqual(progress_line(None, "m"), "[progress] m")


class ToResultTest(unittest.TestCase):
    def test_conversions(self):
        self.assertEqual(to_result("hi"), Result.text("hi"))
        self.assertEqual(to_result(b"\x00"), Result.ok(b"\x00"))
        self.assertEqual(to_result({"a": 1}), Result.json({"a": 1}))
        self.assertEqual(to_result([1]), Result.json([1]))
        r = Result.empty().with_status(204)
        self.assertIs(to_result(r), r)

    def test_anything_else_says_what_to_return(self):
        for value, named in [(None, "None"), (42, "int"), (1.5, "float"), (object(), "object")]:
            with self.subTest(named), self.assertRaisesRegex(BadResult, f"returned .*{named}.*return a str"):
                to_result(value)
        with self.assertRaisesRegex(BadResult, "not JSON"):
            to_result({"a": object()})


if __name__ == "__main__":
    unittest.main()
