"""The test kit a function author uses: TestContext, TestEvent, invoke."""

import asyncio
import unittest
from datetime import datetime, timedelta, timezone

import support  # noqa: F401
from flowfn import Level, OutgoingEvent, Result
from flowfn.testing import BadResult, TestContext, TestEvent, invoke


def thumbnail(event, context):
    size = int(context.env["THUMB_SIZE"])
    print(f"resizing {event.subject}")
    context.logger.info(f"resized to {size}")
    context.logger.warning("slow disk")
    context.progress(0.5, "half")
    context.emit(OutgoingEvent.json("thumbnail.created", event.subject, {"size": size}))
    return {"size": size}


class TestContextTest(unittest.TestCase):
    def test_records_logs_progress_and_emits_in_order(self):
        ctx = TestContext(env={"THUMB_SIZE": "200"})
        event = TestEvent.builder().subject("cat.jpg").build()
        result = invoke(thumbnail, event, ctx)
        self.assertEqual(result, Result.json({"size": 200}))
        self.assertEqual(ctx.log_lines(), ["INFO resizing cat.jpg", "INFO resized to 200",
                                           "WARN slow disk", "INFO [progress 50%] half"])
        self.assertEqual(ctx.logs[2].level, Level.WARN)
        self.assertEqual([(r.fraction, r.message) for r in ctx.progress_reports], [(0.5, "half")])
        self.assertEqual(ctx.emitted, [OutgoingEvent.json("thumbnail.created", "cat.jpg", {"size": 200})])

    def test_defaults_and_remaining(self):
        ctx = TestContext(timeout=timedelta(seconds=10))
        self.assertEqual((ctx.function_name, ctx.function_version, ctx.invocation_id, ctx.attempt, ctx.memory_mb),
                         ("test", 1, "test-invocation", 1, 256))
        self.assertTrue(timedelta(seconds=9) < ctx.remaining() <= timedelta(seconds=10))
        self.assertEqual(TestContext(timeout=timedelta(seconds=-1)).remaining(), timedelta(0))
        with self.assertRaises(TypeError):
            ctx.env["X"] = "1"  # type: ignore[index]

    def test_emit_takes_only_outgoing_events(self):
        with self.assertRaisesRegex(TypeError, "not dict"):
            TestContext().emit({"type": "x"})  # type: ignore[arg-type]


class TestEventTest(unittest.TestCase):
    def test_builder_and_shortcuts(self):
        t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        e = (TestEvent.builder().id("e-1").source("mqtt://b/t").type("mqtt.message").subject("dev-1")
             .time(t).data_content_type("text/plain").data("héllo").extension("qos", "1")
             .source_identity(True).build())
        self.assertEqual((e.id, e.source, e.type, e.subject, e.time, e.data_content_type, e.data, dict(e.extensions), e.source_identity),
                         ("e-1", "mqtt://b/t", "mqtt.message", "dev-1", t, "text/plain", "héllo".encode(), {"qos": "1"}, True))
        j = TestEvent.json({"n": 1})
        self.assertEqual((j.type, j.json(), j.data_content_type), ("flowfn.invoke", {"n": 1}, "application/json"))
        self.assertEqual(TestEvent.text("x").text(), "x")
        self.assertNotEqual(TestEvent.builder().build().id, TestEvent.builder().build().id)

    def test_builder_validates_on_build(self):
        with self.assertRaisesRegex(ValueError, "timezone-aware"):
            TestEvent.builder().time(datetime(2026, 1, 1)).build()


class InvokeTest(unittest.TestCase):
    def test_async_handler(self):
        async def handler(event, context):
            await asyncio.sleep(0)
            return event.text().upper()

        self.assertEqual(invoke(handler, TestEvent.text("abc")).data, b"ABC")

    def test_bad_result_and_errors_propagate(self):
        with self.assertRaisesRegex(BadResult, "returned None"):
            invoke(lambda e, c: None, TestEvent.text(""))
        with self.assertRaisesRegex(ZeroDivisionError, "division"):
            invoke(lambda e, c: 1 / 0, TestEvent.text(""))


if __name__ == "__main__":
    unittest.main()
