"""PYTHONPATH=../../sdk/python/src python3 -m unittest discover -s tests (from this folder)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import handler  # noqa: E402
from flowfn.testing import TestContext, TestEvent, invoke  # noqa: E402


def kafka_event(device, text):
    return TestEvent.builder().type("kafka.record").subject(device).data(text).build()


class ParseDeviceLogTest(unittest.TestCase):
    def test_key_value_line_becomes_one_record_keyed_by_device(self):
        ctx = TestContext()
        line = '2026-11-24T05:00:01Z WARN temp=81.5 unit=C fw=1.4.2 msg="fan \\"slow\\""'
        result = invoke(handler.main, kafka_event("sensor-7", line), ctx)
        self.assertEqual(json.loads(result.data), {"readings": 1, "topic": "iot.parsed"})
        self.assertEqual(len(ctx.emitted), 1)
        out = ctx.emitted[0]
        self.assertEqual(out.topic, "iot.parsed")
        self.assertEqual(out.key, "sensor-7")
        self.assertEqual(
            json.loads(out.data),
            {
                "device": "sensor-7",
                "time": "2026-11-24T05:00:01Z",
                "level": "WARN",
                "firmware": "1.4.2",
                "message": 'fan "slow"',
                "metrics": {"temp": 81.5},
                "tags": {"unit": "C"},
            },
        )
        self.assertEqual(ctx.log_lines(), ["INFO 1 reading(s) -> iot.parsed"])

    def test_json_lines_and_several_lines_per_message(self):
        ctx = TestContext(env={"OUTPUT_TOPIC": "readings"})
        text = (
            '{"time":"2026-11-24T05:00:02Z","level":"error","metrics":{"v":3.3},"device":"d-1"}\n'
            "\n"
            "temp=20 door=open\n"
        )
        invoke(handler.main, kafka_event(None, text.replace("temp=20", "device=d-2 temp=20")), ctx)
        records = [json.loads(e.data) for e in ctx.emitted]
        self.assertEqual([e.topic for e in ctx.emitted], ["readings", "readings"])
        self.assertEqual([r["device"] for r in records], ["d-1", "d-2"])
        self.assertEqual(records[0]["level"], "ERROR")
        self.assertEqual(records[0]["metrics"], {"v": 3.3})
        self.assertEqual(records[1]["metrics"], {"temp": 20})
        self.assertEqual(records[1]["tags"], {"door": "open"})
        self.assertEqual(records[1]["level"], "INFO")
        self.assertTrue(records[1]["time"].endswith("Z"), "no time: the event's time")

    def test_a_bad_line_fails_the_message_quoting_the_line_and_emits_nothing(self):
        ctx = TestContext()
        with self.assertRaises(handler.LogLineError) as caught:
            invoke(handler.main, kafka_event("d-1", "temp=1\nhello world"), ctx)
        self.assertIn('cannot parse device log line "hello world"', str(caught.exception))
        self.assertIn("'hello' at character 1 is not key=value", str(caught.exception))
        self.assertEqual(ctx.emitted, [])

    def test_no_device_is_an_error(self):
        with self.assertRaisesRegex(handler.LogLineError, "names no device"):
            handler.parse_line("temp=1", None, "2026-01-01T00:00:00Z")


if __name__ == "__main__":
    unittest.main()
