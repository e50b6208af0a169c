"""Render one Plan as terminal text, a pull-request comment (Markdown) or JSON.

Text and Markdown come from the jinja2 templates beside this module; JSON is the saved plan
document itself (framework.plan.planfile), so `show --format json` of a saved plan is the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from framework.invocation import NO_OPTIONS, Invocation
from framework.kinds.custom_object.change import ObjectChange
from framework.kinds.custom_object.ops import ObjectStep
from framework.live import TypeVersion
from framework.plan.model import Plan, Reason, TypeChange, Wave
from framework.plan.ops import Step
from framework.plan.order import split_phases
from framework.plan.planfile import dumps
from framework.plan.render.painting import ACTION_SYMBOLS, markdown_code, markdown_text, painter

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")

# GitHub refuses a pull-request comment longer than this many characters.
MARKDOWN_LIMIT = 65_536

_ENV = Environment(
    loader=PackageLoader("framework.plan.render", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # noqa: S701 - text and Markdown, not HTML; Markdown escapes with `md`
)
_ENV.filters["md"] = markdown_text
_ENV.filters["code"] = markdown_code
_ENV.globals["symbols"] = ACTION_SYMBOLS


def use_color(isatty: bool, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return isatty and not environ.get("NO_COLOR")


def render(
    plan: Plan, fmt: Format, *, color: bool = False, invocation: Invocation = NO_OPTIONS
) -> str:
    """The plan in one format; `color` adds ANSI colours to the text format only. The commands
    its hints name repeat the options of `invocation` (how the command was typed)."""
    if fmt == "json":
        return dumps(plan)
    if fmt == "text":
        return _ENV.get_template("text.j2").render(
            **_context(plan, invocation), paint=painter(color)
        )
    if fmt == "markdown":
        return render_markdown(plan, invocation=invocation)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _context(plan: Plan, invocation: Invocation) -> dict[str, object]:
    shown = [c for c in plan.all_changes() if c.action != "no-op"]
    risky = [c for c in shown if c.risk != "safe"]
    return {
        "plan": plan,
        "shown": shown,
        "risky": risky,
        "refused_destructive": plan.summary.destructive and not plan.provenance.allowDestructive,
        "allow_command": invocation.command("plan", "--allow-destructive"),
        "command": invocation.command,  # hints repeat the -e/--endpoint/--dir as typed
        "counts": counts(plan),
        "order": order_lines(plan),
    }


def order_lines(plan: Plan) -> list[tuple[str, str]]:
    """The plan's order, one (phase, types) pair per phase of each wave, in apply's order:
    `("wave 1, staging", "alpha, beta (after alpha)")`, `("wave 1, approving", "alpha")`."""
    lines = _wave_lines(plan.order, {c.apiName: c.steps for c in plan.changes}, "")
    object_steps = {c.apiName: c.steps for c in plan.objectChanges}
    return lines + _wave_lines(plan.objectOrder, object_steps, "custom objects ")


def _wave_lines(
    waves: Sequence[Wave], steps_of: Mapping[str, Sequence[Step | ObjectStep]], label: str
) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for wave in waves:
        staging, approving = [], []
        for name in wave.types:
            steps = steps_of[name]
            first = split_phases(steps)
            if first:
                after = wave.after.get(name, ())
                staging.append(name + (f" (after {', '.join(after)})" if after else ""))
            if first < len(steps):
                approving.append(name)
        if staging:
            lines.append((f"{label}wave {wave.number}, staging", ", ".join(staging)))
        if approving:
            lines.append((f"{label}wave {wave.number}, approving", ", ".join(approving)))
    return lines


def counts(plan: Plan) -> str:
    """`1 to create, 0 to update, 0 to replace, 0 to delete, 3 unchanged` (drafts when any)."""
    s = plan.summary
    parts = [f"{s.create} to create", f"{s.update} to update", f"{s.replace} to replace",
             f"{s.delete} to delete"]
    if s.approve_draft:
        parts.append(f"{s.approve_draft} draft{'s' if s.approve_draft != 1 else ''} to approve")
    if s.discard_draft:
        parts.append(f"{s.discard_draft} draft{'s' if s.discard_draft != 1 else ''} to discard")
    parts.append(f"{s.no_op} unchanged")
    return ", ".join(parts)


# How to let apply run a refused destructive plan, said to a person at a terminal; the CI
# steps say it their way (the pull request's label), never with a flag that skips review.
ALLOW_HINT = "After review, make it with `{command}`."  # the command repeats -e and --dir
# Where the whole plan is when the comment leaves something out.
WHOLE_PLAN = "run `activities show PLAN` for the whole plan"

_RISK_RANK = {"destructive": 0, "breaking": 1}


def by_risk(
    changes: Sequence[TypeChange | ObjectChange],
) -> list[TypeChange | ObjectChange]:
    """Destructive changes first, then breaking, then safe; the plan's order within each."""
    return sorted(changes, key=lambda c: _RISK_RANK.get(c.risk, 2))


@dataclass
class _Kept:
    """How much of each part a comment keeps; parts are given up least important first."""

    details: int
    order: bool
    unmanaged: bool
    rows: int
    risks: int


