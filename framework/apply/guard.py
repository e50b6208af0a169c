"""Refusals apply makes before it opens a connection or sends any call. Pure: no I/O."""

from __future__ import annotations

from urllib.parse import urlsplit

from framework import __version__
from framework.environment import LOCAL, Target, is_loopback
from framework.errors import RefusedError
from framework.invocation import again
from framework.kinds.custom_object.model import DEFAULT_MAX_OBJECT_TYPES
from framework.plan.model import Plan
from framework.plan.pipeline import derive_plan
from framework.plan.planfile import KEY_VARIABLE
from framework.policy.refusals import destructive_refusals, not_allowed_fix

# `--endpoint URL` targets carry this name; they are matched by host alone.
AD_HOC = "endpoint"


def check_destructive(plan: Plan) -> None:
    """Refuse a plan whose destructive changes were not allowed, or that touch protected types
    (the policy's refusals, framework.policy.refusals)."""
    allowed = plan.provenance.allowDestructive
    refusals = destructive_refusals(plan.all_changes(), allowed=allowed)
    if not refusals:
        return
    protected = [r.fix for r in refusals if r.code == "protected"]
    fixes = protected[:1] + ([] if allowed else [not_allowed_fix()])
    raise RefusedError(
        "refusing to apply: the plan has destructive changes (deletes and replaces lose "
        "activity history; attribute drops take attributes out of Smart List filters) that are "
        "not allowed; nothing was changed\n"
        + "\n".join(f"  - {r.text}" for r in refusals)
        + "".join(f"\n  fix: {fix}" for fix in fixes)
    )


def check_derivation(plan: Plan, plan_name: str) -> None:
    """Refuse a plan that is not what the planner derives from its own recorded definitions
    and live state: a step, an order or an allowance edited by hand and re-sealed."""
    try:
        derived = derive_plan(
            plan.provenance,
            plan.inputs.desired,
            plan.inputs.live,
            max_types=plan.assumptions.maxTypes,
            max_objects=plan.assumptions.maxObjectTypes or DEFAULT_MAX_OBJECT_TYPES,
        )
    except RefusedError as exc:
        first = str(exc).splitlines()[0]
        differences = [f"the planner refuses its recorded inputs: {first}"]
    else:
        differences = _differences(derived, plan)
    if not differences:
        return
    made_by = plan.provenance.toolVersion
    cause = (
        "it was edited after it was made (and sealed again)"
        if made_by == __version__
        else f"it was made by activities {made_by} (this is {__version__}), or edited since"
    )
    raise RefusedError(
        f"refusing to apply {plan_name}: it is not the plan its own recorded definitions and "
        f"live state make: {cause}; nothing was changed\n"
        + "".join(f"  - {line}\n" for line in differences)
        + f"  fix: make a new plan with `{again('plan', '--out', 'FILE')}`, review it, and "
        f"apply that one; set {KEY_VARIABLE} (a CI secret) to have plans signed"
    )


def _differences(derived: Plan, plan: Plan) -> list[str]:
    """Where a plan differs from the one derived from its inputs, by part."""
    lines: list[str] = []
    ours = {c.apiName: c for c in derived.changes}
    theirs = {c.apiName: c for c in plan.changes}
    for name in sorted(ours.keys() | theirs.keys()):
        a, b = ours.get(name), theirs.get(name)
        if a is None or b is None:
            lines.append(f"changes: {name} is {'not ' if a is None else ''}planned only here")
            continue
        parts = [f for f in type(a).model_fields if getattr(a, f) != getattr(b, f)]
        if parts:
            lines.append(f"changes[{name}]: {', '.join(parts)} differ")
    skip = {"changes", "checksum", "signature"}
    lines.extend(
        f"{field} differs"
        for field in type(plan).model_fields
        if field not in skip and getattr(plan, field) != getattr(derived, field)
    )
    return lines


def check_order(plan: Plan, plan_name: str) -> None:
    """Refuse a plan whose order does not run each of its changes exactly once: apply runs the
    plan's own order and never makes one up."""
    ordered = [name for wave in plan.order for name in wave.types]
    changed = sorted(c.apiName for c in plan.changes if c.action != "no-op")
    objects = [name for wave in plan.objectOrder for name in wave.types]
    changed_objects = sorted(c.apiName for c in plan.objectChanges if c.action != "no-op")
    if (sorted(ordered) == changed and len(set(ordered)) == len(ordered)
            and sorted(objects) == changed_objects and len(set(objects)) == len(objects)):
        return
    raise RefusedError(
        f"refusing to apply {plan_name}: its order of calls does not run each of its changes "
        "exactly once; nothing was changed\n"
        f"  fix: make a new plan with `{again('plan', '--out', 'FILE')}`, review it, and apply "
        "that one"
    )


def check_target(plan: Plan, target: Target, plan_name: str) -> None:
    """Refuse to apply a plan to another instance than the one it was made for."""
    made = plan.provenance
    if made.environment == LOCAL or target.name == LOCAL:
        same = made.environment == target.name
    else:
        names_agree = AD_HOC in (made.environment, target.name) or made.environment == target.name
        same = names_agree and made.endpointHost == target.host
    if same:
        return
    where = f"environment {made.environment!r}"
    if made.environment != LOCAL:
        where += f" (host {made.endpointHost})"
    here = f"environment {target.name!r}"
    if target.name != LOCAL:
        here += f" (host {target.host})"
    how = (
        f"-e {made.environment}"
        if made.environment not in (AD_HOC,)
        else (f"--endpoint {_scheme(made.endpointHost)}://{made.endpointHost}")
    )
    raise RefusedError(
        f"refusing to apply {plan_name}: it was made for {where}, but this apply targets {here}; "
        "nothing was changed\n"
        f"  fix: apply it to the instance it was reviewed for ({how}), or make a plan for this "
        f"one with `{again('plan')}`"
    )


def _scheme(host: str) -> str:
    """Plans record only the host; on loopback (the emulator) the endpoint is plain http."""
    hostname = urlsplit(f"//{host}").hostname or host
    return "http" if is_loopback(hostname) else "https"
