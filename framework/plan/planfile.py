"""Saved plans: one JSON document per plan, made to be diffed, reviewed and applied.

The document is `Plan` dumped with its field names in declaration order (format_version first)
and two-space indentation. `format_version` (framework.plan.model.FORMAT_VERSION) changes
whenever a field changes meaning; a plan of another version is refused, never guessed at.
`checksum` is the sha256 of the document without it (compact, in declaration order), so an
accidental edit or a truncation is detected; a deliberate edit can recompute it. With a plan
key (ACTIVITIES_PLAN_KEY, a CI secret) plans are also signed: `signature` is an HMAC-SHA256 of
the document without checksum and signature, which only a holder of the key can recompute.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from framework.errors import PlanError
from framework.files import write_atomically
from framework.invocation import Invocation
from framework.plan.model import FORMAT_VERSION, Plan

REPLAN = "  fix: make the plan again with `{command}`"

# A saved plan is input like a definition file: bounded before it is parsed. A plan of 1,000
# types with their recorded definitions and live state is about 10 MB; it nests 8 levels.
MAX_PLAN_BYTES = 64_000_000
MAX_PLAN_NESTING = 64
PLAN_NESTING = 8

# The environment variable holding the plan key (a CI secret); never printed or stored.
KEY_VARIABLE = "ACTIVITIES_PLAN_KEY"


def document(plan: Plan) -> dict[str, Any]:
    """The JSON document of a plan (the checksum included)."""
    return plan.model_dump(mode="json", by_alias=True)


def dumps(plan: Plan) -> str:
    """The saved form of a plan: stable key order, one trailing newline."""
    # pydantic's serializer writes what json.dumps(indent=2, ensure_ascii=False) would, faster.
    return plan.model_dump_json(indent=2, by_alias=True) + "\n"


def save_plan(plan: Plan, path: Path) -> None:
    """Write the plan (sealed if it was not) to `path`, creating its folder; atomically, so a
    reader (apply, a reviewer's editor) never sees half a plan, and a crash leaves the old one."""
    if not plan.checksum:
        plan = plan.sealed()
    try:
        write_atomically(path, dumps(plan))
    except OSError as exc:
        raise PlanError(
            f"{path}: cannot write the plan: {exc.strerror or exc}\n"
            "  fix: pass an --out path in a folder you can write to"
        ) from exc


def load_plan(
    path: Path, *, key: str | None = None, invocation: Invocation | None = None
) -> Plan:
    """Read a saved plan, refusing one of another format version or edited after saving;
    with the plan `key`, also one unsigned or signed otherwise. A fix that says to plan again
    repeats INVOCATION's -e/--endpoint (what the command was told to apply the plan to)."""
    replan = REPLAN.format(command=_plan_again(path, invocation))
    raw = _read_json(path, replan)
    version = raw.get("format_version")
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise PlanError(
            f"{path}: the plan was made by an older version of activities (format_version "
            f"{version}; this one reads {FORMAT_VERSION}, with typed steps and the order of "
            "calls); it cannot be applied or shown\n" + replan
        )
    if version != FORMAT_VERSION:
        raise PlanError(
            f"{path}: plan format_version {version!r} is not supported (this tool reads "
            f"{FORMAT_VERSION})\n" + replan
        )
    edited = PlanError(
        f"{path}: the plan's checksum does not match its content: it was edited after it "
        "was made, or is truncated; a plan is applied only as it was reviewed\n"
        + replan
    )
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        if isinstance(raw.get("checksum"), str):
            raise edited from exc  # every plan this tool seals is valid: it was edited
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanError(
            f"{path}: not a plan: {where}: {first['msg']}\n" + replan
        ) from exc
    # The checksum seals the content as this tool writes it: any edit, a field it does not
    # know, or a value it would write differently makes them differ.
    if raw.get("checksum") != plan.compute_checksum() or document(plan) != raw:
        raise edited
    if key is not None:
        _check_signature(plan, key, path, _plan_again(path, invocation))
    return plan


def signature_of(plan: Plan, key: str) -> str:
    """HMAC-SHA256, with the plan key, of everything in the plan but its checksum and
    signature (the environment included)."""
    digest = hmac.new(key.encode(), plan.canonical(signed=False), hashlib.sha256).hexdigest()
    return f"hmac-sha256:{digest}"


def sign(plan: Plan, key: str | None) -> Plan:
    """The plan signed with `key` and sealed; unsigned (as it is) when there is no key."""
    if not key:
        return plan
    return plan.model_copy(update={"signature": signature_of(plan, key)}).sealed()


def _plan_again(path: Path, invocation: Invocation | None) -> str:
    return (invocation or Invocation()).command("plan", "--out", str(path))


def _check_signature(plan: Plan, key: str, path: Path, command: str) -> None:
    fix = (
        f"  fix: make the plan again with {KEY_VARIABLE} set to the same key "
        f"(`{command}`), review it, and apply that one"
    )
    if not plan.signature:
        raise PlanError(
            f"{path}: the plan is not signed, and {KEY_VARIABLE} is set: apply takes only plans "
            "signed with that key\n" + fix
        )
    if not hmac.compare_digest(plan.signature, signature_of(plan, key)):
        raise PlanError(
            f"{path}: the plan's signature does not match: it was edited after it was signed, "
            f"or signed with another key than {KEY_VARIABLE} holds; a plan is applied only as "
            "it was reviewed\n" + fix
        )


def _read_json(path: Path, replan: str) -> dict[str, Any]:
    try:
        text = _read_text(path, replan)
    except FileNotFoundError as exc:
        raise PlanError(
            f"{path}: no such plan file\n  fix: check the path, or make one with "
            f"`activities plan --out {path}`"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(
            f"{path}: cannot read the plan: {exc}\n" + _not_a_plan(path, replan)
        ) from exc
    too_deep = PlanError(
        f"{path}: not a plan: it is nested more than {MAX_PLAN_NESTING} levels deep (a plan "
        f"nests about {PLAN_NESTING})\n" + _not_a_plan(path, replan)
    )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}\n"
            + _not_a_plan(path, replan)
        ) from exc
    except RecursionError:  # deeper than the parser's stack: certainly too deep
        raise too_deep from None
    if not isinstance(raw, dict):
        raise PlanError(
            f"{path}: not a plan (expected a JSON object)\n" + _not_a_plan(path, replan)
        )
    if _depth(raw) > MAX_PLAN_NESTING:
        raise too_deep
    return raw


def _read_text(path: Path, replan: str) -> str:
    """The file's text; a file over MAX_PLAN_BYTES is refused before it is read."""
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        raw = b"" if size > MAX_PLAN_BYTES else stream.read(MAX_PLAN_BYTES + 1)
    if size > MAX_PLAN_BYTES or len(raw) > MAX_PLAN_BYTES:
        raise PlanError(
            f"{path}: not a plan: it is {max(size, len(raw)):,} bytes, over the "
            f"{MAX_PLAN_BYTES:,} bytes a saved plan may have (one of 1,000 types is about 10 MB)"
            "\n" + _not_a_plan(path, replan)
        )
    return raw.decode("utf-8")


def _depth(value: object) -> int:
    """How deep JSON arrays and objects nest in `value`, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_PLAN_NESTING:
                return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def _not_a_plan(path: Path, replan: str) -> str:
    """The fix for a file that is no plan at all: re-planning over it is right only for a .json
    file; for anything else (a definition passed by mistake) it would overwrite that file."""
    if path.suffix.lower() == ".json":
        return replan
    return (
        "  fix: pass a plan saved by `activities plan --out plans/NAME.json`; this file is not one"
    )
