"""Which instance a lock file describes, and the check every reader makes before trusting it.

Type ids are an instance's own: the same type has one id on the sandbox and another on
production. A lock therefore names the instance it was written for: its environment, the
endpoint's host and, for `local` (whose host is always the embedded emulator), the lineage of
its state: a random id the embedded instance's state file gets when it is created, like
Terraform's state lineage. A lock copied from another project, left over from a state that was
deleted, or written for another host or environment, names another instance.

Every reader (ids, drift, lint -e, send, plan, apply, `activities lock`) reads a lock through
`read_bound_lock`, which refuses such a lock with a note saying which of the three differs;
the reader then says what it does instead (read the instance, compare with the definitions).
A reader that has read the instance also checks the lock's ids against it (`id_mismatches`):
two ids swapped by a bad merge are the lock's fault, not the instance's.
"""

from __future__ import annotations

from dataclasses import dataclass

from framework.client.endpoint import check_endpoint
from framework.definitions.loader import display_path
from framework.environment import LOCAL, LOCAL_STATE_FILE, Target
from framework.errors import ConfigError
from framework.invocation import Invocation
from framework.live import LiveState
from framework.lock.model import Lock
from framework.lock.store import LockRead, load_lock, lock_path
from framework.pyproject import AD_HOC
from framework.settings import Settings

EMBEDDED_HOST = "embedded emulator"  # what plans and locks record as the host of `local`
# Where the embedded instance's state keeps its lineage (framework/emulator/instance.py).
LINEAGE_KEY = "lineage"


@dataclass(frozen=True)
class Instance:
    """The instance a lock (or a plan) is for: environment, endpoint host, local lineage."""

    environment: str
    host: str
    lineage: str | None = None  # `local` only: the identity of its state

    @property
    def ad_hoc(self) -> bool:
        """Whether it is an ad-hoc `--endpoint URL` instance, known by its host alone."""
        return self.environment == AD_HOC

    def words(self) -> str:
        """`environment 'staging' (host 123-ABC-456.mktorest.com)`, for messages."""
        if self.environment == LOCAL:
            return f"local ({self.host}, state lineage {self.lineage or 'none: no state yet'})"
        return f"environment {self.environment!r} (host {self.host})"


def local_lineage(settings: Settings) -> str | None:
    """The lineage of this project's `local` state, or None when it has no state yet."""
    from framework.emulator.store import load_state

    try:
        data = load_state(settings.state_dir / LOCAL_STATE_FILE)
    except ConfigError:
        return None
    instance = data.get("instance") if isinstance(data, dict) else None
    lineage = instance.get(LINEAGE_KEY) if isinstance(instance, dict) else None
    return lineage if isinstance(lineage, str) else None


def instance_of(settings: Settings, target: Target) -> Instance:
    """The instance a resolved target is (`local`'s lineage read from its state file)."""
    if target.name == LOCAL:
        return Instance(LOCAL, EMBEDDED_HOST, local_lineage(settings))
    return Instance(target.name, target.host)


def environment_instance(settings: Settings, env: str) -> Instance | None:
    """The instance of a named environment without its credentials (a lock reader that does
    not connect needs none); None for a name pyproject.toml does not define."""
    if env == LOCAL:
        return Instance(LOCAL, EMBEDDED_HOST, local_lineage(settings))
    conf = settings.environments.get(env)
    if conf is None:
        return None
    try:
        url = check_endpoint(conf.endpoint)
    except ConfigError:
        return None  # resolving the target says what is wrong with it
    return Instance(env, Target(env, url, "", "").host)


def lock_instance(lock: Lock) -> Instance:
    """The instance a lock says it was written for."""
    return Instance(lock.environment, lock.endpointHost, lock.instanceLineage)


def binding_mismatch(lock: Lock, here: Instance) -> str | None:
    """Why `lock` is not a lock of `here`, naming what differs; None when it is."""
    if lock.environment != here.environment:
        return (
            f"it was written for environment {lock.environment!r}, not {here.environment!r}"
        )
    if lock.endpointHost != here.host:
        return f"it was written for host {lock.endpointHost}, not {here.host}"
    if here.environment == LOCAL and lock.instanceLineage != here.lineage:
        if here.lineage is None:
            return (
                f"it was written for a local state (lineage {lock.instanceLineage}) that no "
                "longer exists: this project's local instance has no state yet"
            )
        return (
            f"it was written for another local state (lineage {lock.instanceLineage}), not "
            f"this project's (lineage {here.lineage}): copied from another project, or left "
            "from a state that was deleted or reset"
        )
    return None


