"""The closing words of an apply: what was done, what was not, and that nothing was undone."""

from __future__ import annotations

from framework.apply.model import ApplyResult, TypeOutcome
from framework.invocation import Invocation

_LABELS = {
    "applied": "done",
    "already-live": "already live",
    "failed": "failed",
    "not-run": "not run",
}


def summary_text(result: ApplyResult, rerun: str, invocation: Invocation) -> str:
    """Plain words for a person; `rerun` is the command that resumes this apply, and the
    command that plans anew repeats the options of `invocation`."""
    cost = f"{result.calls} call(s), {result.mutatingCalls} of them changing something"
    journal = f"Journal: {result.journal}" if result.journal else ""
    if result.outcome == "nothing-to-do":
        return "The plan has no changes; nothing was sent."
    if result.outcome == "already-applied":
        lines = [
            "The plan is already applied: every type it changes is already at its target. "
            f"Nothing was changed ({cost})."
        ]
        return "\n".join([*lines, *_nonempty(journal)])
    counts = {label: 0 for label in _LABELS}
    for outcome in result.types:
        counts[outcome.state] += 1
    tally = ", ".join(f"{n} {_LABELS[state]}" for state, n in counts.items() if n)
    lines = [_headline(result, tally)]
    lines.extend(f"  {_line(t)}" for t in result.types)
    if result.mismatches:
        lines.append("Types that do not match the plan's target:")
        lines.extend(f"  - {m}" for m in result.mismatches)
    if result.outcome != "applied":
        lines.append(
            "Nothing was rolled back: the steps that ran stay applied. Types not approved keep "
            "their approved version unchanged; drafts staged for them stay as drafts."
        )
        fix = (
            f"fix the cause above, then run `{rerun}` again: it resumes from the journal and "
            "skips the finished steps"
            if result.outcome == "failed"
            else f"run `{invocation.command('plan')}` to see what differs, and apply a new plan"
        )
        lines.append(f"  fix: {fix}")
    lines.append(f"Calls: {cost}.")
    return "\n".join([*lines, *_nonempty(journal)])


def _headline(result: ApplyResult, tally: str) -> str:
    if result.outcome == "applied":
        return f"Applied and verified: the live types match the plan ({tally})."
    if result.outcome == "verify-failed":
        return f"Applied every step, but the verify found differences ({tally})."
    return f"Apply failed ({tally})."


def _line(outcome: TypeOutcome) -> str:
    label = _LABELS[outcome.state]
    steps = f"{outcome.stepsDone} of {outcome.stepsTotal} step(s) done by this run"
    if outcome.stepsSkipped:
        steps += f", {outcome.stepsSkipped} already live"
    text = f"{outcome.apiName} ({outcome.action}): {label}, {steps}"
    return f"{text}: {outcome.detail}" if outcome.detail else text


def _nonempty(text: str) -> list[str]:
    return [text] if text else []
