"""The frame codec against the shared vectors, plus reads that arrive in pieces."""

import json
import struct
import unittest

import support
from flowfn import _protocol as p


class OneByteAtATime:
    """A socket stand-in whose recv_into returns at most `step` bytes."""

    def __init__(self, data: bytes, step: int = 1):
        self._data, self._step = data, step

    def recv(self, n):
        k = min(n, self._step, len(self._data))
        out, self._data = self._data[:k], self._data[k:]
        return out

    def recv_into(self, view, n=0):
        k = min(n or len(view), self._step, len(self._data))
        view[:k] = self._data[:k]
        self._data = self._data[k:]
        return k


class VectorsTest(unittest.TestCase):
    def setUp(self):
        with open(support.VECTORS, encoding="utf-8") as f:
            self.doc = json.load(f)

    def test_protocol_version(self):
        self.assertEqual(self.doc["protocol"], p.PROTOCOL_VERSION)
        self.assertGreaterEqual(len(self.doc["vectors"]), 16)

    def test_every_compact_vector_decodes_and_reencodes_byte_for_byte(self):
        self.assertGreaterEqual(len(self.doc["compact"]), 3)
        for v in self.doc["compact"]:
            with self.subTest(v["name"]):
                raw = bytes.fromhex(v["frameHex"])
                frame = p.decode(raw)
                f = v["invoke"]
                want = p.Invoke(f["id"], f["function"], f["version"], f["attempt"], f["deadline"],
                                f["memoryMb"], f["eventId"], f["source"], f["type"], f["subject"],
                                f["time"], f["datacontenttype"], f["sourceIdentity"], f["extensions"])
                self.assertEqual(frame.type, p.INVOKE_COMPACT)
                self.assertEqual(frame.header, want)
                self.assertEqual(list(frame.header.extensions), list(f["extensions"]))  # order too
                self.assertEqual(frame.body, bytes.fromhex(v["bodyHex"]))
                self.assertEqual(p.encode_invoke_compact(want, frame.body), raw)
                self.assertEqual(raw[9 + 28], v["flags"])  # after the prefix: 3 x 4 + 2 x 8 bytes

    def test_a_compact_header_that_lies_about_its_strings_is_a_protocol_error(self):
        raw = bytearray(bytes.fromhex(self.doc["compact"][0]["frameHex"]))
        raw[9 + 29:9 + 33] = (4).to_bytes(4, "big")  # 4 strings: fewer than an INVOKE needs
        with self.assertRaisesRegex(p.ProtocolError, "INVOKE_COMPACT header has 4 strings"):
            p.decode(bytes(raw))
        raw = bytearray(bytes.fromhex(self.doc["compact"][0]["frameHex"]))
        raw[9 + 33:9 + 37] = (200).to_bytes(4, "big")  # the id's length runs past the header
        with self.assertRaisesRegex(p.ProtocolError, "INVOKE_COMPACT strings take"):
            p.decode(bytes(raw))

    def test_an_invoke_header_without_its_fields_is_a_protocol_error(self):
        with self.assertRaisesRegex(p.ProtocolError, "INVOKE header lacks 'event'"):
            p.invoke_of({"id": "i", "function": "f", "version": 1, "deadline": 0})

    def test_every_vector_decodes_and_reencodes_byte_for_byte(self):
        seen = set()
        for v in self.doc["vectors"]:
            with self.subTest(v["name"]):
                raw = bytes.fromhex(v["frameHex"])
                frame = p.decode(raw)
                self.assertEqual(frame.type, v["type"])
                self.assertEqual(frame.header, v["header"])
                self.assertEqual(list(frame.header), list(v["header"]))  # key order too
                self.assertEqual(frame.body, bytes.fromhex(v["bodyHex"]))
                self.assertEqual(p.encode(frame.type, frame.header, frame.body), raw)
                self.assertEqual(p.encode(v["type"], v["header"], bytes.fromhex(v["bodyHex"])), raw)
                seen.add(frame.type)
        seen |= {v["type"] for v in self.doc["compact"]}
        self.assertEqual(seen, set(p.NAMES), "every message type has a vector")

    def test_all_vectors_read_from_one_stream_in_one_byte_pieces(self):
        stream = b"".join(bytes.fromhex(v["frameHex"]) for v in self.doc["vectors"])
        sock = OneByteAtATime(stream)
        names = []
        while (frame := p.read_frame(sock)) is not None:
            names.append(p.NAMES[frame.type])
        self.assertEqual(len(names), len(self.doc["vectors"]))
        self.assertEqual(names[0], "HELLO")


class OkResultTest(unittest.TestCase):
    def test_the_fast_encoding_is_the_general_one(self):
        cases = [("i-1", None, 200, {}, 0, b""),
                 ("héllo \"✓\"\n", "text/plain; charset=utf-8", 201, {"x-a": "b", "ü": "\u2028"}, 12,
                  b"body"),
                 ("i-2", "application/json", 404, {}, 2**40, b"{}")]
        for inv_id, ct, status, headers, us, body in cases:
            with self.subTest(inv_id):
                self.assertEqual(
                    p.encode_ok_result(inv_id, ct, status, headers, us, body),
                    p.encode(p.RESULT, {"id": inv_id, "ok": True, "contentType": ct,
                                        "status": status, "headers": headers, "durationUs": us},
                             body))

    def test_a_header_with_extra_data_is_refused(self):
        header = b'{"nonce":1}{"nonce":2}'
        raw = struct.pack(">IBI", 5 + len(header), p.PONG, len(header)) + header
        with self.assertRaisesRegex(p.ProtocolError, "PONG header is not UTF-8 JSON"):
            p.decode(raw)


