"""Expensive things built once per test run, shared by every pytest-xdist worker.

`make test` runs the suite in several processes (pytest-xdist): a session- or module-scoped
fixture then runs once in each process that needs it. Those that build something slow (a
wheel, a hooks environment) build it here instead, under a file lock in the folder that all
workers of one run share, as pytest-xdist's documentation shows ("Making session-scoped
fixtures execute only once", https://pytest-xdist.readthedocs.io/en/stable/how-to.html).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole test run: every worker's basetemp is inside it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """Folder NAME of this run, made by BUILD(empty folder) by whichever worker asks first.

    The others wait for it on the lock, then use it as it is. BUILD fills a partial folder that
    is renamed when it returns, so a build that failed leaves nothing to reuse: the next worker
    that asks builds again (and fails the same way, in its own test)."""
    root = run_folder(tmp_path_factory)
    folder = root / name
    with FileLock(str(root / f"{name}.lock")):
        if not folder.is_dir():
            partial = root / f"{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            build(partial)
            partial.rename(folder)
    return folder
