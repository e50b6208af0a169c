"""Where each environment's lock file lives, reading it, and writing it atomically.

A named environment's lock is committed beside the definitions: `activities/.lock/NAME.json`
(the loader ignores hidden folders). An ad-hoc `--endpoint URL` is named after its host:
`activities/.lock/endpoint-HOST-PORT.json`. The built-in `local` instance keeps its state in
git-ignored `.activities/`, and so does its lock (`.activities/lock/local.json`): a lock of a
state nobody else has must not show up in the user's commits.

Reading never fails: a missing, unreadable or newer lock is "no lock", with a note saying why,
so that commands can say what they fall back to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from framework.environment import LOCAL, Target
from framework.errors import ConfigError
from framework.files import write_atomically
from framework.lock.model import LOCK_FORMAT_VERSION, Lock
from framework.pyproject import AD_HOC
from framework.settings import Settings, load_settings

LOCK_FOLDER = ".lock"
ENDPOINT_PREFIX = f"{AD_HOC}-"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class LockRead:
    """A lock file read: the lock, or None and the reason (for "falls back to ..." lines)."""

    path: Path
    lock: Lock | None
    note: str = ""
    refused: bool = False  # a lock is there, but not of this instance (framework.lock.binding)


def lock_name(target: Target) -> str:
    """The lock's name for a target: the environment's name, or `endpoint-HOST` for --endpoint."""
    if target.ad_hoc:
        return ENDPOINT_PREFIX + _UNSAFE.sub("-", target.host).strip("-")
    return target.name


# A lock nested deeper than the JSON parser's stack (a lock crafted in a pull request).
TOO_DEEP = "nested too deeply to be a lock"


def lock_path(settings: Settings, name: str) -> Path:
    """The lock file of environment `name` (see the module docstring for why local differs)."""
    if name == LOCAL:
        return settings.state_dir / "lock" / f"{LOCAL}.json"
    return settings.definitions_dir / LOCK_FOLDER / f"{_UNSAFE.sub('-', name)}.json"


def load_lock(path: Path) -> LockRead:
    """Read the lock at `path`; never raises: the note says why there is none."""
    if not path.is_file():
        return LockRead(path, None, f"no lock file at {path} (no apply has recorded one yet)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return LockRead(path, None, f"the lock file {path} cannot be read ({exc})")
    except RecursionError:
        return LockRead(path, None, f"the lock file {path} cannot be read ({TOO_DEEP})")
    return _validated(path, data)


def _validated(path: Path, data: object) -> LockRead:
    version = data.get("format_version") if isinstance(data, dict) else None
    if isinstance(version, int) and version > LOCK_FORMAT_VERSION:
        return LockRead(
            path, None,
            f"the lock file {path} has format_version {version}, newer than this tool's "
            f"{LOCK_FORMAT_VERSION} (upgrade activities to use it)",
        )
    try:
        return LockRead(path, Lock.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return LockRead(
            path, None, f"the lock file {path} is not a lock this tool can read "
            f"({where}: {first['msg']}); the next apply rewrites it",
        )


def read_lock(env: str, settings: Settings | None = None) -> Lock | None:
    """The lock of environment `env` (`local`, a named one, or `endpoint-HOST`), or None: also
    when it was written for another instance than `env` is now (framework.lock.binding)."""
    from framework.invocation import NO_OPTIONS
    from framework.lock.binding import environment_instance, read_bound_lock

    settings = settings or load_settings()
    here = environment_instance(settings, env)
    if here is None:  # an ad-hoc endpoint's lock: its name is its host
        return load_lock(lock_path(settings, env)).lock
    # Only the lock is returned, not the note that says how to rebuild it: no command to word.
    return read_bound_lock(settings, here, env, invocation=NO_OPTIONS).lock


def lock_text(lock: Lock) -> str:
    """The lock file's text: sorted keys, two-space indentation, one trailing newline."""
    return json.dumps(lock.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def parse_lock(text: str, where: Path) -> LockRead:
    """A lock from its text (a file at another commit, say), as load_lock reads one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return LockRead(where, None, f"the lock file {where} cannot be read ({exc})")
    except RecursionError:
        return LockRead(where, None, f"the lock file {where} cannot be read ({TOO_DEEP})")
    return _validated(where, data)


def write_lock(path: Path, lock: Lock) -> None:
    """Write atomically: a temporary file beside it, fsynced, then renamed over the old one.

    A crash at any point leaves either the previous lock or the new one, never a mix."""
    try:
        write_atomically(path, lock_text(lock))
    except OSError as exc:
        raise ConfigError(_cannot_write(path, exc)) from exc


def _cannot_write(path: Path, exc: OSError) -> str:
    return (
        f"the lock file {path} cannot be written: {exc.strerror or exc}\n"
        "  fix: check the folder's permissions; the live types are applied, and the next "
        "apply records them"
    )
