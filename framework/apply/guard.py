"""Refusals apply makes before it opens a connection or sends any call. Pure but for
check_definitions, which reads the checkout's definition files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from framework import __version__
from framework.definitions.loader import load_definitions
from framework.environment import LOCAL, Target, is_loopback
from framework.errors import ActivitiesError, RefusedError
from framework.invocation import Invocation
from framework.kinds.custom_object.vocabulary import DEFAULT_MAX_OBJECT_TYPES
from framework.lock.binding import Instance
from framework.plan.model import Plan
from framework.plan.pipeline import EMBEDDED_HOST, derive_plan
from framework.plan.planfile import KEY_VARIABLE
from framework.policy.refusals import destructive_refusals, not_allowed_fix
from framework.settings import Settings


def check_destructive(plan: Plan, invocation: Invocation) -> None:
    """Refuse a plan whose destructive changes were not allowed, or that touch protected types
    (the policy's refusals, framework.policy.refusals).

    Here and below, a fix's command repeats the options of `invocation` (how apply was typed,
    or for a saved plan where it was made: framework.invocation.of_saved_plan)."""
    allowed = plan.provenance.allowDestructive
    refusals = destructive_refusals(plan.all_changes(), allowed=allowed, invocation=invocation)
    if not refusals:
        return
    protected = [r.fix for r in refusals if r.code == "protected"]
    fixes = protected[:1] + ([] if allowed else [not_allowed_fix(invocation)])
    raise RefusedError(
        "refusing to apply: the plan has destructive changes (deletes and replaces lose "
        "activity history; attribute drops take attributes out of Smart List filters) that are "
        "not allowed; nothing was changed\n"
        + "\n".join(f"  - {r.text}" for r in refusals)
        + "".join(f"\n  fix: {fix}" for fix in fixes)
    )


def check_derivation(plan: Plan, plan_name: str, invocation: Invocation) -> None:
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
        + f"  fix: make a new plan with `{invocation.command('plan', '--out', 'FILE')}`, review "
        f"it, and apply that one; set {KEY_VARIABLE} (a CI secret) to have plans signed"
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


def check_order(plan: Plan, plan_name: str, invocation: Invocation) -> None:
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
        f"  fix: make a new plan with `{invocation.command('plan', '--out', 'FILE')}`, review "
        "it, and apply that one"
    )


def check_target(
    plan: Plan, target: Target, plan_name: str, invocation: Invocation, *,
    lineage: str | None = None,
) -> None:
    """Refuse to apply a plan to another instance than the one it was made for; `lineage`:
    that of the local instance's state, when the target is `local` (another project's local
    instance, or this one's after its state was deleted, is another instance)."""
    made = plan.provenance
    made_for = Instance(made.environment, made.endpointHost, made.instanceLineage)
    if made.environment == LOCAL and target.name == LOCAL:
        if made.instanceLineage != lineage:
            _refuse_local(plan_name, made.instanceLineage, lineage, invocation)
        return
    if made.environment == LOCAL or target.name == LOCAL:
        same = made.environment == target.name
    else:
        # An ad-hoc --endpoint instance is matched by its host alone.
        names_agree = made_for.ad_hoc or target.ad_hoc or made.environment == target.name
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
        if not made_for.ad_hoc
        else (f"--endpoint {_scheme(made.endpointHost)}://{made.endpointHost}")
    )
    raise RefusedError(
        f"refusing to apply {plan_name}: it was made for {where}, but this apply targets {here}; "
        "nothing was changed\n"
        f"  fix: apply it to the instance it was reviewed for ({how}), or make a plan for this "
        f"one with `{invocation.command('plan')}`"
    )


def _scheme(host: str) -> str:
    """Plans record only the host; on loopback (the emulator) the endpoint is plain http."""
    hostname = urlsplit(f"//{host}").hostname or host
    return "http" if is_loopback(hostname) else "https"


def _refuse_local(
    plan_name: str, made: str | None, here: str | None, invocation: Invocation
) -> None:
    def words(lineage: str | None) -> str:
        return Instance(LOCAL, EMBEDDED_HOST, lineage).words()

    why = (
        "another project's local instance, or this one's before its state was deleted or reset"
        if here
        else "a local instance this project does not have (its local state does not exist yet)"
    )
    raise RefusedError(
        f"refusing to apply {plan_name}: it was made for {words(made)}, but this apply targets "
        f"{words(here)}: {why}; nothing was changed\n"
        "  fix: make a plan here with "
        f"`{invocation.command('plan', '--out', plan_name, directory=False)}`, review it, and "
        "apply that one"
    )


def check_definitions(
    plan: Plan, settings: Settings, plan_name: str, invocation: Invocation
) -> None:
    """Refuse a plan whose recorded definitions of the types it changes are not the files of
    this checkout: made in another repository, or on another commit than the one checked out.
    (Apply records the definitions' versions in the lock: they must be the files here.)"""
    directory = settings.root / plan.provenance.definitionsDir
    try:
        here = {f.api_name: f for f in load_definitions(directory, settings)}
    except ActivitiesError as exc:
        first = str(exc).splitlines()[0]
        lines = [f"the definitions here cannot be loaded: {first}"]
    else:
        recorded = {f.api_name: f for f in plan.inputs.desired}
        lines = []
        for change in plan.all_changes():
            made = recorded.get(change.apiName)
            if change.action == "no-op" or made is None:
                continue
            now = here.get(change.apiName)
            if now is None:
                lines.append(
                    f"{change.apiName}: no file defines it here (the plan was made from "
                    f"{made.path})"
                )
            elif now.definition != made.definition:
                lines.append(
                    f"{change.apiName}: {now.path} differs from the definition the plan was "
                    "made from"
                )
    if not lines:
        return
    raise RefusedError(
        f"refusing to apply {plan_name}: the definitions it was made from are not the files "
        "checked out here; nothing was changed\n"
        + "".join(f"  - {line}\n" for line in lines)
        + "  fix: check out the commit the plan was made from, or make a new plan here with "
        f"`{invocation.command('plan', '--out', plan_name, directory=False)}`, review it, and "
        "apply that one"
    )


def check_expiry(
    plan: Plan, now: datetime, settings: Settings, plan_name: str, invocation: Invocation
) -> None:
    """Refuse a plan past its expiry: what was reviewed described the instance and the
    definitions of that time, not of now (a plan without `expiresAt` expires `plan_expiry_days`
    after `createdAt`)."""
    made = plan.provenance
    try:
        created = _utc(made.createdAt)
        expires = (
            _utc(made.expiresAt)
            if made.expiresAt
            else created + timedelta(days=settings.plan_expiry_days)
        )
    except ValueError:
        expires, created = datetime.min.replace(tzinfo=UTC), None
    if now <= expires:
        return
    # The window the plan was made with, not today's setting: the setting may have changed.
    days = round((expires - created) / timedelta(days=1), 2) if created else None
    when = made.expiresAt or (
        expires.strftime("%Y-%m-%dT%H:%M:%SZ") if created else "(unreadable)"
    )
    window = (
        f"it was valid for {days:g} days after it was made" if days is not None
        else "its times cannot be read"
    )
    raise RefusedError(
        f"refusing to apply {plan_name}: it expired at {when} ({window}; `plan_expiry_days` "
        "in [tool.activities] sets the window of new plans); the instance and the "
        "definitions may have moved since it was reviewed; nothing was changed\n"
        f"  fix: make a fresh plan with `{invocation.command('plan', '--out', plan_name)}`, "
        "review it, and apply that one"
    )


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
