"""Saved plans: one JSON document per plan, made to be diffed, reviewed and applied.

The document is `Plan` dumped with its field names in declaration order (format_version first)
and two-space indentation. `format_version` (framework.plan.model.FORMAT_VERSION) changes
whenever a field changes meaning; a plan of another version is refused, never guessed at.
`checksum` is the sha256 of the document without it (keys sorted, compact separators), so
any edit after saving is detected.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from framework.errors import PlanError
from framework.plan.model import FORMAT_VERSION, Plan

REPLAN = "  fix: make the plan again with `activities plan --out {path}`"


def document(plan: Plan) -> dict[str, Any]:
    """The JSON document of a plan (the checksum included)."""
    return plan.model_dump(mode="json", by_alias=True)


def dumps(plan: Plan) -> str:
    """The saved form of a plan: stable key order, one trailing newline."""
    # pydantic's serializer writes what json.dumps(indent=2, ensure_ascii=False) would, faster.
    return plan.model_dump_json(indent=2, by_alias=True) + "\n"


def save_plan(plan: Plan, path: Path) -> None:
    """Write the plan (sealed if it was not) to `path`, creating its folder."""
    if not plan.checksum:
        plan = plan.sealed()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(plan), encoding="utf-8")
    except OSError as exc:
        raise PlanError(
            f"{path}: cannot write the plan: {exc.strerror or exc}\n"
            "  fix: pass an --out path in a folder you can write to"
        ) from exc


def load_plan(path: Path) -> Plan:
    """Read a saved plan, refusing one of another format version or edited after saving."""
    raw = _read_json(path)
    version = raw.get("format_version")
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise PlanError(
            f"{path}: the plan was made by an older version of activities (format_version "
            f"{version}; this one reads {FORMAT_VERSION}, with typed steps and the order of "
            "calls); it cannot be applied or shown\n" + REPLAN.format(path=path)
        )
    if version != FORMAT_VERSION:
        raise PlanError(
            f"{path}: plan format_version {version!r} is not supported (this tool reads "
            f"{FORMAT_VERSION})\n" + REPLAN.format(path=path)
        )
    checksum = raw.get("checksum")
    body = {k: v for k, v in raw.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    if checksum != "sha256:" + hashlib.sha256(text.encode()).hexdigest():
        raise PlanError(
            f"{path}: the plan's checksum does not match its content: it was edited after it "
            "was made, or is truncated; a plan is applied only as it was reviewed\n"
            + REPLAN.format(path=path)
        )
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanError(
            f"{path}: not a plan: {where}: {first['msg']}\n" + REPLAN.format(path=path)
        ) from exc
    if plan.compute_checksum() != checksum:
        raise PlanError(
            f"{path}: the plan holds fields this tool does not know\n" + REPLAN.format(path=path)
        )
    return plan


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PlanError(
            f"{path}: no such plan file\n  fix: check the path, or make one with "
            f"`activities plan --out {path}`"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"{path}: cannot read the plan: {exc}\n" + _not_a_plan(path)) from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}\n" + _not_a_plan(path)
        ) from exc
    if not isinstance(raw, dict):
        raise PlanError(f"{path}: not a plan (expected a JSON object)\n" + _not_a_plan(path))
    return raw


def _not_a_plan(path: Path) -> str:
    """The fix for a file that is no plan at all: re-planning over it is right only for a .json
    file; for anything else (a definition passed by mistake) it would overwrite that file."""
    if path.suffix.lower() == ".json":
        return REPLAN.format(path=path)
    return (
        "  fix: pass a plan saved by `activities plan --out plans/NAME.json`; this file is not one"
    )
