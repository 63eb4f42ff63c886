"""Loads a handler ``module.function`` from a function's code directory."""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from typing import Any, Callable


class LoadError(Exception):
    """The code cannot be loaded; the message names the fix."""


def load_handler(code_dir: str, handler: str) -> Callable[..., Any]:
    """Imports ``<code_dir>/<module>.py`` and returns its attribute ``<function>``.

    ``code_dir`` goes on sys.path (so the module can import its siblings), and with it
    ``code_dir/.deps`` and ``code_dir/site-packages`` where requirements were installed.
    Raises LoadError when the handler string, file or attribute is wrong or the import raises
    (MemoryError excepted: it propagates).
    """
    module_name, _, attr = handler.rpartition(".") if isinstance(handler, str) else ("", "", "")
    if not module_name or not attr.isidentifier():
        raise LoadError(
            f"handler {handler!r} must be module.function, e.g. handler.main for "
            "def main(event, context) in handler.py; check --handler"
        )
    if not os.path.isdir(code_dir):
        raise LoadError(f"code directory {code_dir} does not exist; deploy the function again")
    rel = module_name.replace(".", "/") + ".py"
    path = os.path.join(code_dir, rel)
    if not os.path.isfile(path):
        raise LoadError(
            f"{rel} not found in the function's code; check --handler "
            f"({handler!r} means def {attr}(event, context) in {rel})"
        )
    _add_to_path(code_dir)
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # as a plain import would, so pickling and dataclasses work
    try:
        spec.loader.exec_module(module)
    except MemoryError:
        sys.modules.pop(module_name, None)
        raise  # not a load error: the worker is out of memory (it exits with status 3)
    except (Exception, SystemExit) as e:
        sys.modules.pop(module_name, None)
        raise LoadError(_import_failure(rel, code_dir, e)) from None
    fn = getattr(module, attr, None)
    if fn is None:
        raise LoadError(
            f"{rel} has no function {attr!r}; check --handler or define "
            f"def {attr}(event, context) in {rel}"
        )
    if not callable(fn):
        raise LoadError(
            f"{module_name}.{attr} is a {type(fn).__name__}, not a function; check --handler"
        )
    return fn


def _add_to_path(code_dir: str) -> None:
    dirs = [code_dir] + [
        d for d in (os.path.join(code_dir, ".deps"), os.path.join(code_dir, "site-packages"))
        if os.path.isdir(d)
    ]
    for d in reversed(dirs):
        if d not in sys.path:
            sys.path.insert(0, d)


def _import_failure(rel: str, code_dir: str, e: BaseException) -> str:
    where = ""
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        if os.path.abspath(frame.filename).startswith(os.path.abspath(code_dir) + os.sep):
            where = f" at {os.path.relpath(frame.filename, code_dir)}:{frame.lineno}"
            break
    if isinstance(e, ModuleNotFoundError):
        fix = f"add the package that provides {e.name!r} to requirements.txt"
    else:
        fix = f"fix {rel} so it imports without errors"
    return f"importing {rel} raised {type(e).__name__}: {e}{where}; {fix}"
