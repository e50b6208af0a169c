"""Which Marketo instance a command talks to, and opening a client on it.

`local` (the default) is the emulator embedded in the command, its state in `.activities/`.
`--endpoint URL` is an ad-hoc instance with credentials in MARKETO_CLIENT_ID/SECRET; a named
environment comes from `[tool.activities.environments.NAME]` in pyproject.toml.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

# Re-exported: they lived here first and callers still import them from this module.
from framework.client.auth import DEFAULT_CREDENTIALS
from framework.client.endpoint import check_endpoint as check_endpoint
from framework.client.endpoint import is_loopback as is_loopback
from framework.client.marketo import MarketoClient, Pacing
from framework.client.redact import remember_secret
from framework.errors import ConfigError
from framework.manual import page
from framework.pyproject import AD_HOC
from framework.pyproject import LOCAL as LOCAL
from framework.settings import SHARED_CALLS_PER_20S, SHARED_MAX_CONCURRENT, Settings
from framework.spelling import closest

if TYPE_CHECKING:
    from framework.emulator.server import EmulatorServer

# The embedded instance's credentials: not secrets, it only ever listens on 127.0.0.1.
LOCAL_CLIENT_ID = "local-client"
LOCAL_CLIENT_SECRET = "local-secret"
LOCAL_STATE_FILE = "local-state.json"
# Set by a CI step (framework.ci): the two secrets (GitHub secrets, GitLab CI/CD variables), id
# then secret, it gave the tool as the environment's variables, so that a credential error
# names what to fix in the CI settings.
SECRETS_VARIABLE = "ACTIVITIES_CREDENTIAL_SECRETS"
# The variables a workflow step fills from the environment's GitHub secrets (framework.ci hands
# them on under the names pyproject.toml gives).
CI_VARIABLES = ("ACTIVITIES_CLIENT_ID", "ACTIVITIES_CLIENT_SECRET")
# How long a command waits for another one using the `local` instance before it refuses.
LOCAL_WAIT_SECONDS = 60.0
# The embedded instance is reached through the client: its notices share the client's logger,
# which the CLI shows on stderr.
_local_log = logging.getLogger("framework.client.local")


@dataclass(frozen=True)
class Target:
    """A resolved instance: where it is, how to authenticate, this tool's share of its limits."""

    name: str
    endpoint: str  # empty for `local` until the embedded emulator has started
    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    pacing: Pacing = Pacing()
    # Where the id and secret came from, as a credential error names them (never the values).
    credentials: str = DEFAULT_CREDENTIALS

    @classmethod
    def at_endpoint(
        cls, url: str, client_id: str = "", client_secret: str = "",
        pacing: Pacing | None = None, credentials: str = DEFAULT_CREDENTIALS,
    ) -> Target:
        """An ad-hoc `--endpoint URL` instance, named AD_HOC in plans and locks."""
        return cls(AD_HOC, url, client_id, client_secret, pacing or Pacing(), credentials)

    @property
    def ad_hoc(self) -> bool:
        """Whether this is an ad-hoc `--endpoint URL` instance (not in pyproject.toml)."""
        return self.name == AD_HOC

    @property
    def embedded(self) -> bool:
        return self.name == LOCAL and not self.endpoint

    @property
    def host(self) -> str:
        """The endpoint's host (never a secret): what plans record."""
        return urlsplit(self.endpoint).netloc if self.endpoint else "embedded emulator"


