"""`activities init`: an empty folder, an existing project (nothing lost), and a second run."""

from __future__ import annotations

import os
import stat
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from framework import __version__
from framework.definitions.schema import SCHEMA_PATH
from framework.manual import MANUAL
from framework.scaffold.files import WORKFLOWS, template_text
from framework.scaffold.pins import development_warning

Cli = Callable[..., Result]

WRITTEN = [
    "pyproject.toml",
    "activities/README.md",
    "activities/.schema.json",
    "plans/.gitkeep",
    *(f".github/workflows/{name}" for name in WORKFLOWS),
    ".github/activities-requirements.txt",
    ".github/dependabot.yml",
    ".pre-commit-config.yaml",
    ".gitignore",
]
PINNED = [".github/activities-requirements.txt", ".pre-commit-config.yaml"]
NEXT = (
    "Next: `activities validate` and `activities plan` (on the built-in local instance); then "
    "add an environment to pyproject.toml and adopt its types with `activities import -e NAME`."
)

EXISTING_PYPROJECT = """\
# The project's own header comment.
[project]
name = "marketing-ops"   # trailing comment
version = "1.2.3"
dependencies = ["activities==0.1.0"]

[tool.ruff]
line-length = 88  # ours

[tool.pytest.ini_options]
addopts = "-q"
"""

EXISTING_PRECOMMIT = """\
# our hooks
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace  # keep
"""


GITIGNORE = f"""\
# activities: the state of the embedded `local` instance (and its lock)
.activities/
# activities: what apply and the workflows leave in plans/ (a plan saved for review,
# plans/NAME.json, is committed):
# {MANUAL}/commands/init.md#what-goes-in-git
plans/*.journal.jsonl
plans/apply-*.json
plans/*.plan.json
plans/*.comment.md
"""


def files_under(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_init_in_an_empty_folder_writes_everything_and_validate_and_plan_work(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("init", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"wrote {p}\n" for p in WRITTEN) + NEXT + "\n"
    # This checkout is a development build: the pins name it, and init says they cannot be
    # installed (test_pins has a release's init, which warns of nothing).
    assert result.stderr == f"Warning: {development_warning(__version__, PINNED)}\n"
    files = files_under(tmp_path)
    assert sorted(files) == sorted(WRITTEN)
    for name in WORKFLOWS:
        assert files[f".github/workflows/{name}"] == template_text("github", "workflows", name)
    assert files[".github/activities-requirements.txt"] == f"marketo-activities=={__version__}\n"
    settings = tomllib.loads(files["pyproject.toml"])
    assert settings == {"tool": {"activities": {"max_types": 10, "definitions": "activities"}}}
    assert "# [tool.activities.environments.sandbox]" in files["pyproject.toml"]
    assert files[".gitignore"] == GITIGNORE
    assert files[".pre-commit-config.yaml"] == (
        "default_install_hook_types:\n  - pre-commit\n  - pre-push\nrepos:\n"
        "  - repo: https://github.com/activities-as-code/activities\n"
        f"    rev: v{__version__}\n"
        "    hooks:\n      - id: activities-validate\n      - id: activities-fmt\n"
        "      - id: activities-lint\n"
    )
    validate = cli("validate")
    assert (validate.exit_code, validate.output) == (
        0, "0 definitions: activities holds no *.yaml or *.yml file\n"
    )
    plan = cli("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "No changes" in plan.output


def test_init_in_a_project_whose_pyproject_is_not_toml_says_where_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    # It crashed: exit 3, "Unexpected error: UnexpectedCharError", and a crash log.
    broken = "[project]\nname = 'shop'\n[tool.activities\n"
    (tmp_path / "pyproject.toml").write_text(broken)

    result = cli("init", cwd=tmp_path)

    assert result.exit_code == 1, result.output
    assert result.output == (
        "Error: pyproject.toml: cannot read [tool.activities]: Expected ']' at "
        "the end of a table declaration (at line 3, column 17)\n"
        "  fix: correct the TOML at that position\n")
    assert [p.name for p in tmp_path.iterdir()] == ["pyproject.toml"]
    assert (tmp_path / "pyproject.toml").read_text() == broken


def test_init_keeps_everything_an_existing_project_has(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(EXISTING_PYPROJECT)
    (tmp_path / ".pre-commit-config.yaml").write_text(EXISTING_PRECOMMIT)
    (tmp_path / ".gitignore").write_text("__pycache__/\n.venv/\n")
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "notes.txt").write_text("ours\n")

    result = cli("init", cwd=tmp_path)

    assert result.exit_code == 0, result.output
    assert "updated pyproject.toml\n" in result.output
    assert "updated .pre-commit-config.yaml\nupdated .gitignore\n" in result.output
    pyproject = (tmp_path / "pyproject.toml").read_text()
    # Every byte of the old file is still there, in order, with the table added at the end.
    assert pyproject.startswith(EXISTING_PYPROJECT)
    data = tomllib.loads(pyproject)
    before = tomllib.loads(EXISTING_PYPROJECT)
    assert data["project"] == before["project"]
    assert data["tool"] == {**before["tool"], "activities": {"max_types": 10,
                                                             "definitions": "activities"}}
    precommit = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert precommit == (
        "# our hooks\ndefault_install_hook_types:\n  - pre-commit\n  - pre-push\nrepos:\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n"
        "    hooks:\n      - id: trailing-whitespace  # keep\n"
        "  - repo: https://github.com/activities-as-code/activities\n"
        f"    rev: v{__version__}\n"
        "    hooks:\n      - id: activities-validate\n      - id: activities-fmt\n"
        "      - id: activities-lint\n"
    )
    assert (tmp_path / ".gitignore").read_text() == "__pycache__/\n.venv/\n\n" + GITIGNORE
    assert (tmp_path / "activities" / "notes.txt").read_text() == "ours\n"
    assert cli("validate").exit_code == 0


def test_a_second_init_refuses_and_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", cwd=tmp_path).exit_code == 0
    (tmp_path / "activities" / "README.md").write_text("my own notes\n")
    before = files_under(tmp_path)

    again = cli("init")

    assert again.exit_code == 1
    assert again.output == (
        "Error: .: already set up for activities: pyproject.toml [tool.activities], "
        "activities/README.md, "
        + ", ".join(f".github/workflows/{name}" for name in WORKFLOWS)
        + ", .github/activities-requirements.txt; nothing was written\n"
        "  fix: run `activities init --force` to write those files again (existing "
        "[tool.activities] keys are kept)\n"
    )
    assert files_under(tmp_path) == before


def test_force_writes_the_owned_files_again_and_keeps_the_settings(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.activities]\nmax_types = 25  # ours\n")
    assert cli("init", cwd=tmp_path).exit_code == 1
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / WORKFLOWS[0]).write_text("old\n")

    result = cli("init", "--force")

    assert result.exit_code == 0, result.output
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[tool.activities]\nmax_types = 25  # ours\ndefinitions = "activities"\n'
    )
    workflow = (tmp_path / ".github" / "workflows" / WORKFLOWS[0]).read_text()
    assert workflow == template_text("github", "workflows", WORKFLOWS[0])
    assert "kept .gitignore" not in result.output
    again = cli("init", "--force")
    assert "kept pyproject.toml (it has what init adds)" in again.output
    assert "kept .pre-commit-config.yaml (it has what init adds)" in again.output
    assert "kept .gitignore (it has what init adds)" in again.output


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for one test (restored after it)."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_files_get_the_users_umask(
    cli: Cli, tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int
) -> None:
    umask(mask)
    assert cli("init", cwd=tmp_path).exit_code == 0

    modes = {path: stat.S_IMODE((tmp_path / path).stat().st_mode) for path in WRITTEN}
    assert modes == dict.fromkeys(WRITTEN, mode)


