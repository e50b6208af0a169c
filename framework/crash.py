"""What an unexpected failure leaves behind: a crash log to attach to a bug report.

It holds what a maintainer needs (the command line, the versions of Python, activities and the
libraries it uses, the traceback) and no secret: credentials in URLs, tokens and the values of
the variables that hold credentials are masked. Everything here is imported only after a
crash, so it costs the commands nothing.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from framework import DISTRIBUTION, __version__

LIBRARIES = ("click", "pydantic", "pydantic-core", "ruamel.yaml", "httpx", "httpcore", "jinja2",
             "gitpython")
# Variables whose values are credentials, whatever the project names them.
_SECRET_NAME = re.compile(r"(?i)(secret|token|password|passwd|client_id|api_?key|credential)")
_URL_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@")
MASK = "<redacted>"


def write_crash_log(error: BaseException, argv: Sequence[str], *, folder: Path | None = None,
                    now: datetime | None = None,
                    environ: Mapping[str, str] | None = None) -> Path:
    """Write the crash log of `error` and return its path.

    It goes to `.activities/` of the project (git-ignored), or the temporary folder when that
    cannot be written."""
    now = now or datetime.now(UTC)
    environ = os.environ if environ is None else environ
    text = mask_secrets(_report(error, argv, now), _secret_values(environ))
    name = f"crash-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    for candidate in (folder or _project_state_dir(), Path(tempfile.gettempdir())):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            path = candidate / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError("no folder to write the crash log to")


def mask_secrets(text: str, secrets: Sequence[str] | None = None) -> str:
    """`text` with every known secret value, user:password@ in URLs and tokens masked.

    `secrets` defaults to the values of the variables that hold credentials."""
    if secrets is None:
        secrets = _secret_values(os.environ)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL_USERINFO.sub(rf"\g<1>{MASK}@", text)
    try:
        from framework.client.redact import redact
    except Exception:  # noqa: BLE001 - a crash log is written even when the client is broken
        return text
    return redact(text)


def _secret_values(environ: Mapping[str, str]) -> list[str]:
    names = {name for name in environ if _SECRET_NAME.search(name)}
    try:
        from framework.settings import load_settings

        for conf in load_settings().environments.values():
            names.update((conf.client_id_env, conf.client_secret_env))
    except Exception:  # noqa: BLE001 - broken settings may be what crashed
        pass
    # Short values ("1", "yes") would mask ordinary words of the report.
    return [environ[name] for name in names if len(environ.get(name, "")) >= 6]


def _project_state_dir() -> Path:
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "pyproject.toml").is_file():
            return folder / ".activities"
    return Path.cwd() / ".activities"


def _report(error: BaseException, argv: Sequence[str], now: datetime) -> str:
    lines = [
        "activities crash log: attach it to the bug report",
        f"time: {now:%Y-%m-%dT%H:%M:%SZ}",
        f"command: activities {' '.join(argv)}",
        f"python: {sys.version.split()[0]} ({sys.platform}, {sys.implementation.name})",
        # The code that ran, and the distribution pip installed it as (or not, in a checkout).
        f"activities: {__version__} ({DISTRIBUTION} {_version(DISTRIBUTION)})",
        *(f"{library}: {_version(library)}" for library in LIBRARIES),
        "",
        *traceback.format_exception(error),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"
