"""`activities init --ci gitlab`: a self-contained .gitlab-ci.yml with an apply job per
environment, valid against GitLab's CI schema, and no GitHub workflow."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework import __version__
from framework.scaffold.files import gitlab_pipeline
from framework.scaffold.pins import development_warning

Cli = Callable[..., Result]
WRITTEN = ["pyproject.toml", "activities/README.md", "activities/.schema.json", "plans/.gitkeep",
           ".gitlab-ci.yml",
           ".gitlab/activities-requirements.txt", ".pre-commit-config.yaml", ".gitignore"]


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    checker = Path(sys.executable).with_name("check-jsonschema")
    assert checker.is_file(), "check-jsonschema is missing: `pip install -e '.[test]'`"
    return subprocess.run([str(checker), "--builtin-schema", "vendor.gitlab-ci", str(path)],
                          capture_output=True, text=True, check=False)


def test_init_writes_the_gitlab_pipeline_and_its_requirements(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "--ci", "gitlab", cwd=tmp_path)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:-1] == [f"wrote {path}" for path in WRITTEN]
    assert result.stderr == "Warning: " + str(development_warning(
        __version__, [".gitlab/activities-requirements.txt", ".pre-commit-config.yaml"])) + "\n"
    assert (tmp_path / ".gitlab-ci.yml").read_text() == gitlab_pipeline(())
    assert (tmp_path / ".gitlab" / "activities-requirements.txt").read_text() == (
        f"marketo-activities=={__version__}\n")
    assert not (tmp_path / ".github").exists()


def test_init_again_names_the_gitlab_option_in_its_fix(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--ci", "gitlab", cwd=tmp_path).exit_code == 0

    again = cli("init", "--ci", "gitlab")

    assert again.exit_code == 1
    assert again.output == (
        "Error: .: already set up for activities: pyproject.toml [tool.activities], "
        "activities/README.md, .gitlab-ci.yml, .gitlab/activities-requirements.txt; nothing "
        "was written\n  fix: run `activities init --ci gitlab --force` to write those files "
        "again (existing [tool.activities] keys are kept)\n")


def test_an_apply_job_per_environment_in_pyproject_order(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.activities.environments.sandbox]\nendpoint = 'https://a.mktorest.com'\n"
        "[tool.activities.environments.production]\nendpoint = 'https://b.mktorest.com'\n")

    assert cli("init", "--ci", "gitlab", "--force", cwd=tmp_path).exit_code == 0

    text = (tmp_path / ".gitlab-ci.yml").read_text()
    assert text == gitlab_pipeline(("sandbox", "production"))
    sandbox, production = text.index("activities:apply:sandbox:"), text.index(
        "activities:apply:production:")
    assert sandbox < production
    assert '  needs: ["activities:apply:sandbox"] # none after a failure\n' in text[production:]
    assert "  environment:\n    name: production\n" in text
    assert "  resource_group: activities-production" in text


@pytest.mark.parametrize("environments", [(), ("sandbox",), ("sandbox", "staging",
                                                             "production")])
def test_the_pipeline_is_valid_against_gitlab_s_ci_schema(
    environments: tuple[str, ...], tmp_path: Path
) -> None:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(gitlab_pipeline(environments))

    done = check_jsonschema(path)

    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout
    assert "include:" not in path.read_text()  # self-contained


def test_the_schema_check_fails_on_a_broken_pipeline(tmp_path: Path) -> None:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(gitlab_pipeline(("sandbox",)).replace("resource_group:", "resource_groups:"))
    assert check_jsonschema(path).returncode == 1


def test_the_settings_init_writes_for_gitlab_speak_of_gitlab(cli: Cli, tmp_path: Path) -> None:
    # The commented-out environment told a GitLab user to add "GitHub secrets" for "the
    # workflows in .github/workflows", which init --ci gitlab does not write.
    assert cli("init", "--ci", "gitlab", cwd=tmp_path).exit_code == 0

    pyproject = (tmp_path / "pyproject.toml").read_text()

    assert "GitHub" not in pyproject and ".github" not in pyproject
    assert "CI/CD variables" in pyproject and "--ci gitlab --force" in pyproject
    assert "# [tool.activities.environments.sandbox]" in pyproject