@dataclass(frozen=True)
class _Source:
    """The variables holding an instance's id and secret, and the GitHub secrets a workflow
    step filled them from (empty outside one)."""

    id_var: str
    secret_var: str
    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, id_var: str, secret_var: str, environ: Mapping[str, str]) -> _Source:
        secrets = tuple(environ.get(SECRETS_VARIABLE, "").split())
        return cls(id_var, secret_var, secrets if len(secrets) == 2 else ())

    def words(self) -> str:
        """How a credential error names them: `MARKETO_SANDBOX_CLIENT_ID / ..._SECRET`."""
        variables = f"{self.id_var} / {self.secret_var}"
        if not self.secrets:
            return variables
        return (f"the CI secrets {' / '.join(self.secrets)} (the CI job gives them to "
                f"activities as {variables})")

    def read(self, environ: Mapping[str, str], where: str) -> tuple[str, str]:
        client_id, secret = environ.get(self.id_var, ""), environ.get(self.secret_var, "")
        pairs = zip((self.id_var, self.secret_var), self.secrets or (self.id_var, self.secret_var),
                    (client_id, secret), strict=True)
        missing = [shown for _, shown, value in pairs if not value]
        if not missing:
            return client_id, secret
        verb = "is" if len(missing) == 1 else "are"
        if self.secrets:
            raise ConfigError(
                f"{where} needs credentials: the CI secret{'s' if len(missing) > 1 else ''} "
                f"{' and '.join(missing)} {verb} not set (or empty) for this job\n"
                "  fix: add them as secrets of the repository (GitHub Actions secrets, GitLab "
                f"masked CI/CD variables; {page('getting-started.md')} and {page('ci.md')} say "
                "which go where)"
            )
        raise ConfigError(
            f"{where} needs credentials: {' and '.join(missing)} {verb} not set\n"
            f"  fix: export {self.id_var}=... {self.secret_var}=... (the LaunchPoint custom "
            "service's client id and secret)"
        )


def _without_userinfo(url: str) -> str:
    """Refuse `https://user:secret@host`: plans, output and errors show the endpoint's host."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL": an unclosed [ in the host
        # Not repeated either: whatever it holds before the host may be a secret.
        raise ConfigError(
            f"the endpoint URL cannot be read ({exc}); nothing was sent\n"
            "  fix: pass the REST base, e.g. --endpoint https://123-ABC-456.mktorest.com "
            "(an IPv6 host in brackets: http://[::1]:8787)"
        ) from None
    userinfo = parts.username is not None or parts.password is not None
    if userinfo:
        # The URL itself is not repeated: it holds the secret.
        raise ConfigError(
            "the endpoint URL carries credentials (user:password@ before the host); they would "
            "show wherever the host does: plans, output and errors\n"
            "  fix: remove them from the URL and put the client id and secret in "
            f"{DEFAULT_CREDENTIALS}"
        )
    return url


def credential_variables(settings: Settings) -> set[str]:
    """The variables that may hold a credential or key of this project: the `--endpoint` ones,
    every environment's, the ones the workflows fill from GitHub secrets, and the plan key."""
    # ACTIVITIES_PLAN_KEY is framework.plan.planfile's KEY_VARIABLE (not imported: ids and
    # send do not load plans).
    names = {"MARKETO_CLIENT_ID", "MARKETO_CLIENT_SECRET", *CI_VARIABLES, "ACTIVITIES_PLAN_KEY"}
    for conf in settings.environments.values():
        names.update((conf.client_id_env, conf.client_secret_env))
    return names


def remember_credentials(settings: Settings, environ: Mapping[str, str]) -> None:
    """Mask the values of those variables in every message from now on, so that one typed
    where it does not belong (a secret pasted as the endpoint) is never echoed."""
    for name in sorted(credential_variables(settings)):
        remember_secret(environ.get(name))


