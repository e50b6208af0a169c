"""How the user ran this command: the options that a fix hint must repeat to be followed as is.

A hint such as "make a new plan (`activities plan`)" is only right when it targets what the user
ran against: printed bare after `apply -e production`, it would plan the built-in `local`
instance and `activities/`. A command makes an `Invocation` of its `-e`, `--endpoint` and
`--dir` once (`Invocation.of`; for a saved plan `of_saved_plan`) and passes it down to every
function that words a hint, which builds the command with `Invocation.command`. This module
keeps no state: two commands run in one process (tests, the library, a CI step calling
commands as functions) each word their hints with their own options.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from framework.pyproject import BUILT_IN_NAMES, LOCAL

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
        return cls(env if env != LOCAL else None, endpoint,
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


def _masked(text: str) -> str:
    """A hint repeats what the user typed, which may hold a secret they pasted in the wrong
    place: every secret the run registered is masked (none is without the client loaded)."""
    registry = sys.modules.get("framework.client.redact")
    return registry.redact_known(text) if registry is not None else text


def of_saved_plan(plan: Plan, env: str | None = None, endpoint: str | None = None) -> Invocation:
    """The options a command about a saved plan (show, apply PLAN) repeats in its hints: the
    `-e`/`--endpoint` given, else the environment the plan was made for (an ad-hoc endpoint's
    URL is not recorded, only its host), and the folder it was made from."""
    made = plan.provenance
    if env is None and endpoint is None and made.environment not in BUILT_IN_NAMES:
        env = made.environment
    folder = made.definitionsDir if made.definitionsDir != "activities" else None
    return Invocation.of(env, endpoint, folder)
