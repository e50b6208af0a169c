"""Credential errors name the variables of the environment in use (and, in a workflow, the
GitHub secrets it reads); an environment name must be able to form those secret names."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework.ci.tool import credentials, secret_names
from framework.environment import SECRETS_VARIABLE, resolve_target
from framework.errors import ConfigError
from framework.manual import MANUAL
from framework.settings import EnvironmentSettings, Settings, load_settings
from tests.conftest import RunningEmulator

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
SANDBOX = EnvironmentSettings(
    endpoint="https://1.mktorest.com",
    client_id_env="MARKETO_SANDBOX_CLIENT_ID",
    client_secret_env="MARKETO_SANDBOX_CLIENT_SECRET",
)


def sandbox_project(project: Path, endpoint: str) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.activities.environments.sandbox]\n"
        f'endpoint = "{endpoint}"\n'
        'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"\n'
        'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"\n'
    )


def test_a_refused_secret_names_the_environments_own_variables(
    cli: Callable[..., Result], project: Path, emulator: RunningEmulator
) -> None:
    sandbox_project(project, emulator.url)
    env = {"MARKETO_SANDBOX_CLIENT_ID": emulator.config.client_id,
           "MARKETO_SANDBOX_CLIENT_SECRET": "a-wrong-secret-value"}

    result = cli("plan", "-e", "sandbox", cwd=project, env=env)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Marketo error 401: the identity service refused the client credentials "
        "(HTTP 401: invalid_client: Bad client credentials)\n"
        "  fix: check MARKETO_SANDBOX_CLIENT_ID / MARKETO_SANDBOX_CLIENT_SECRET: the client id "
        "and secret of the LaunchPoint custom service (endpoint GET /identity/oauth/token)\n"
    )


def test_in_a_workflow_a_refused_secret_names_the_github_secrets(
    cli: Callable[..., Result], project: Path, emulator: RunningEmulator
) -> None:
    sandbox_project(project, emulator.url)
    step = {"ACTIVITIES_CLIENT_ID": emulator.config.client_id,
            "ACTIVITIES_CLIENT_SECRET": "a-wrong-secret-value"}
    env = credentials(load_settings(project), "sandbox", step, read_only=True)

    result = cli("plan", "-e", "sandbox", cwd=project, env=env)

    assert result.exit_code == 1
    assert (
        "  fix: check the CI secrets ACTIVITIES_SANDBOX_READ_CLIENT_ID / "
        "ACTIVITIES_SANDBOX_READ_CLIENT_SECRET (the CI job gives them to activities as "
        "MARKETO_SANDBOX_CLIENT_ID / MARKETO_SANDBOX_CLIENT_SECRET): the client id and secret "
        "of the LaunchPoint custom service"
    ) in result.stderr


def test_missing_secrets_in_a_workflow_name_the_secrets_to_add() -> None:
    settings = Settings(environments={"sandbox": SANDBOX})
    environ = credentials(settings, "sandbox", {}, read_only=False)

    with pytest.raises(ConfigError) as caught:
        resolve_target(settings, env="sandbox", environ=environ)

    assert str(caught.value) == (
        "environment 'sandbox' needs credentials: the CI secrets ACTIVITIES_SANDBOX_CLIENT_ID "
        "and ACTIVITIES_SANDBOX_CLIENT_SECRET are not set (or empty) for this job\n"
        "  fix: add them as secrets of the repository (GitHub Actions secrets, GitLab masked "
        f"CI/CD variables; {MANUAL}/getting-started.md and {MANUAL}/ci.md say which go where)"
    )


def test_missing_variables_outside_a_workflow_name_the_environments_variables() -> None:
    settings = Settings(environments={"sandbox": SANDBOX})
    with pytest.raises(ConfigError) as caught:
        resolve_target(settings, env="sandbox",
                       environ={"MARKETO_CLIENT_ID": "x", "MARKETO_CLIENT_SECRET": "y"})
    assert str(caught.value) == (
        "environment 'sandbox' needs credentials: MARKETO_SANDBOX_CLIENT_ID and "
        "MARKETO_SANDBOX_CLIENT_SECRET are not set\n"
        "  fix: export MARKETO_SANDBOX_CLIENT_ID=... MARKETO_SANDBOX_CLIENT_SECRET=... (the "
        "LaunchPoint custom service's client id and secret)"
    )


@pytest.mark.parametrize(
    ("workflow", "read_only"),
    [("activities-pull-request.yml", True), ("activities-drift.yml", True),
     ("activities-apply.yml", False)],
)
def test_the_secret_names_are_the_ones_the_workflows_read(workflow: str, read_only: bool) -> None:
    text = (WORKFLOWS / workflow).read_text(encoding="utf-8")
    read = {pattern.format("sandbox").upper()
            for pattern in re.findall(r"secrets\[format\('([\w{}]+)'", text)}
    assert read == set(secret_names("sandbox", read_only=read_only))
    named = credentials(Settings(environments={"sandbox": SANDBOX}), "sandbox", {},
                        read_only=read_only)
    assert named == {SECRETS_VARIABLE: " ".join(secret_names("sandbox", read_only=read_only))}


BAD_NAME = (
    "{pyproject}: [tool.activities.environments.my-sandbox]: the environment name "
    "'my-sandbox' cannot be part of a GitHub secret name (ACTIVITIES_MY-SANDBOX_READ_CLIENT_ID, "
    "which the workflows read): secret names allow only letters, digits and _\n"
    "  fix: rename the table to [tool.activities.environments.my_sandbox]"
)


def test_validate_refuses_an_environment_name_no_secret_can_carry(
    cli: Callable[..., Result], project: Path
) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.activities.environments.my-sandbox]\nendpoint = "https://a.b"\n')

    result = cli("validate", cwd=project)

    assert result.exit_code == 1
    assert result.stderr == f"Error: {BAD_NAME.format(pyproject=pyproject)}\n"


def test_init_refuses_an_environment_name_no_secret_can_carry(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.activities.environments.my-sandbox]\nendpoint = "https://a.b"\n')

    result = cli("init", "--force", cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stderr == f"Error: {BAD_NAME.format(pyproject='pyproject.toml')}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_names_that_differ_only_in_case_would_share_their_secrets(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.activities.environments.sandbox]\nendpoint = "https://a.b"\n'
        '[tool.activities.environments.Sandbox]\nendpoint = "https://c.d"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == (
        f"{pyproject}: [tool.activities.environments.Sandbox]: the environments 'Sandbox' and "
        "'sandbox' would read the same GitHub secrets (ACTIVITIES_SANDBOX_...: secret names "
        "are not case-sensitive)\n"
        "  fix: rename one of them"
    )


@pytest.mark.parametrize("name", ["local", "endpoint"])
def test_the_built_in_names_are_not_environment_names(tmp_path: Path, name: str) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[tool.activities.environments.{name}]\nendpoint = "https://a.b"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).startswith(
        f"{pyproject}: [tool.activities.environments.{name}]: '{name}' is a built-in name"
    )


def test_an_unknown_environment_suggests_the_closest_name(
    cli: Callable[..., Result], project: Path
) -> None:
    sandbox_project(project, "https://1.mktorest.com")

    result = cli("plan", "-e", "Sandbox", cwd=project)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unknown environment 'Sandbox'; did you mean 'sandbox'? (known: local, sandbox)\n"
        "  fix: pass -e sandbox\n"
    )


def test_an_unknown_environment_with_no_close_name_says_how_to_add_it() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_target(Settings(environments={"sandbox": SANDBOX}), env="production", environ={})
    assert str(caught.value) == (
        "unknown environment 'production' (known: local, sandbox)\n"
        "  fix: add [tool.activities.environments.production] to pyproject.toml, or pass one "
        "of them"
    )
