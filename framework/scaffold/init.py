"""Start a repository: check what is there, refuse to overwrite, then write everything.

Nothing is written unless everything can be: the refusal lists every file in the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from framework import __version__
from framework.errors import ActivitiesError, ConfigError, FileAccessError
from framework.files import write_atomically
from framework.pyproject import environment_name_problems
from framework.scaffold.files import DEPENDABOT, GITIGNORE_BLOCKS, owned_files
from framework.scaffold.pins import (
    GITLAB_REQUIREMENTS,
    PRECOMMIT,
    REQUIREMENTS,
    development_warning,
)
from framework.scaffold.precommit import with_hooks
from framework.scaffold.pyproject import has_settings, with_settings

PYPROJECT = "pyproject.toml"
GITIGNORE = ".gitignore"


class InitRefusedError(ActivitiesError):
    """init would overwrite files the user has."""


@dataclass
class InitReport:
    """What init did, path by path, in the order it did it."""

    written: list[str] = field(default_factory=list)  # created or overwritten whole
    # overwritten whole (--force) while they said something else: the user's edits are gone
    replaced: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # merged into an existing file
    kept: list[str] = field(default_factory=list)  # had what init adds already
    pinned: list[str] = field(default_factory=list)  # files that name this version to install
    warnings: list[str] = field(default_factory=list)  # for the user, each with its fix


def init_repository(root: Path, *, force: bool, definitions: str = "activities",
                    version: str = __version__, ci: str = "github") -> InitReport:
    """Write settings, folders, CI's pipeline (CI: github or gitlab) and hooks into ROOT
    (refusing to overwrite), pinning VERSION (this build's) for the pipeline and the hooks."""
    pyproject = root / PYPROJECT
    old_pyproject = _read(pyproject)
    if old_pyproject is not None:
        _check_toml(pyproject, old_pyproject)
        _check_environment_names(pyproject, _environments(old_pyproject))
    files = owned_files(definitions, version, ci, _environments(old_pyproject))
    present = [str(f.path) for f in files
               if (root / f.path).exists() and f.text and not (f.refreshed or f.seeded)]
    if old_pyproject is not None and has_settings(old_pyproject):
        present.insert(0, f"{PYPROJECT} [tool.activities]")
    if present and not force:
        raise InitRefusedError(
            f"{root}: already set up for activities: {', '.join(present)}; nothing was "
            f"written\n  fix: run `activities init{_ci_option(ci)} --force` to write those "
            "files again (existing [tool.activities] keys are kept)"
        )
    report = InitReport()
    new_pyproject = with_settings(old_pyproject, definitions, ci)
    _record(report, PYPROJECT, old_pyproject, new_pyproject)
    _write(pyproject, new_pyproject)
    for item in files:
        target = root / item.path
        if not item.text and target.exists():
            continue  # a placeholder such as plans/.gitkeep: an existing folder is enough
        if item.seeded and target.exists():
            report.kept.append(str(item.path))
            report.warnings += _dependabot_problems(target)
            continue
        if item.refreshed:
            old = _read(target)
            if old != item.text:
                _write(target, item.text)
            _record(report, str(item.path), old, item.text)
            continue
        old = _read(target)
        _write(target, item.text)
        changed = old is not None and old != item.text
        (report.replaced if changed else report.written).append(str(item.path))
        if str(item.path) in (REQUIREMENTS, GITLAB_REQUIREMENTS):
            report.pinned.append(str(item.path))
    _merge_precommit(root, report, version)
    _merge_gitignore(root, report)
    warning = development_warning(version, report.pinned)
    if warning:
        report.warnings.append(warning)
    return report


def _check_toml(path: Path, text: str) -> None:
    """Refuse, before writing anything, a pyproject.toml that is not TOML (as every command
    does), rather than fail in the middle of rewriting it."""
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot read [tool.activities]: {exc}\n"
                          "  fix: correct the TOML at that position") from exc


def _dependabot_problems(path: Path) -> list[str]:
    """What the user's Dependabot config lacks for the workflows' pinned actions."""
    text = _read(path) or ""
    if re.search(r"package-ecosystem:\s*[\"']?github-actions\b", text):
        return []
    return [f"{DEPENDABOT} has no `github-actions` entry, so nothing updates the commits the "
            "workflows' actions are pinned to\n  fix: add to its `updates:` `- "
            "{package-ecosystem: github-actions, directory: /, schedule: {interval: weekly}}` "
            "(and `- {package-ecosystem: pip, directory: /.github, schedule: {interval: "
            "weekly}}` to bump .github/activities-requirements.txt)"]


def _environments(pyproject: str | None) -> tuple[str, ...]:
    """The environments pyproject.toml names, in its order (GitLab's apply jobs follow them)."""
    import tomllib

    try:
        data = tomllib.loads(pyproject or "")
    except tomllib.TOMLDecodeError:
        return ()  # _check_toml refused it
    named = data.get("tool", {}).get("activities", {}).get("environments", {})
    return tuple(named) if isinstance(named, dict) else ()


def _ci_option(ci: str) -> str:
    return "" if ci == "github" else f" --ci {ci}"


def _check_environment_names(pyproject: Path, names: tuple[str, ...]) -> None:
    """The workflows init writes read secrets named after each environment: refuse a name
    that cannot be part of one before writing them."""
    problems = environment_name_problems(names)
    if problems:
        raise InitRefusedError("\n".join(f"{pyproject}: {problem}" for problem in problems))


def _merge_precommit(root: Path, report: InitReport, version: str) -> None:
    path = root / PRECOMMIT
    old = _read(path)
    text, changed, pinned = with_hooks(old, version)
    if changed:
        _write(path, text)
    _record(report, PRECOMMIT, old, text if changed else old)
    if pinned:
        report.pinned.append(PRECOMMIT)


def _merge_gitignore(root: Path, report: InitReport) -> None:
    path = root / GITIGNORE
    old = _read(path)
    lines = {line.strip() for line in (old or "").splitlines()}
    added = []
    for comment, rules in GITIGNORE_BLOCKS:
        missing = [rule for rule in rules if rule not in lines]
        if missing:  # the comment only with rules: a block the user has already stays as is
            added += [comment, *missing]
    if not added:
        report.kept.append(GITIGNORE)
        return
    prefix = (old or "").rstrip("\n")
    text = (prefix + "\n\n" if prefix else "") + "\n".join(added) + "\n"
    _write(path, text)
    _record(report, GITIGNORE, old, text)


def _record(report: InitReport, name: str, old: str | None, new: str | None) -> None:
    if old is None:
        report.written.append(name)
    elif old == new:
        report.kept.append(name)
    else:
        report.updated.append(name)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileAccessError(f"{path}: cannot read it: {exc}\n  fix: make it a readable "
                              "UTF-8 file, or move it away") from exc


def _write(path: Path, text: str) -> None:
    """Write atomically, creating folders: a new file gets the user's umask, an existing one
    keeps its mode."""
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise FileAccessError(f"{path}: cannot write it: {exc.strerror or exc}\n  fix: run "
                              "init in a folder you can write to") from exc
