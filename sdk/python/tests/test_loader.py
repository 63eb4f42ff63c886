"""Loading handler module.function from a code directory; failures name the fix."""

import os
import sys
import tempfile
import textwrap
import unittest

import support  # noqa: F401
from flowfn._loader import LoadError, load_handler


class LoaderTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = self._tmp.name
        self._path = list(sys.path)
        self.addCleanup(self._tmp.cleanup)
        self.addCleanup(lambda: sys.path.__setitem__(slice(None), self._path))

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))

    def test_loads_function_with_sibling_and_deps_imports(self):
        self.write(".deps/depmod_x1.py", "VALUE = 'from deps'\n")
        self.write("helper_x1.py", "def twice(s): return s * 2\n")
        self.write("fn_x1.py", """
            import depmod_x1, helper_x1
            def main(event, context):
                return helper_x1.twice(depmod_x1.VALUE)
        """)
        fn = load_handler(self.dir, "fn_x1.main")
        self.assertEqual(fn(None, None), "from depsfrom deps")
        self.assertEqual(sys.path[:2], [self.dir, os.path.join(self.dir, ".deps")])

    def test_bad_handler_string(self):
        for bad in ["main", ".main", "fn.", "fn.not-ident"]:
            with self.subTest(bad), self.assertRaisesRegex(LoadError, f"handler '{bad}' must be module.function.*check --handler"):
                load_handler(self.dir, bad)

    def test_missing_file(self):
        with self.assertRaisesRegex(LoadError, "nothere.py not found.*check --handler"):
            load_handler(self.dir, "nothere.main")

    def test_missing_or_wrong_attribute(self):
        self.write("fn_x2.py", "main = 3\n")
        with self.assertRaisesRegex(LoadError, "fn_x2.py has no function 'handle'; check --handler or define def handle"):
            load_handler(self.dir, "fn_x2.handle")
        with self.assertRaisesRegex(LoadError, "fn_x2.main is a int, not a function"):
            load_handler(self.dir, "fn_x2.main")

    def test_import_raising_names_the_place_and_fix(self):
        self.write("fn_x3.py", "x = 1\nraise RuntimeError('no config')\n")
        with self.assertRaisesRegex(LoadError, "importing fn_x3.py raised RuntimeError: no config at fn_x3.py:2; fix fn_x3.py"):
            load_handler(self.dir, "fn_x3.main")
        self.assertNotIn("fn_x3", sys.modules)
        self.write("fn_x4.py", "import no_such_package_x4\n")
        with self.assertRaisesRegex(LoadError, "'no_such_package_x4' to requirements.txt"):
            load_handler(self.dir, "fn_x4.main")


if __name__ == "__main__":
    unittest.main()