def entry_mismatches(lock: Lock) -> list[str]:
    """Entries that contradict themselves (an id or a name that is not the one their own
    recorded state holds): a hand edit or a bad merge-conflict resolution."""
    lines: list[str] = []
    for name, entry in lock.types.items():
        if entry.state.apiName != name:
            lines.append(f"{name}: its entry records the state of {entry.state.apiName}")
        elif entry.id is not None and entry.state.id is not None and entry.id != entry.state.id:
            lines.append(
                f"{name}: id {entry.id}, but the state recorded with it has id {entry.state.id}"
            )
    return lines


def id_mismatches(lock: Lock, live: LiveState) -> list[str]:
    """The lock's ids that are not the instance's, where the lock is to blame: the id is
    another live type's, or the lock gives one id to two types. (A type whose old id is gone
    from the instance was deleted and created again there: that is drift, not the lock.)"""
    owners: dict[int, str] = {t.id: n for n, t in live.types.items() if t.id is not None}
    given: dict[int, list[str]] = {}
    for name, entry in lock.types.items():
        if entry.id is not None:
            given.setdefault(entry.id, []).append(name)
    lines: list[str] = []
    for name, entry in sorted(lock.types.items()):
        now = live.types.get(name)
        if entry.id is None or now is None or now.id is None or now.id == entry.id:
            continue
        owner = owners.get(entry.id)
        if owner is not None and owner != name:
            lines.append(
                f"{name}: {entry.id} in the lock file, {now.id} on the instance "
                f"({entry.id} is {owner}'s id there)"
            )
        elif len(given[entry.id]) > 1:
            lines.append(
                f"{name}: {entry.id} in the lock file, {now.id} on the instance (the lock file "
                f"gives {entry.id} to {', '.join(sorted(given[entry.id]))})"
            )
    return lines


ID_MISMATCH = "the lock file's id does not match the instance"


def read_bound_lock(
    settings: Settings,
    here: Instance,
    name: str,
    *,
    live: LiveState | None = None,
    entries: bool = True,
    invocation: Invocation,
) -> LockRead:
    """The lock `name`, when it is a lock of `here`; else no lock, with a note saying why and
    how to rebuild it (the command repeats the options of `invocation`). With `live` (the
    instance as just read), its ids are checked too. `entries=False` leaves the entries'
    consistency to the caller (send confirms the one id it uses against the instance, and
    refuses a mismatch naming both ids)."""
    read = load_lock(lock_path(settings, name))
    return check_read(read, here, live, entries=entries, invocation=invocation)


def check_read(
    read: LockRead, here: Instance, live: LiveState | None = None, *, entries: bool = True,
    invocation: Invocation,
) -> LockRead:
    """`read` as `read_bound_lock` returns it: refused, with a note, when it is not for `here`
    (the note's fix repeats the options of `invocation`)."""
    lock = read.lock
    if lock is None:
        return read
    shown = display_path(read.path)
    repair = invocation.command("lock", "repair")
    fix = f"`{repair}` rebuilds it from the instance and the definitions"
    why = binding_mismatch(lock, here)
    if why is not None:
        return LockRead(
            read.path, None, f"the lock file {shown} is not used: {why}; {fix}", refused=True
        )
    lines = id_mismatches(lock, live) if live is not None else []
    if lines:
        return LockRead(
            read.path, None,
            f"{ID_MISMATCH} (lock file {shown}; a hand edit or a bad merge-conflict "
            f"resolution does this): {'; '.join(lines)}; {fix}",
            refused=True,
        )
    lines = entry_mismatches(lock) if entries else []
    if lines:
        return LockRead(
            read.path, None,
            f"the lock file {shown} contradicts itself (a hand edit or a bad merge-conflict "
            f"resolution does this): {'; '.join(lines)}; {fix}",
            refused=True,
        )
    return read