def test_existing_files_keep_their_mode(
    cli: Cli, tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(0o022)
    (tmp_path / "pyproject.toml").write_text(EXISTING_PYPROJECT)
    (tmp_path / "pyproject.toml").chmod(0o664)
    (tmp_path / ".gitignore").write_text("__pycache__/\n")
    (tmp_path / ".gitignore").chmod(0o600)

    assert cli("init", cwd=tmp_path).exit_code == 0

    assert stat.S_IMODE((tmp_path / "pyproject.toml").stat().st_mode) == 0o664
    assert stat.S_IMODE((tmp_path / ".gitignore").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / ".pre-commit-config.yaml").stat().st_mode) == 0o644


def test_git_ignores_what_apply_and_the_workflows_leave_in_plans_and_keeps_saved_plans(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("init", cwd=tmp_path).exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    left = [
        "plans/next.json",  # saved with `activities plan --out` for review: committed
        "plans/next.journal.jsonl",  # its apply's journal
        "plans/apply-20261128T123000.123456Z-3f9a0c.json",  # an interactive apply's plan
        "plans/apply-20261128T123000.123456Z-3f9a0c.journal.jsonl",
        "plans/sandbox.plan.json",  # the workflows' plan and comment
        "plans/sandbox.comment.md",
    ]
    for name in left:
        (tmp_path / name).write_text("{}\n")

    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "plans"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout

    assert status.splitlines() == ["?? plans/.gitkeep", "?? plans/next.json"]


def test_init_adds_only_the_ignore_lines_that_are_missing(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text(".activities/\nplans/*.journal.jsonl\n")

    assert cli("init", cwd=tmp_path).exit_code == 0

    assert (tmp_path / ".gitignore").read_text() == (
        ".activities/\nplans/*.journal.jsonl\n\n"
        "# activities: what apply and the workflows leave in plans/ (a plan saved for review,\n"
        "# plans/NAME.json, is committed):\n"
        f"# {MANUAL}/commands/init.md#what-goes-in-git\n"
        "plans/apply-*.json\nplans/*.plan.json\nplans/*.comment.md\n"
    )
    again = cli("init", "--force")
    assert "kept .gitignore (it has what init adds)" in again.output


def test_init_puts_the_schema_beside_the_definitions_and_refreshes_it(
    cli: Cli, tmp_path: Path
) -> None:
    """A user's repository has no framework/: the modeline `$schema=.schema.json` must resolve."""
    assert cli("init", cwd=tmp_path).exit_code == 0
    schema = tmp_path / "activities" / ".schema.json"
    assert schema.read_text() == SCHEMA_PATH.read_text()
    schema.write_text('{"title": "the schema of an older version"}\n')

    refused = cli("init")
    assert refused.exit_code == 1
    assert ".schema.json" not in refused.stderr  # generated: never in the way
    forced = cli("init", "--force")
    assert "updated activities/.schema.json\n" in forced.output
    assert schema.read_text() == SCHEMA_PATH.read_text()
    assert "kept activities/.schema.json" in cli("init", "--force").output
