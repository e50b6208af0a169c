"""The workflows run the installed tool, never a `framework/` folder of the repository under review.

A pull request that adds `framework/` at the root of a user's repository must not get its code
run by the steps that hold the read credentials (plan), the write credentials (apply) or the
token that pushes to main (commit-lock): every Python the workflows start runs with `-P` or
PYTHONSAFEPATH=1, which keep the working folder off `sys.path`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from framework.scaffold.files import WORKFLOWS, template_text
from tests.workflows.scratch_repo import ScratchRepo, git

# What the hostile folder does when imported: leave a trace, then fail the step.
HOSTILE = """\
import pathlib, sys
with open({trace!r}, "a") as trace:
    trace.write(" ".join(sys.argv) + "\\n")
raise SystemExit(97)
"""


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_", "PYTHONSAFEPATH")):
            monkeypatch.delenv(name)
    return ScratchRepo(tmp_path, emulator)


def add_hostile_framework(repo: ScratchRepo, trace: Path) -> None:
    for package in ("framework", "framework/ci"):
        folder = repo.work / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(HOSTILE.format(trace=str(trace)))
        (folder / "__main__.py").write_text(HOSTILE.format(trace=str(trace)))


def test_a_framework_folder_in_the_repository_is_never_imported(
    repo: ScratchRepo, emulator: Any, tmp_path: Path
) -> None:
    trace = tmp_path / "hostile-code-ran.txt"
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    add_hostile_framework(repo, trace)
    repo.commit("Add attendWebinar (and a framework/ folder)")

    # Plain `python -m` would run it: the folder is what a step's working folder offers.
    done = subprocess.run([sys.executable, "-m", "framework.ci", "environments"],
                          cwd=repo.work, capture_output=True, text=True, check=False,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"})
    assert done.returncode == 97
    assert trace.read_text().count("\n") == 1
    trace.unlink()

    check, plans = repo.pull_request(7, "webinars")
    assert check.ok, check.codes()
    assert plans["sandbox"].ok, plans["sandbox"].codes()
    assert "| `+` | `attendWebinar` | create |" in plans["sandbox"].summary
    repo.merge("webinars", 7)
    _, applies = repo.push_to_main("merge-7")

    assert applies["sandbox"].ok, applies["sandbox"].codes()
    assert "### activities apply `sandbox`: applied" in applies["sandbox"].summary
    lock = json.loads(git(repo.origin, "show", "main:activities/.lock/sandbox.json"))
    assert list(lock["types"]) == ["attendWebinar"]
    assert not trace.exists()


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_python_a_workflow_starts_keeps_the_checkout_off_its_path(name: str) -> None:
    workflow: dict[str, Any] = YAML(typ="safe").load(template_text("github", "workflows", name))
    assert workflow.get("env", {}).get("PYTHONSAFEPATH") == "1", name
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for command in re.findall(r"\bpython3?\b[^\n]*", step.get("run", "")):
                assert command.startswith(("python -P ", "python3 -P ")), (name, command)



def test_this_repository_which_installs_its_checkout_has_no_instance_to_reach() -> None:
    # Its workflows install the checkout under review (requirements `.`): they may only plan
    # and apply `local`, so it must name no environment (and hold no ACTIVITIES_* secret).
    import tomllib

    root = Path(__file__).resolve().parents[2]
    assert (root / ".github" / "activities-requirements.txt").read_text().splitlines()[-1] == "."
    settings = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["activities"]
    assert "environments" not in settings
