"""`.pre-commit-hooks.yaml`: pre-commit runs each hook on a scratch repository.

pre-commit installs the hooks' environment from this repository with pip (the only network
it needs: the package registry); the hooks themselves never connect. One install serves every
test of the run: they share one pre-commit store and one snapshot of this repository's working
tree (tests/support/once.py), as a user's repositories share ~/.cache/pre-commit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.support.checkout import ROOT, copy_checkout
from tests.support.once import built_once, run_folder

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
    """This repository's working tree (uncommitted edits included) as one commit, made once
    per test run: the same repository and revision each time, so pre-commit installs the
    hooks' environment only once."""
    return built_once(tmp_path_factory, "checkout", copy_checkout)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The run's one pre-commit store (PRE_COMMIT_HOME). pre-commit locks it while it
    installs, so test processes running side by side share it safely."""
    return str(run_folder(tmp_path_factory) / "pre-commit-home")


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


def run_hooks(repo: Path, hooks_repo: Path, home: str, *args: str) -> Done:
    """`pre-commit run --all-files ARGS` in REPO with every hook of .pre-commit-hooks.yaml, as
    a user's .pre-commit-config.yaml lists them. (`pre-commit try-repo` does the same, but
    into a new temporary store each time: a pip install of this project at every call.)"""
    manifest = YAML(typ="safe").load((hooks_repo / ".pre-commit-hooks.yaml").read_text())
    head = run(hooks_repo, "git", "rev-parse", "HEAD").stdout.strip()
    config = repo.parent / f"{repo.name}.pre-commit-config.yaml"
    config.write_text(json.dumps({"repos": [{
        "repo": str(hooks_repo), "rev": head, "hooks": [{"id": hook["id"]} for hook in manifest],
    }]}))
    pre_commit = str(Path(sys.executable).with_name("pre-commit"))
    return run(repo, pre_commit, "run", "--config", str(config), *args, "--all-files",
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

    done = run_hooks(repo, hooks_repo, pre_commit_home)

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

    done = run_hooks(repo, hooks_repo, pre_commit_home)

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

    unbumped = run_hooks(repo, hooks_repo, pre_commit_home, "--hook-stage", "pre-push")

    assert unbumped.returncode == 1
    assert status(unbumped.stdout) == {"activities lint": "Failed"}
    assert "buyCar" in unbumped.stdout

    definition.write_text(definition.read_text().replace("version: 1", "version: 2"))
    git(repo, "commit", "--quiet", "-am", "Bump buyCar")

    bumped = run_hooks(repo, hooks_repo, pre_commit_home, "--hook-stage", "pre-push")

    assert bumped.returncode == 0, bumped.stdout
    assert status(bumped.stdout) == {"activities lint": "Passed"}


def _origin(tmp_path: Path, branch: str = "trunk") -> Path:
    """A remote whose default branch is BRANCH (not main: nothing is guessed), with buyCar."""
    origin = tmp_path / "origin"
    (origin / "activities").mkdir(parents=True)
    (origin / "activities" / "buyCar.yaml").write_text((EXAMPLES / "buyCar.yaml").read_text())
    (origin / "pyproject.toml").write_text("[tool.activities]\n")
    git(origin, "init", "--quiet", "-b", branch)
    git(origin, "add", "-A")
    git(origin, "commit", "--quiet", "-m", "definitions")
    return origin


def _added_remote(tmp_path: Path, origin: Path) -> Path:
    """A repository whose remote was added with `git remote add`: it has no origin/HEAD."""
    repo = tmp_path / "added"
    repo.mkdir()
    git(repo, "init", "--quiet")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "fetch", "--quiet", "origin")
    git(repo, "checkout", "--quiet", "-b", "work", "origin/trunk")
    return repo


def _describe_differently(repo: Path) -> None:
    definition = repo / "activities" / "buyCar.yaml"
    definition.write_text(definition.read_text().replace("from one of", "from any of"))
    git(repo, "commit", "--quiet", "-am", "Describe buyCar differently, version unchanged")


def test_lint_finds_the_remotes_default_branch_when_origin_head_is_missing(
    tmp_path: Path, cli: Any
) -> None:
    repo = _added_remote(tmp_path, _origin(tmp_path))
    _describe_differently(repo)

    result = cli("lint", "--base", "origin/HEAD", cwd=repo)

    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Note: origin/HEAD is not set in this clone (`git clone` sets it, `git remote add` does "
        "not); origin's default branch is trunk, so lint compares with origin/trunk. To record "
        "it (later fetches keep it current): git remote set-head origin --auto\n"
    )
    assert "Linted 1 changed definition(s) against origin/trunk" in result.stdout
    git(repo, "remote", "set-head", "origin", "--auto")  # the advice works: no note after it
    assert cli("lint", "--base", "origin/HEAD", cwd=repo).stderr == ""


def test_lint_does_not_trust_an_origin_head_that_fetches_never_move(
    tmp_path: Path, cli: Any
) -> None:
    origin = _origin(tmp_path)
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(origin), str(repo))
    stale = run(repo, "git", "rev-parse", "origin/HEAD").stdout.strip()
    git(repo, "symbolic-ref", "--delete", "refs/remotes/origin/HEAD")
    git(repo, "update-ref", "refs/remotes/origin/HEAD", stale)  # as `git fetch +HEAD:...` makes
    (origin / "activities" / "sellCar.yaml").write_text(
        (EXAMPLES / "buyCar.yaml").read_text().replace("buyCar", "sellCar")
        .replace("Buy", "Sell").replace("Bought", "Sold"))
    git(origin, "add", "-A")
    git(origin, "commit", "--quiet", "-m", "sellCar")
    git(repo, "pull", "--quiet")  # origin/trunk moves on; the plain origin/HEAD does not

    result = cli("lint", "--base", "origin/HEAD", cwd=repo)

    assert result.stderr.startswith(
        "Note: origin/HEAD in this clone is a plain ref that fetches never move, so it may be "
        "stale; origin's default branch is trunk, so lint compares with origin/trunk."
    ), result.stderr
    assert "Linted 0 changed definition(s) against origin/trunk" in result.stdout


def test_lint_says_how_to_record_the_default_branch_when_the_remote_cannot_be_asked(
    tmp_path: Path, cli: Any
) -> None:
    origin = _origin(tmp_path)
    repo = _added_remote(tmp_path, origin)
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone"))

    result = cli("lint", "--base", "origin/HEAD", cwd=repo)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: origin/HEAD is not set in this clone, and origin could not be asked for its "
        "default branch: "
    ), result.stderr
    assert result.stderr.endswith(
        "  fix: git remote set-head origin --auto (once origin is reachable), or name the "
        "branch: git remote set-head origin main\n"
    )


def test_the_pre_push_hook_lints_against_the_default_branch_of_an_added_remote(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: str
) -> None:
    repo = _added_remote(tmp_path, _origin(tmp_path))
    _describe_differently(repo)

    done = run_hooks(repo, hooks_repo, pre_commit_home, "--hook-stage", "pre-push")

    assert done.returncode == 1
    assert status(done.stdout) == {"activities lint": "Failed"}
    assert "origin's default branch is trunk, so lint compares with origin/trunk" in done.stdout
    assert "buyCar" in done.stdout
