"""Shared by the tests: puts src/ on sys.path (tests run from a fresh clone, nothing installed)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
VECTORS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "protocol", "vectors.json")

if SRC not in sys.path:
    sys.path.insert(0, SRC)
