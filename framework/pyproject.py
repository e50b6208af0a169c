"""Where the settings come from: `[tool.activities]` of the nearest pyproject.toml.

framework.settings turns the section into its model; reading and checking it here needs no
model class, so `activities validate` (a pre-commit hook) checks the settings as every other
command does (the same problems, framework.validators) without building them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import ValidationError

from framework.errors import ConfigError
from framework.manual import page

# The workflows read an environment's credentials from the GitHub secrets
# ACTIVITIES_<NAME>_READ_CLIENT_ID and the like, whose names allow only these characters.
# https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets
_SECRET_NAME_PART = re.compile(r"^[A-Za-z0-9_]+$")
# The built-in environment names (framework.environment resolves them): `local` is the
# embedded instance, the default; AD_HOC is what plans and locks record as the environment of
# an ad-hoc `--endpoint URL` (matched by its host alone). Plan and lock files carry the name
# "endpoint": it stays, so that the files written before read the same. Code asks
# `Target.ad_hoc` or `Instance.ad_hoc`, and compares a recorded name with AD_HOC, never with
# the word itself.
LOCAL = "local"
AD_HOC = "endpoint"
BUILT_IN_NAMES = (LOCAL, AD_HOC)


def environment_name_problems(names: Sequence[str]) -> list[str]:
    """Why each of these environment names cannot be used (each with its fix), or nothing."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        table = f"[tool.activities.environments.{name}]"
        if name in BUILT_IN_NAMES:
            problems.append(
                f"{table}: {name!r} is a built-in name (`local` is the embedded instance, "
                "`endpoint` an ad-hoc --endpoint URL)\n  fix: give the environment another name"
            )
        elif not _SECRET_NAME_PART.match(name):
            fixed = re.sub(r"[^A-Za-z0-9_]", "_", name)
            problems.append(
                f"{table}: the environment name {name!r} cannot be part of a GitHub secret name "
                f"(ACTIVITIES_{name.upper()}_READ_CLIENT_ID, which the workflows read): secret "
                "names allow only letters, digits and _\n"
                f"  fix: rename the table to [tool.activities.environments.{fixed}]"
            )
        elif name.upper() in seen:
            problems.append(
                f"{table}: the environments {name!r} and {seen[name.upper()]!r} would read the "
                f"same GitHub secrets (ACTIVITIES_{name.upper()}_...: secret names are not "
                "case-sensitive)\n  fix: rename one of them"
            )
        seen.setdefault(name.upper(), name)
    return problems


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Section:
    """`[tool.activities]` as written, and the folder its pyproject.toml is in."""

    root: Path
    values: dict[str, Any]
    pyproject: Path | None = None  # None: there is no pyproject.toml, the defaults hold


def read_section(start: Path | None = None) -> Section:
    """The section of the nearest pyproject.toml at or above START (the working folder);
    ConfigError when the file cannot be read or names an environment that cannot be."""
    start = start or Path.cwd()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Section(start.resolve(), {})
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{pyproject}: cannot read [tool.activities]: {exc}\n"
            "  fix: correct the TOML at that position"
        ) from exc
    section = data.get("tool", {}).get("activities", {})
    names = section.get("environments", {}) if isinstance(section, dict) else {}
    refused = environment_name_problems(list(names) if isinstance(names, dict) else [])
    if refused:
        raise ConfigError("\n".join(f"{pyproject}: {problem}" for problem in refused))
    return Section(pyproject.parent, section, pyproject)


def settings_error(section: Section, exc: ValidationError) -> ConfigError:
    """Every problem of the section at once, as validate reports definitions."""
    problems = "\n".join(
        f"{section.pyproject}: [tool.activities] {'.'.join(str(p) for p in error['loc'])}: "
        f"{error['msg']}"
        for error in exc.errors()
    )
    return ConfigError(
        f"{problems}\n  fix: see {page('environments.md')} and 'The type limit' in "
        f"{page('definitions.md')}, for the keys and their types"
    )


@dataclass(frozen=True)
class DefinitionSettings:
    """What checking the definitions needs of the settings: their folder and the limits."""

    root: Path
    definitions: str
    max_types: int
    max_custom_objects: int

    @property
    def definitions_dir(self) -> Path:
        return self.root / self.definitions


def definition_settings(start: Path | None = None) -> DefinitionSettings:
    """The settings validate needs, checked as load_settings checks them all."""
    from framework.validators import validate

    section = read_section(start)
    try:
        values = validate("Settings", section.values)
    except ValidationError as exc:
        raise settings_error(section, exc) from exc
    return DefinitionSettings(section.root, values["definitions"], values["max_types"],
                              values["max_custom_objects"])
