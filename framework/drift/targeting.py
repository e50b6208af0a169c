"""`drift --target TYPE` / `--exclude TYPE`: the report of only some types (plan's filter)."""

from __future__ import annotations

from pathlib import Path

from framework.drift.model import DriftReport
from framework.errors import ConfigError
from framework.plan.targeting import Targeting


def only_targeted(report: DriftReport, targeting: Targeting, directory: Path) -> DriftReport:
    """REPORT with the findings of the selected types only; the note says what was left out."""
    named = {f.type for f in (*report.findings, *report.ignored)} | set(report.notApplied)
    findings = tuple(f for f in report.findings if targeting.selects(f.type))
    ignored = tuple(f for f in report.ignored if targeting.selects(f.type))
    not_applied = tuple(name for name in report.notApplied if targeting.selects(name))
    left_out = sorted({f.type for f in report.findings} - {f.type for f in findings})
    note = f"targeted ({targeting.describe()})"
    if left_out:
        note += f": drift of {', '.join(left_out)} is not shown"
    if targeting.targets and not named & set(targeting.targets) and not findings:
        # Nothing to say about the targets at all: fine, but a typo must not read as "clean".
        _check_known(targeting, report, directory)
    return report.model_copy(update={
        "findings": findings, "ignored": ignored, "notApplied": not_applied,
        "note": f"{report.note}; {note}" if report.note else note,
    })


def _check_known(targeting: Targeting, report: DriftReport, directory: Path) -> None:
    known = {p.stem for p in directory.glob("*.y*ml")} if directory.is_dir() else set()
    unknown = [name for name in targeting.targets if name not in known]
    if unknown:
        raise ConfigError(
            f"--target {', '.join(unknown)}: no definition declares that type and "
            f"{report.environment} reports nothing about it\n  fix: pass the apiName of a "
            "managed type (it is case-sensitive)"
        )