def render_markdown(
    plan: Plan, limit: int = MARKDOWN_LIMIT, *, allow_hint: str = ALLOW_HINT,
    words: Mapping[str, str] | None = None, whole_plan: str = WHOLE_PLAN,
    invocation: Invocation = NO_OPTIONS,
) -> str:
    """The pull-request comment, at most LIMIT characters whatever the plan's size.

    Destructive and breaking changes come before safe ones, in the table and the details.
    What does not fit is left out from the least important: the details (safe changes' first),
    then the order of calls, the names of unmanaged types, the table's rows (safe first) and
    last the risk notes; a notice counts what was left out and says where the whole plan is.
    WORDS replaces the text of the reasons with those codes (the CI steps name the pull
    request's label where a person is told a command-line flag). The commands it names repeat
    the options of `invocation`."""
    said = dict(words or {})

    def say(reason: Reason) -> str:
        return said.get(reason.code, reason.text)

    base = _context(plan, invocation)
    allow_hint = allow_hint.replace("{command}", str(base["allow_command"]))
    shown = by_risk(base["shown"])  # type: ignore[arg-type]
    risky = by_risk(base["risky"])  # type: ignore[arg-type]
    order: list[tuple[str, str]] = base["order"]  # type: ignore[assignment]
    detail = _ENV.get_template("markdown_change.j2")
    blocks = [detail.render(change=c, say=say) for c in shown]
    page = _ENV.get_template("markdown.j2")
    kept = _Kept(len(blocks), bool(order), bool(plan.unmanaged), len(shown), len(risky))

    def draw() -> str:
        left_out = _left_out(kept, blocks, order, plan.unmanaged, shown, risky)
        return page.render({
            **base, "shown": shown[: kept.rows], "risky": risky[: kept.risks],
            "details": blocks[: kept.details], "order": order if kept.order else [],
            "unmanaged": plan.unmanaged if kept.unmanaged else (), "left_out": left_out,
            "limit": f"{MARKDOWN_LIMIT:,}", "whole_plan": whole_plan, "allow_hint": allow_hint,
            "say": say,
        })

    text = draw()
    # Each part in turn, while the comment is too long: drop as many items as the overflow
    # says at once (never fewer than one), then measure again.
    while len(text) > limit and kept.details:
        overflow = len(text) - limit
        while kept.details and overflow > 0:
            kept.details -= 1
            overflow -= len(blocks[kept.details])
        text = draw()
    for part in ("order", "unmanaged"):
        if len(text) > limit and getattr(kept, part):
            setattr(kept, part, False)
            text = draw()
    for part, size in (("rows", 120), ("risks", 200)):
        while len(text) > limit and getattr(kept, part):
            drop = max(1, (len(text) - limit) // size)
            setattr(kept, part, max(0, getattr(kept, part) - drop))
            text = draw()
    if len(text) > limit:  # only a limit too small for the summary itself gets here
        notice = f"\n\n_Cut to {limit:,} characters; {whole_plan}._\n"
        text = text[: max(0, limit - len(notice))].rsplit("\n", 1)[0] + notice
    return text


def _left_out(
    kept: _Kept, blocks: Sequence[str], order: Sequence[tuple[str, str]],
    unmanaged: Sequence[str], shown: Sequence[TypeChange | ObjectChange],
    risky: Sequence[TypeChange | ObjectChange],
) -> str:
    """What a comment leaves out, counted: `Details of 3 changes, the order of calls`."""
    parts = []
    if kept.details < len(blocks):
        parts.append(_count(len(blocks) - kept.details, "change", "details of {}"))
    if order and not kept.order:
        parts.append(f"the order of calls ({len(order)} phases)")
    if unmanaged and not kept.unmanaged:
        parts.append(_count(len(unmanaged), "unmanaged type", "the names of {}"))
    if kept.rows < len(shown):
        parts.append(_count(len(shown) - kept.rows, "row", "{} of the table"))
    if kept.risks < len(risky):
        parts.append(_count(len(risky) - kept.risks, "change", "the risk notes of {}"))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _count(number: int, noun: str, phrase: str) -> str:
    return phrase.format(f"{number} {noun}{'s' if number != 1 else ''}")


def change_title(change: TypeChange | ObjectChange) -> str:
    """`+ create attendWebinar`, `+ create car (custom object)`: how a change is headed."""
    kind = " (custom object)" if isinstance(change, ObjectChange) else ""
    return f"{ACTION_SYMBOLS[change.action]} {change.action} {change.apiName}{kind}"


_ENV.globals["change_title"] = change_title


def risk_reasons(change: TypeChange | ObjectChange) -> list[Reason]:
    """The reasons that carry a change's risk (not the routine ones) for the risk summary."""
    return [r for r in change.reasons if r.risk != "safe"]


_ENV.globals["risk_reasons"] = risk_reasons


def version_words(version: TypeVersion) -> str:
    """A version's content on one line, for a pending draft the plan throws away:
    `name 'Buy Car'; trigger 'Buys Car'; ...; attributes colour (string, 'Colour')`."""
    parts = [f"name {version.name!r}"]
    if version.description:
        parts.append(f"description {version.description!r}")
    parts += [f"trigger {version.triggerName!r}", f"filter {version.filterName!r}"]
    primary = version.primaryAttribute
    parts.append(f"primary {primary.apiName} ({primary.dataType}, {primary.name!r})")
    attributes = ", ".join(f"{a.apiName} ({a.dataType}, {a.name!r})" for a in version.attributes)
    parts.append(f"attributes {attributes}" if attributes else "no attributes")
    return "; ".join(parts)


_ENV.globals["version_words"] = version_words