class FrameReaderTest(unittest.TestCase):
    def setUp(self):
        with open(support.VECTORS, encoding="utf-8") as f:
            doc = json.load(f)
        self.raws = [bytes.fromhex(v["frameHex"]) for v in doc["vectors"]]
        self.compact = [bytes.fromhex(v["frameHex"]) for v in doc["compact"]]

    def read_all(self, sock):
        reader, frames = p.FrameReader(sock), []
        while (got := reader.read()) is not None:
            self.assertTrue(got, "a read returns at least one frame")
            frames += got
        return frames

    def test_every_frame_of_one_read_comes_back_at_once(self):
        stream = b"".join(self.raws)
        frames = self.read_all(OneByteAtATime(stream, step=len(stream)))
        self.assertEqual([p.encode(f.type, f.header, f.body) for f in frames], self.raws)

    def test_frames_cut_anywhere(self):
        stream = b"".join(self.raws)
        for step in (1, 3, 7, 100):
            with self.subTest(step=step):
                frames = self.read_all(OneByteAtATime(stream, step=step))
                self.assertEqual(len(frames), len(self.raws))

    def test_end_of_file_inside_a_frame(self):
        with self.assertRaisesRegex(EOFError, "inside a frame"):
            self.read_all(OneByteAtATime(self.raws[0] + self.raws[1][:-1], step=5))

    def test_length_over_the_limit_is_refused(self):
        with self.assertRaisesRegex(p.ProtocolError, str(p.MAX_FRAME + 1)):
            p.FrameReader(OneByteAtATime((p.MAX_FRAME + 1).to_bytes(4, "big") + b"x" * 10)).read()

    def test_a_length_under_five_is_refused_before_the_type_arrives(self):
        with self.assertRaisesRegex(p.ProtocolError, "frame length 3 is outside"):
            p.FrameReader(OneByteAtATime((3).to_bytes(4, "big") + b"\x01", step=5)).read()

    def test_compact_invokes_cut_anywhere_read_as_decode_reads_them(self):
        compact = self.compact
        stream = b"".join(compact + self.raws + compact)
        want = [p.decode(raw) for raw in compact + self.raws + compact]
        for step in (1, 5, 8, 9, 10, 64, len(stream)):  # 9: a frame's length, type, header length
            with self.subTest(step=step):
                self.assertEqual(self.read_all(OneByteAtATime(stream, step=step)), want)

    def test_a_compact_header_longer_than_its_frame_is_refused(self):
        raw = bytearray(self.compact[0])
        raw[5:9] = (len(raw)).to_bytes(4, "big")
        with self.assertRaisesRegex(p.ProtocolError, "runs past the end"):
            p.FrameReader(OneByteAtATime(bytes(raw), step=len(raw))).read()

    def test_headers_of_the_same_string_lengths_keep_their_own_strings(self):
        raw = self.compact[0]
        first = p.decode(raw).header
        other = raw.replace(first.id.encode(), first.id.upper().encode())
        self.assertNotEqual(other, raw)
        frames = self.read_all(OneByteAtATime(raw + other, step=len(raw) * 2))
        self.assertEqual([f.header.id for f in frames], [first.id, first.id.upper()])
        self.assertEqual(frames[1].header._replace(id=first.id), first)


class FrameErrorsTest(unittest.TestCase):
    def test_end_of_file_inside_a_frame(self):
        raw = p.encode(p.PING, {"nonce": 1})
        with self.assertRaisesRegex(EOFError, "after 3 of"):
            p.read_frame(OneByteAtATime(raw[:3]))
        with self.assertRaises(EOFError):
            p.read_frame(OneByteAtATime(raw[:-1], step=4))

    def test_unknown_type_is_a_protocol_error_naming_it(self):
        raw = bytearray(p.encode(p.PING, {"nonce": 1}))
        raw[4] = 0x7F
        with self.assertRaisesRegex(p.ProtocolError, "0x7f"):
            p.decode(bytes(raw))
        with self.assertRaisesRegex(p.ProtocolError, "0x7f"):
            p.encode(0x7F, {})

    def test_length_over_the_limit_is_refused_before_reading_it(self):
        prefix = (p.MAX_FRAME + 1).to_bytes(4, "big")
        with self.assertRaisesRegex(p.ProtocolError, str(p.MAX_FRAME + 1)):
            p.read_frame(OneByteAtATime(prefix + b"x" * 10))

    def test_header_must_be_a_json_object_within_the_frame(self):
        bad = b"\x10" + (2).to_bytes(4, "big") + b"[]"
        with self.assertRaisesRegex(p.ProtocolError, "not an object"):
            p.decode(len(bad).to_bytes(4, "big") + bad)
        short = b"\x10" + (99).to_bytes(4, "big") + b"{}"
        with self.assertRaisesRegex(p.ProtocolError, "header length 99"):
            p.decode(len(short).to_bytes(4, "big") + short)

    def test_non_ascii_header_text_travels_as_utf8(self):
        # The shared vectors have non-ASCII only in bodies, so pin the header encoding here.
        raw = p.encode(p.LOG, {"message": "héllo ✓"})
        self.assertIn('"héllo ✓"'.encode("utf-8"), raw)
        self.assertEqual(p.decode(raw).header, {"message": "héllo ✓"})

    def test_nan_never_goes_out(self):
        with self.assertRaises(ValueError):
            p.encode(p.PROGRESS, {"fraction": float("nan")})


if __name__ == "__main__":
    unittest.main()