def resolve_target(
    settings: Settings,
    env: str | None = None,
    endpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Target:
    """Turn `-e/--env` and `--endpoint` into a Target, checking everything before any call."""
    environ = os.environ if environ is None else environ
    remember_credentials(settings, environ)
    if env and endpoint:
        raise ConfigError("--env and --endpoint are exclusive\n  fix: pass one of them")
    if endpoint:
        url = check_endpoint(_without_userinfo(endpoint))
        source = _Source("MARKETO_CLIENT_ID", "MARKETO_CLIENT_SECRET")
        client_id, secret = source.read(environ, f"--endpoint {url}")
        # Someone's real instance, shared with their other integrations: take a share of it.
        share = Pacing(calls_per_window=SHARED_CALLS_PER_20S, max_concurrent=SHARED_MAX_CONCURRENT)
        return Target.at_endpoint(url, client_id, secret, share, source.words())
    if env in (None, LOCAL):
        return Target(LOCAL, "", LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET)
    assert env is not None
    if env not in settings.environments:
        raise ConfigError(_unknown(env, [LOCAL, *sorted(settings.environments)]))
    conf = settings.environments[env]
    try:
        url = check_endpoint(_without_userinfo(conf.endpoint))
    except ConfigError as exc:
        # The value comes from pyproject.toml, so the fix is there, not in an --endpoint option.
        what = str(exc).splitlines()[0]
        raise ConfigError(
            f"{settings.root / 'pyproject.toml'}: [tool.activities.environments.{env}] {what}\n"
            '  fix: set endpoint = "https://123-ABC-456.mktorest.com" (the REST base of the '
            "instance) in that section"
        ) from exc
    source = _Source.of(conf.client_id_env, conf.client_secret_env, environ)
    client_id, secret = source.read(environ, f"environment {env!r}")
    pacing = Pacing(calls_per_window=conf.calls_per_20s, max_concurrent=conf.max_concurrent)
    return Target(env, url, client_id, secret, pacing, source.words())


def _unknown(env: str, known: list[str]) -> str:
    """`unknown environment 'Sandbox'; did you mean 'sandbox'?`, or how to add it."""
    listed = ", ".join(known)
    suggestion = closest(env, known)
    if suggestion is not None:
        return (f"unknown environment {env!r}; did you mean {suggestion!r}? (known: {listed})\n"
                f"  fix: pass -e {suggestion}")
    return (f"unknown environment {env!r} (known: {listed})\n"
            f"  fix: add [tool.activities.environments.{env}] to pyproject.toml, "
            "or pass one of them")


@asynccontextmanager
async def connect(
    target: Target, settings: Settings, *, read_only: bool = False
) -> AsyncIterator[tuple[Target, MarketoClient]]:
    """Open a client on the target; for `local`, start the embedded emulator first.

    `read_only`: the client refuses every call that would change the instance (drift)."""
    if not target.embedded:
        async with MarketoClient(
            target.endpoint,
            target.client_id,
            target.client_secret,
            pacing=target.pacing,
            read_only=read_only,
            credentials=target.credentials,
        ) as client:
            yield target, client
        return
    from framework.emulator.config import EmulatorConfig
    from framework.emulator.server import EmulatorServer
    from framework.emulator.store import locked_state

    settings.state_dir.mkdir(parents=True, exist_ok=True)
    config = EmulatorConfig(
        client_id=LOCAL_CLIENT_ID,
        client_secret=LOCAL_CLIENT_SECRET,
        max_types=settings.max_types,
        state_file=settings.state_dir / LOCAL_STATE_FILE,
    )
    assert config.state_file is not None
    held = locked_state(config.state_file, LOCAL_WAIT_SECONDS, _waiting)
    # The wait runs in a worker thread, so that the event loop is never blocked on it.
    await asyncio.to_thread(held.__enter__)
    try:
        async with _embedded(EmulatorServer(config), target, read_only) as connected:
            yield connected
    finally:
        held.__exit__(None, None, None)


def _waiting(lock: Path) -> None:
    _local_log.warning(
        "the local instance is in use by another activities command; waiting up to "
        "%g s for it to finish (%s)", LOCAL_WAIT_SECONDS, lock)


@asynccontextmanager
async def _embedded(
    emulator: EmulatorServer, target: Target, read_only: bool
) -> AsyncIterator[tuple[Target, MarketoClient]]:
    with emulator as server:
        # Its window lives in this process alone: a file shared with other processes would
        # only leave one stale file per run (the port changes every time) in the user's cache.
        pacing = replace(target.pacing, across_processes=False)
        started = Target(LOCAL, server.url, target.client_id, target.client_secret, pacing)
        async with MarketoClient(
            server.url,
            started.client_id,
            started.client_secret,
            pacing=started.pacing,
            read_only=read_only,
        ) as client:
            yield started, client
