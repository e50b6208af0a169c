"""`lint -e ENV`: the types approved there, from its lock file or else from the instance."""

from __future__ import annotations

import asyncio

from framework.definitions.loader import display_path
from framework.environment import connect, resolve_target
from framework.invocation import Invocation
from framework.kinds.custom_object.read import read_objects
from framework.lint.review import Approvals
from framework.lock.binding import environment_instance, instance_of, read_bound_lock
from framework.plan.read import read_live
from framework.settings import Settings


async def read_approvals(
    settings: Settings, env: str, invocation: Invocation, *, objects: bool = False
) -> Approvals:
    """The approved types of environment `env`: its lock file's (no credentials needed), or
    read from the instance with a read-only client (the note on a lock not used repeats the
    options of `invocation` in its fix). `objects`: the custom object types' too, read from an
    instance only when asked (one without custom objects, a paid option, answers their calls
    with an error)."""
    here = environment_instance(settings, env)
    if here is None:  # an unknown name, or a bad endpoint: resolving the target says which
        here = instance_of(settings, resolve_target(settings, env))
    found = read_bound_lock(settings, here, env, invocation=invocation)
    if found.lock is not None:
        lock = found.lock
        ids = {n: e.id for n, e in lock.types.items() if e.state.ever_approved}
        approved = frozenset(n for n, e in lock.objects.items() if e.state.ever_approved)
        where = display_path(found.path)
        note = f"approvals on {env} from {where} (updated {lock.updatedAt})"
        return Approvals(env, ids, note, objects=approved)
    target = resolve_target(settings, env)
    async with connect(target, settings, read_only=True) as (_, client):
        if objects:
            live, found_objects = await asyncio.gather(read_live(client), read_objects(client))
        else:
            live, found_objects = await read_live(client), {}
    ids = {n: t.id for n, t in live.types.items() if t.ever_approved}
    approved = frozenset(n for n, o in found_objects.items() if o.ever_approved)
    note = found.note.replace(str(found.path), display_path(found.path))
    return Approvals(target.name, ids, f"{note}: read the approvals from the instance instead",
                     objects=approved)
