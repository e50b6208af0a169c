"""This checkout's working tree as a repository of its own, for tests that build or install it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def copy_checkout(folder: Path) -> None:
    """The working tree (uncommitted edits and new files included, ignored ones not) as one
    commit in FOLDER. Builds and installs run there: never in the checkout itself, where they
    would write (an .egg-info, build/) under the feet of the tests running beside them."""
    listed = git(ROOT, "ls-files", "-co", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git(folder, "init", "--quiet")
    git(folder, "add", "-A")
    git(folder, "commit", "--quiet", "-m", "snapshot")
