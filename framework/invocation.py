"""How the user ran this command: the options that a fix hint must repeat to be followed as is.

A hint such as "make a new plan (`activities plan`)" is only right when it targets what the user
ran against: printed bare after `apply -e production`, it would plan the built-in `local`
instance and `activities/`. A command makes an `Invocation` of its `-e`, `--endpoint` and
`--dir` and passes it to the code that words its hints (drift does); the older way, still used
by most commands, records it once with `remember`, and hints are built with `again`.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from framework.plan.model import Plan


@dataclass(frozen=True)
class Invocation:
    """The target and folder options of this run, as the user typed them (None: not given)."""

    env: str | None = None
    endpoint: str | None = None
    directory: str | None = None

    @classmethod
    def of(
        cls, env: str | None = None, endpoint: str | None = None,
        directory: Path | str | None = None,
    ) -> Invocation:
        """The options as given (the built-in `local` environment needs no `-e`)."""
        return cls(env if env != "local" else None, endpoint,
                   str(directory) if directory else None)

    def command(
        self, command: str, *arguments: str, directory: bool = True, target: bool = True
    ) -> str:
        """`activities COMMAND ARGUMENTS...` with these `-e`/`--endpoint` and `--dir`.

        `directory=False` for a command that takes no `--dir` (applying a saved plan),
        `target=False` for one that talks to no instance (validate)."""
        import shlex  # only a hint needs it; every command's start-up imports this module

        words = ["activities", command, *arguments]
        if target and self.env:
            words += ["-e", self.env]
        if target and self.endpoint:
            words += ["--endpoint", self.endpoint]
        if directory and self.directory:
            words += ["--dir", self.directory]
        return _masked(" ".join(shlex.quote(word) for word in words))


# No options typed: hints in their bare form (a CI step, a test, the library calls).
NO_OPTIONS = Invocation()

_CURRENT: ContextVar[Invocation | None] = ContextVar("invocation", default=None)


def remember(
    env: str | None = None, endpoint: str | None = None, directory: Path | str | None = None
) -> None:
    """Record this run's options for the hints built with `again`."""
    _CURRENT.set(Invocation.of(env, endpoint, directory))


def forget() -> None:
    """Start a command with no options recorded (several commands may run in one process)."""
    _CURRENT.set(None)


def again(command: str, *arguments: str, directory: bool = True, target: bool = True) -> str:
    """`Invocation.command` of the options this run recorded with `remember`."""
    current = _CURRENT.get() or Invocation()
    return current.command(command, *arguments, directory=directory, target=target)


def _masked(text: str) -> str:
    """A hint repeats what the user typed, which may hold a secret they pasted in the wrong
    place: every secret the run registered is masked (none is without the client loaded)."""
    registry = sys.modules.get("framework.client.redact")
    return registry.redact_known(text) if registry is not None else text


def remember_plan(plan: Plan, env: str | None = None, endpoint: str | None = None) -> None:
    """For showing or applying a saved plan: hints target where it was made, unless told."""
    _CURRENT.set(of_saved_plan(plan, env, endpoint))


def of_saved_plan(plan: Plan, env: str | None = None, endpoint: str | None = None) -> Invocation:
    """The options a command about a saved plan (show, apply PLAN) repeats in its hints: the
    `-e`/`--endpoint` given, else the environment the plan was made for (an ad-hoc endpoint's
    URL is not recorded, only its host), and the folder it was made from."""
    made = plan.provenance
    if env is None and endpoint is None and made.environment not in ("local", "endpoint"):
        env = made.environment
    folder = made.definitionsDir if made.definitionsDir != "activities" else None
    return Invocation.of(env, endpoint, folder)
