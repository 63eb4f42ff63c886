"""Out of memory: which errors count (the limit itself is tested on a worker process)."""

import unittest

import support  # noqa: F401  (puts src/ on sys.path)
from flowfn import _memory


class CausedByMemoryErrorTest(unittest.TestCase):
    def test_a_memory_error_itself_or_one_behind_another(self):
        self.assertTrue(_memory.caused_by_memory_error(MemoryError()))
        try:
            try:
                raise MemoryError()
            except MemoryError as e:
                raise RuntimeError("wrapped") from e
        except RuntimeError as wrapped:
            self.assertTrue(_memory.caused_by_memory_error(wrapped))
        try:
            try:
                raise MemoryError()
            except MemoryError:
                raise ValueError("while handling it")
        except ValueError as during:
            self.assertTrue(_memory.caused_by_memory_error(during))

    def test_other_errors_do_not(self):
        self.assertFalse(_memory.caused_by_memory_error(None))
        self.assertFalse(_memory.caused_by_memory_error(ValueError("x")))
        loop = RuntimeError("a")
        loop.__context__ = RuntimeError("b")
        loop.__context__.__context__ = loop
        self.assertFalse(_memory.caused_by_memory_error(loop))


if __name__ == "__main__":
    unittest.main()
