"""Make a plan: load the definitions, read the live state, compare, and seal the result."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from framework import __version__
from framework.definitions.loader import load_definitions
from framework.definitions.model import ActivityTypeFile, DefinitionFile, activity_type_files
from framework.environment import LOCAL, Target
from framework.invocation import NO_OPTIONS, Invocation
from framework.kinds.custom_object.change import ObjectChange
from framework.kinds.custom_object.differ import compare_objects
from framework.kinds.custom_object.live import LiveObject
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.policy import object_order, object_refusals
from framework.kinds.custom_object.read import ObjectReader, read_objects, with_dependent_assets
from framework.kinds.custom_object.vocabulary import DEFAULT_MAX_OBJECT_TYPES
from framework.live import LiveState
from framework.lock.binding import EMBEDDED_HOST as LOCAL_HOST
from framework.lock.binding import local_lineage
from framework.plan.assumptions import plan_assumptions
from framework.plan.compare import compare
from framework.plan.model import Plan, PlanInputs, Provenance, Summary, TypeChange
from framework.plan.order import plan_order
from framework.plan.read import TypeReader, read_live
from framework.plan.targeting import Targeting
from framework.policy.model import Refusal
from framework.policy.refusals import note_destructive, plan_refusals, raise_if_refused
from framework.settings import Settings

# What plans record as the host of `local` (it listens on a new port each run).
EMBEDDED_HOST = LOCAL_HOST
ALL_TYPES = Targeting()  # no --target, no --exclude


def utc_now() -> datetime:
    return datetime.now(UTC)


async def make_plan(
    settings: Settings,
    target: Target,
    client: PlanReader,
    directory: Path,
    *,
    allow_destructive: bool,
    definitions: Sequence[DefinitionFile] | None = None,
    clock: Callable[[], datetime] = utc_now,
    targeting: Targeting = ALL_TYPES,
    invocation: Invocation = NO_OPTIONS,
) -> Plan:
    """The sealed plan that brings the target in line with the definitions in `directory`.

    `definitions` skips loading when the caller already loaded them (the CLI does, so that
    definition errors stop it before any connection). A refusal's fix that names a command
    repeats the options of `invocation` (how the command was typed).
    """
    if definitions is None:
        definitions = load_definitions(directory, settings)
    targeting.check(definitions, _relative(directory, settings.root))
    calls_before = client.stats.calls
    if any(isinstance(d.definition, CustomObject) for d in definitions):
        # Only a repository that defines custom objects reads them: an instance without
        # custom objects (a paid option) answers every schema call with an error. Both kinds
        # are read at once.
        live, objects = await asyncio.gather(read_live(client), read_objects(client))
        live = await _with_assets(client, live, objects, definitions, targeting, calls_before)
    else:
        live = await read_live(client)
    created = clock().astimezone(UTC)
    provenance = Provenance(
        environment=target.name,
        # The embedded instance listens on a new port each run: record what it is, not where.
        endpointHost=EMBEDDED_HOST if target.name == LOCAL else target.host,
        instanceLineage=local_lineage(settings) if target.name == LOCAL else None,
        toolVersion=__version__,
        **git_state(settings.root),
        createdAt=stamp(created),
        expiresAt=stamp(created + timedelta(days=settings.plan_expiry_days)),
        definitionsDir=_relative(directory, settings.root),
        allowDestructive=allow_destructive,
        targets=targeting.targets,
        excludes=targeting.excludes,
    )
    return derive_plan(provenance, definitions, live, max_types=settings.max_types,
                       max_objects=settings.max_custom_objects, invocation=invocation)


class PlanReader(TypeReader, ObjectReader, Protocol):
    """What reading the live state of both kinds needs of the client."""


async def _with_assets(
    client: PlanReader,
    live: LiveState,
    objects: dict[str, LiveObject],
    definitions: Sequence[DefinitionFile],
    targeting: Targeting,
    calls_before: int,
) -> LiveState:
    """`live` with the custom object types, and the dependent assets of those the plan would
    delete or replace (a first, pure compare says which)."""
    files = _object_files(targeting.split(definitions)[0])
    doomed = [c.apiName for c in compare_objects(files, objects)[0]
              if c.action in ("delete", "replace")]
    objects = await with_dependent_assets(client, objects, doomed)
    return live.model_copy(update={"objects": objects,
                                   "calls": client.stats.calls - calls_before})


def _object_files(desired: Sequence[DefinitionFile]) -> list[tuple[str, CustomObject]]:
    return [(d.path, d.definition) for d in desired if isinstance(d.definition, CustomObject)]


def stamp(moment: datetime) -> str:
    """A UTC time as plans record it: `2026-11-28T12:00:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def derive_plan(
    provenance: Provenance,
    desired: Sequence[DefinitionFile],
    live: LiveState,
    *,
    max_types: int,
    max_objects: int = DEFAULT_MAX_OBJECT_TYPES,
    invocation: Invocation = NO_OPTIONS,
) -> Plan:
    """The sealed plan of `desired` against `live`: a pure function of its inputs, which the
    plan records, so that apply can derive it again and refuse one that was edited. Raises
    RefusedError for a plan that breaks a rule or has no order (a name swap); its fixes
    repeat the options of `invocation`."""
    targeted, untargeted = Targeting(provenance.targets, provenance.excludes).split(desired)
    changes, unmanaged, refusals = judge(
        activity_type_files(targeted), live, max_types=max_types,
        allow_destructive=provenance.allowDestructive, invocation=invocation,
    )
    objects, object_unmanaged = compare_objects(_object_files(targeted), live.objects)
    objects = [note_destructive(c, provenance.allowDestructive) for c in objects]
    # Every refusal of both kinds at once: one run shows all there is to fix.
    raise_if_refused([*refusals, *object_refusals(objects, live.objects, max_objects)])
    # An untargeted type has a file: it is managed, only left alone by this plan.
    unmanaged = [name for name in unmanaged if name not in untargeted]
    order = plan_order(changes, live)
    object_unmanaged = [name for name in object_unmanaged if name not in untargeted]
    active_objects = [c for c in objects if c.action != "no-op"]
    return Plan(
        provenance=provenance,
        changes=tuple(changes),
        order=order,
        unmanaged=tuple(unmanaged),
        objectChanges=tuple(objects),
        objectOrder=object_order(objects),
        objectUnmanaged=tuple(object_unmanaged),
        fingerprints={
            **{c.apiName: live.fingerprint_of(c.apiName) for c in changes
               if c.action != "no-op"},
            **{c.apiName: live.object_fingerprint(c.apiName) for c in active_objects},
        },
        assumptions=plan_assumptions(changes, order, live, max_types).model_copy(
            update={"maxObjectTypes": max_objects if objects or live.objects else 0}),
        summary=summarize([*changes, *objects], [*unmanaged, *object_unmanaged]),
        readCalls=live.calls,
        estimatedApplyCalls=sum(len(c.steps) for c in changes)
        + sum(len(c.steps) for c in objects),
        inputs=PlanInputs(desired=tuple(desired), live=live),
    ).sealed()


def judged_changes(
    desired: Sequence[ActivityTypeFile],
    live: LiveState,
    *,
    max_types: int,
    allow_destructive: bool = False,
    invocation: Invocation = NO_OPTIONS,
) -> tuple[list[TypeChange], list[str]]:
    """compare, then the policy: each destructive change says whether apply will run it, and a
    plan the policy refuses (protect, Marketo's limits, a name held twice) raises
    RefusedError listing every refusal."""
    changes, unmanaged, refusals = judge(
        desired, live, max_types=max_types, allow_destructive=allow_destructive,
        invocation=invocation,
    )
    raise_if_refused(refusals)
    return changes, unmanaged


def judge(
    desired: Sequence[ActivityTypeFile],
    live: LiveState,
    *,
    max_types: int,
    allow_destructive: bool,
    invocation: Invocation = NO_OPTIONS,
) -> tuple[list[TypeChange], list[str], list[Refusal]]:
    """`judged_changes` with the refusals as data, for a caller that adds another kind's."""
    changes, unmanaged = compare(desired, live)
    changes = [note_destructive(change, allow_destructive) for change in changes]
    return changes, unmanaged, plan_refusals(
        desired, changes, live, max_types=max_types, invocation=invocation
    )


def summarize(
    changes: Sequence[TypeChange | ObjectChange], unmanaged: Sequence[str]
) -> Summary:
    """Counts of changes by action and by risk."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        if change.action != "no-op" and change.risk != "safe":
            counts[change.risk] = counts.get(change.risk, 0) + 1
    return Summary.model_validate({**counts, "unmanaged": len(unmanaged)})


def git_state(root: Path) -> dict[str, object]:
    """The commit checked out at `root` and whether the tree is dirty; None outside git."""
    try:
        # Imported here: gitpython is slow to import, and fails when no git executable exists.
        import git
    except ImportError:
        return {"gitCommit": None, "gitDirty": None}
    try:
        repo = git.Repo(root, search_parent_directories=True)
        commit = repo.head.commit.hexsha
        dirty = repo.is_dirty(untracked_files=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError, git.GitCommandError):
        return {"gitCommit": None, "gitDirty": None}
    return {"gitCommit": commit, "gitDirty": dirty}


def _relative(directory: Path, root: Path) -> str:
    try:
        return directory.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return directory.as_posix()
