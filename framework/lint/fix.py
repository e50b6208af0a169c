"""`lint --fix`: write the expected version into a definition file, and change nothing else.

The round-trip reader gives the position of the `version` value; only that number is replaced,
so comments, quoting, order and blank lines stay byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

from framework.definitions.document import read_document
from framework.errors import ConfigError
from framework.files import write_atomically

_NUMBER = re.compile(r"[0-9]+")


def write_version(path: Path, version: int) -> None:
    """Set the top-level `version:` of the file at `path` to `version`."""
    document = read_document(path, str(path))
    data = document.data
    if data is None or "version" not in data:
        raise ConfigError(f"{path}: has no version to fix\n  fix: add `version: {version}`")
    line, column = data.lc.value("version")
    lines = document.text.splitlines(keepends=True)
    found = _NUMBER.match(lines[line], column)
    if found is None:
        raise ConfigError(
            f"{path}:{line + 1}: version is not a plain number\n  fix: write `version: {version}`"
        )
    lines[line] = lines[line][: found.start()] + str(version) + lines[line][found.end() :]
    try:
        write_atomically(path, "".join(lines))
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot be written: {exc.strerror}\n  fix: check the file's permissions"
        ) from exc
