"""`.pre-commit-hooks.yaml`: pre-commit try-repo runs each hook on a scratch repository.

pre-commit installs the hooks' environment from this repository with pip (the only network
it needs: the package registry); the hooks themselves never connect. One install serves every
test here: they share PRE_COMMIT_HOME and one snapshot of this repository's working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "activities"


Done = subprocess.CompletedProcess[str]


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Done:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


def git(cwd: Path, *args: str) -> None:
    done = run(cwd, "git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's working tree (uncommitted edits included) as one commit.

    try-repo would make such a shadow repository itself, anew at each call, and so install
    the hooks' environment again each time; one snapshot lets the tests share one install."""
    snapshot = tmp_path_factory.mktemp("hooks-repo")
    listed = run(ROOT, "git", "ls-files", "-co", "--exclude-standard", "-z").stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "--quiet")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "--quiet", "-m", "snapshot")
    return snapshot


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("pre-commit-home"))


def scratch(tmp_path: Path, *files: tuple[str, str]) -> Path:
    """A user's repository with these (path, text) files, committed."""
    repo = tmp_path / "user"
    (repo / "activities").mkdir(parents=True)
    for path, text in files:
        (repo / path).write_text(text)
    git(repo, "init", "--quiet")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "definitions")
    return repo


def try_repo(repo: Path, hooks_repo: Path, home: str, *args: str) -> Done:
    pre_commit = str(Path(sys.executable).with_name("pre-commit"))
    return run(repo, pre_commit, "try-repo", str(hooks_repo), *args, "--all-files",
               env={"PRE_COMMIT_HOME": home, "PRE_COMMIT_COLOR": "never"})


def status(output: str) -> dict[str, str]:
    """Hook name -> Passed/Failed/Skipped, from pre-commit's report lines."""
    lines = [line for line in output.splitlines() if line.startswith("activities ")]
    return {line.split(".")[0]: line.rsplit(".", 1)[1].strip() for line in lines}


def test_validate_and_fmt_pass_on_valid_definitions(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: str
) -> None:
    text = (EXAMPLES / "buyCar.yaml").read_text()
    repo = scratch(tmp_path, ("activities/buyCar.yaml", text))

    done = try_repo(repo, hooks_repo, pre_commit_home)

    assert done.returncode == 0, done.stdout + done.stderr
    # lint is a pre-push hook: it does not run at commit time.
    assert status(done.stdout) == {"activities fmt": "Passed", "activities validate": "Passed"}


def test_validate_and_fmt_fail_on_a_broken_or_unformatted_file(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: str
) -> None:
    text = (EXAMPLES / "buyCar.yaml").read_text()
    unformatted = text.replace("version: 1\napiName: buyCar\n", "apiName: buyCar\nversion: 1\n")
    assert unformatted != text
    repo = scratch(tmp_path, ("activities/buyCar.yaml", unformatted),
                   ("activities/sellCar.yaml", "apiName: sellCar\n"))

    done = try_repo(repo, hooks_repo, pre_commit_home)

    assert done.returncode == 1
    assert status(done.stdout) == {"activities fmt": "Failed", "activities validate": "Failed"}
    assert "activities/sellCar.yaml" in done.stdout
    assert (repo / "activities" / "buyCar.yaml").read_text() == text  # fmt rewrote it


def test_lint_runs_at_pre_push_against_origin_head(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: str
) -> None:
    text = (EXAMPLES / "buyCar.yaml").read_text()
    origin = scratch(tmp_path, ("activities/buyCar.yaml", text))
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(origin), str(repo))  # origin/HEAD: its branch
    definition = repo / "activities" / "buyCar.yaml"
    # An attribute's description: a change lint needs a version for, and nothing else.
    definition.write_text(text.replace("0 when paid in cash", "0 for a cash purchase"))
    git(repo, "commit", "--quiet", "-am", "Describe financingRate differently, version unchanged")

    unbumped = try_repo(repo, hooks_repo, pre_commit_home, "--hook-stage", "pre-push")

    assert unbumped.returncode == 1
    assert status(unbumped.stdout) == {"activities lint": "Failed"}
    assert "buyCar" in unbumped.stdout

    definition.write_text(definition.read_text().replace("version: 1", "version: 2"))
    git(repo, "commit", "--quiet", "-am", "Bump buyCar")

    bumped = try_repo(repo, hooks_repo, pre_commit_home, "--hook-stage", "pre-push")

    assert bumped.returncode == 0, bumped.stdout
    assert status(bumped.stdout) == {"activities lint": "Passed"}
