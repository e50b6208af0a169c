"""Drift reports as text (terminal, logs), Markdown (an issue or a chat message) and JSON."""

from __future__ import annotations

import json

from framework.drift.model import DriftReport


def render(report: DriftReport, form: str, plan_command: str) -> str:
    """The report in `form` (text, markdown or json); `plan_command` is how to run plan here."""
    if form == "json":
        return json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n"
    if form == "markdown":
        return _markdown(report, plan_command)
    return _text(report, plan_command)


def _where(report: DriftReport) -> str:
    return f"{report.environment} ({report.endpointHost})"


def _since(report: DriftReport, code: str = "") -> str:
    commit = f", commit {code}{(report.lockCommit or '')[:7]}{code}" if report.lockCommit else ""
    return f"the last apply ({report.lockUpdatedAt}{commit}), per {code}{report.lockPath}{code}"


def _footer(report: DriftReport, plan_command: str, code: str = "") -> list[str]:
    lines = []
    if report.ignored:
        lines.append(
            f"{len(report.ignored)} known finding(s) ignored by drift_ignore in "
            "[tool.activities]."
        )
    if report.notApplied:
        lines.append(
            f"Not drift: {len(report.notApplied)} definition(s) differ from the last apply "
            f"({', '.join(report.notApplied)}): changes not applied yet; "
            f"{code}{plan_command}{code} shows them."
        )
    return lines


def _text(report: DriftReport, plan_command: str) -> str:
    lines = [report.note[0].upper() + report.note[1:]] if report.note else []
    if report.baseline == "lock":
        head = f"drift on {_where(report)} since {_since(report)}"
    else:
        head = f"differences between {_where(report)} and the definitions"
    if not report.findings:
        lines.append(f"No {head}.")
    else:
        lines.append(f"{head[0].upper()}{head[1:]}:")
        lines += [f"  [{f.kind}] {f.message}" for f in report.findings]
        lines.append(f"{len(report.findings)} finding(s).")
    lines += _footer(report, plan_command, "`")
    return "\n".join(lines) + "\n"


def _markdown(report: DriftReport, plan_command: str) -> str:
    if report.baseline == "lock":
        title = f"### Drift on `{report.environment}` ({report.endpointHost})"
        intro = f"Since {_since(report, '`')}."
    else:
        title = (
            f"### Differences between `{report.environment}` ({report.endpointHost}) "
            "and the definitions"
        )
        intro = f"> {report.note[0].upper()}{report.note[1:]}"
    lines = [title, "", intro, ""]
    if not report.findings:
        lines.append("No drift." if report.baseline == "lock" else "No differences.")
    else:
        lines += ["| type | kind | what happened |", "|---|---|---|"]
        lines += [
            f"| `{f.type}` | {f.kind} | {_cell(f.message.removeprefix(f.type + ': '))} |"
            for f in report.findings
        ]
        lines += ["", f"{len(report.findings)} finding(s)."]
    footer = _footer(report, plan_command, "`")
    if footer:
        lines += ["", *footer]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
