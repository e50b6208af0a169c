"""Lint findings as text, JSON, or GitHub workflow commands (annotations on the diff's lines)."""

from __future__ import annotations

import json

from framework.lint.review import Finding, LintReport


def render(report: LintReport, form: str) -> str:
    if form == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"
    if form == "github":
        return _github(report)
    return _text(report)


def summary(report: LintReport) -> str:
    """`Linted 2 changed definition(s) against main (merge base 1a2b3c4): ...`."""
    history = report.history
    counts = {
        "failing": len(report.failing),
        "warning(s)": sum(1 for f in report.findings if f.severity == "warning"),
        "acknowledged": sum(1 for f in report.findings if f.acknowledged),
        "fixed": sum(1 for f in report.findings if f.fixed),
    }
    tally = ", ".join(f"{n} {word}" for word, n in counts.items() if n or word == "failing")
    return (
        f"Linted {len(history.changed)} changed definition(s) against {history.base} "
        f"(merge base {history.merge_base[:7]}): {tally}."
    )


def _status(finding: Finding) -> str:
    if finding.fixed:
        return "fixed"
    if finding.acknowledged is not None:
        return "acknowledged"
    return finding.severity


def _text(report: LintReport) -> str:
    lines = [report.approvals.note[0].upper() + report.approvals.note[1:] + "."] if (
        report.approvals and report.approvals.note
    ) else []
    for f in report.findings:
        lines.append(f"{f.file}:{f.line}: {_status(f)} {f.rule}: {f.message}")
        if f.acknowledged is not None:
            lines.append(f"  acknowledged: {f.acknowledged}")
        elif not f.fixed:
            lines.append(f"  fix: {f.fix}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _github(report: LintReport) -> str:
    lines = []
    for f in report.findings:
        command = "error" if f.fails else ("notice" if f.acknowledged or f.fixed else "warning")
        detail = f"acknowledged: {f.acknowledged}" if f.acknowledged else f"fix: {f.fix}"
        lines.append(
            f"::{command} file={_property(f.file)},line={f.line},"
            f"title={_property(f.rule)}::{_data(f.message + chr(10) + detail)}"
        )
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def workflow_error(message: str) -> str:
    """An error that stopped lint, as a workflow command (`::error title=...::...`)."""
    return f"::error title=activities lint::{_data(message)}"


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit: %, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
