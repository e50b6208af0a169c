"""A secret the tool knows is masked in every message, even one typed where it does not belong
(a client secret pasted as the endpoint, or into pyproject.toml's endpoint)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

EXAMPLES = Path(__file__).resolve().parents[2] / "activities"
SECRET = "Zq8s3cr3tValueOfTheClient"
CLIENT_ID = "0f1e2d3c-client-id-4b5a"
CREDENTIALS = {"MARKETO_CLIENT_ID": CLIENT_ID, "MARKETO_CLIENT_SECRET": SECRET}
TYPO = {  # the endpoint as typed, and what the error then says
    "secret": (SECRET, "Error: endpoint '<redacted>' is not a URL\n"),
    "in-path": (f"http://example.com/{SECRET}",
                "Error: endpoint 'http://example.com/<redacted>' uses plain http off the "
                "loopback interface"),
}
COMMANDS = {
    "plan": ("plan",),
    "apply": ("apply", "--yes"),
    "import": ("import",),
    "drift": ("drift",),
    "ids": ("ids",),
    "send": ("send", "buyCar", "records.jsonl"),
}


@pytest.mark.parametrize("typo", ["secret", "in-path"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_secret_typed_as_the_endpoint_is_masked(
    cli: Callable[..., Result], project: Path, command: str, typo: str
) -> None:
    endpoint, message = TYPO[typo]
    (project / "records.jsonl").write_text("{}\n")
    shutil.copy(EXAMPLES / "buyCar.yaml", project / "activities")

    result = cli(*COMMANDS[command], "--endpoint", endpoint, cwd=project, env=CREDENTIALS)

    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert SECRET not in result.output


def test_a_secret_in_a_named_environments_endpoint_is_masked(
    cli: Callable[..., Result], project: Path
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.activities.environments.sandbox]\n"
        f'endpoint = "{SECRET}"\n'
        'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"\n'
        'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"\n'
    )
    env = {"MARKETO_SANDBOX_CLIENT_ID": CLIENT_ID, "MARKETO_SANDBOX_CLIENT_SECRET": SECRET}

    result = cli("plan", "-e", "sandbox", cwd=project, env=env)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {project / 'pyproject.toml'}: [tool.activities.environments.sandbox] "
        "endpoint '<redacted>' is not a URL\n"
    ), result.stderr
    assert SECRET not in result.output


def test_a_client_id_typed_as_the_host_is_masked_in_the_hint_too(
    cli: Callable[..., Result], project: Path
) -> None:
    result = cli("plan", "--endpoint", f"https://{CLIENT_ID}.invalid", cwd=project,
                 env=CREDENTIALS)

    assert result.exit_code == 1
    assert CLIENT_ID not in result.output, result.output
    assert "<redacted>" in result.stderr


def test_the_plan_key_variable_is_among_the_masked_ones() -> None:
    from framework.environment import credential_variables
    from framework.plan.planfile import KEY_VARIABLE
    from framework.settings import Settings

    assert KEY_VARIABLE in credential_variables(Settings())


def test_a_hint_that_repeats_the_endpoint_masks_the_secret_in_it() -> None:
    from framework.client.redact import remember_secret
    from framework.invocation import Invocation

    remember_secret(SECRET)
    typed = Invocation.of(endpoint=f"https://x.mktorest.com/{SECRET}")
    assert typed.command("plan") == "activities plan --endpoint https://x.mktorest.com/<redacted>"
