"""Running `activities` as a workflow step would, and the environments it knows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from framework.environment import CI_VARIABLES, LOCAL, SECRETS_VARIABLE
from framework.settings import Settings

# The variables the workflows fill from the environment's secrets; the step hands them to the
# tool under the names pyproject.toml gives (client_id_env / client_secret_env).
CLIENT_ID, CLIENT_SECRET = CI_VARIABLES


@dataclass(frozen=True)
class Outcome:
    """A finished `activities` command: its exit code and what it printed."""

    code: int
    stdout: str
    stderr: str


def environments(settings: Settings, with_local: bool) -> list[str]:
    """The named environments in pyproject.toml's order; `local` when none and WITH_LOCAL."""
    names = list(settings.environments)
    return names or ([LOCAL] if with_local else [])


def secret_names(environment: str, *, read_only: bool) -> tuple[str, str]:
    """The GitHub secrets the workflows read for ENVIRONMENT: the read-only pair (plans on pull
    requests, drift) or the pair that may write (apply). GitHub shows secret names upper-case."""
    kind = "_READ" if read_only else ""
    prefix = f"ACTIVITIES_{environment.upper()}{kind}"
    return f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET"


def credentials(
    settings: Settings, environment: str, environ: Mapping[str, str], *, read_only: bool
) -> dict[str, str]:
    """The environment variables that give the tool ENVIRONMENT's credentials from the step's,
    and the names of the secrets they came from (for the tool's credential errors)."""
    conf = settings.environments.get(environment)
    if conf is None:
        return {}
    given = {conf.client_id_env: environ.get(CLIENT_ID, ""),
             conf.client_secret_env: environ.get(CLIENT_SECRET, ""),
             SECRETS_VARIABLE: " ".join(secret_names(environment, read_only=read_only))}
    return {name: value for name, value in given.items() if value}


def has_credentials(settings: Settings, environment: str, environ: Mapping[str, str]) -> bool:
    """Whether the tool will find ENVIRONMENT's credentials (local needs none)."""
    conf = settings.environments.get(environment)
    if conf is None:
        return True
    merged = {**environ, **credentials(settings, environment, environ, read_only=True)}
    return bool(merged.get(conf.client_id_env) and merged.get(conf.client_secret_env))


def run_activities(args: Sequence[str], extra_env: Mapping[str, str]) -> Outcome:
    """Run `activities ARGS` with this interpreter; stderr is also shown in the step's log.

    The child is the installed tool, never a `framework/` folder of the repository under
    review: `-P` (and PYTHONSAFEPATH for whatever it starts) keeps the working folder off
    `sys.path`, where plain `python -m` would put it first.
    """
    done = subprocess.run(
        [sys.executable, "-P", "-m", "framework", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **extra_env, "PYTHONSAFEPATH": "1"},
        check=False,
    )
    if done.stderr:
        sys.stderr.write(done.stderr)
    return Outcome(done.returncode, done.stdout, done.stderr)
