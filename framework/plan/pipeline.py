"""Make a plan: load the definitions, read the live state, compare, and seal the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from framework import __version__
from framework.definitions.loader import load_definitions
from framework.definitions.model import ActivityTypeFile, DefinitionFile, activity_type_files
from framework.environment import LOCAL, Target
from framework.live import LiveState
from framework.plan.assumptions import plan_assumptions
from framework.plan.compare import compare
from framework.plan.model import Plan, PlanInputs, Provenance, Summary, TypeChange
from framework.plan.order import plan_order
from framework.plan.read import TypeReader, read_live
from framework.plan.targeting import Targeting
from framework.policy.refusals import note_destructive, plan_refusals, raise_if_refused
from framework.settings import Settings

EMBEDDED_HOST = "embedded emulator"
ALL_TYPES = Targeting()  # no --target, no --exclude


def utc_now() -> datetime:
    return datetime.now(UTC)


async def make_plan(
    settings: Settings,
    target: Target,
    client: TypeReader,
    directory: Path,
    *,
    allow_destructive: bool,
    definitions: Sequence[DefinitionFile] | None = None,
    clock: Callable[[], datetime] = utc_now,
    targeting: Targeting = ALL_TYPES,
) -> Plan:
    """The sealed plan that brings the target in line with the definitions in `directory`.

    `definitions` skips loading when the caller already loaded them (the CLI does, so that
    definition errors stop it before any connection).
    """
    if definitions is None:
        definitions = load_definitions(directory, settings)
    targeting.check(definitions, _relative(directory, settings.root))
    live = await read_live(client)
    provenance = Provenance(
        environment=target.name,
        # The embedded instance listens on a new port each run: record what it is, not where.
        endpointHost=EMBEDDED_HOST if target.name == LOCAL else target.host,
        toolVersion=__version__,
        **git_state(settings.root),
        createdAt=clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        definitionsDir=_relative(directory, settings.root),
        allowDestructive=allow_destructive,
        targets=targeting.targets,
        excludes=targeting.excludes,
    )
    return derive_plan(provenance, definitions, live, max_types=settings.max_types)


def derive_plan(
    provenance: Provenance,
    desired: Sequence[DefinitionFile],
    live: LiveState,
    *,
    max_types: int,
) -> Plan:
    """The sealed plan of `desired` against `live`: a pure function of its inputs, which the
    plan records, so that apply can derive it again and refuse one that was edited. Raises
    RefusedError for a plan that breaks a rule or has no order (a name swap)."""
    targeted, untargeted = Targeting(provenance.targets, provenance.excludes).split(desired)
    # Custom object types are validated but not yet planned: activity types only.
    changes, unmanaged = judged_changes(
        activity_type_files(targeted), live, max_types=max_types,
        allow_destructive=provenance.allowDestructive,
    )
    # An untargeted type has a file: it is managed, only left alone by this plan.
    unmanaged = [name for name in unmanaged if name not in untargeted]
    order = plan_order(changes, live)
    return Plan(
        provenance=provenance,
        changes=tuple(changes),
        order=order,
        unmanaged=tuple(unmanaged),
        fingerprints={
            c.apiName: live.fingerprint_of(c.apiName) for c in changes if c.action != "no-op"
        },
        assumptions=plan_assumptions(changes, order, live, max_types),
        summary=summarize(changes, unmanaged),
        readCalls=live.calls,
        estimatedApplyCalls=sum(len(c.steps) for c in changes),
        inputs=PlanInputs(desired=tuple(desired), live=live),
    ).sealed()


def judged_changes(
    desired: Sequence[ActivityTypeFile],
    live: LiveState,
    *,
    max_types: int,
    allow_destructive: bool = False,
) -> tuple[list[TypeChange], list[str]]:
    """compare, then the policy: each destructive change says whether apply will run it, and a
    plan the policy refuses (protect, Marketo's limits, a name held twice) raises
    RefusedError listing every refusal."""
    changes, unmanaged = compare(desired, live)
    changes = [note_destructive(change, allow_destructive) for change in changes]
    raise_if_refused(plan_refusals(desired, changes, live, max_types=max_types))
    return changes, unmanaged


def summarize(changes: Sequence[TypeChange], unmanaged: Sequence[str]) -> Summary:
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
