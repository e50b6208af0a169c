"""The workflows: one source (the templates init writes), and actionlint clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framework.scaffold.files import WORKFLOWS, template_text

ROOT = Path(__file__).resolve().parents[2]
REPO_WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint binary the test extras install beside this interpreter."""
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert found, "actionlint is missing: `pip install -e '.[test]'` installs it"
    return found


# This repository's own workflows, which init does not copy to users.
OWN_WORKFLOWS = ("release.yml",)


def test_the_repository_ships_exactly_the_templates_init_writes() -> None:
    assert sorted(p.name for p in REPO_WORKFLOWS.iterdir()) == sorted(WORKFLOWS + OWN_WORKFLOWS)
    for name in WORKFLOWS:
        shipped = (REPO_WORKFLOWS / name).read_text(encoding="utf-8")
        assert shipped == template_text("github", "workflows", name), (
            f".github/workflows/{name} differs from framework/scaffold/templates/github/"
            f"workflows/{name}: edit the template and copy it over"
        )


@pytest.mark.parametrize("name", WORKFLOWS + OWN_WORKFLOWS)
def test_actionlint_passes_on_every_workflow(name: str) -> None:
    done = subprocess.run(
        [actionlint(), "-no-color", str(REPO_WORKFLOWS / name)],
        capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    # The check above can fail: an unknown context and a bad `needs` are reported.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n"
        "    steps:\n      - run: echo ${{ matrix.nothing }}\n"
    )
    done = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert "missing" in done.stdout


def test_every_permission_is_explained_by_a_comment() -> None:
    for name in WORKFLOWS + OWN_WORKFLOWS:
        lines = (REPO_WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
        block = False
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith("permissions:"):
                block = stripped == "permissions:"
                if not block:
                    assert stripped == "permissions: {}", f"{name}:{number}"
                continue
            if block and stripped.startswith("#"):
                continue
            if block and ":" in stripped and line.startswith(" " * 6):
                assert "#" in line or lines[number - 2].strip().startswith("#"), (
                    f"{name}:{number}: permission {stripped!r} has no comment saying why"
                )
            else:
                block = False


@pytest.mark.parametrize(
    ("name", "kind"),
    [("activities-pull-request.yml", "_READ_"), ("activities-drift.yml", "_READ_"),
     ("activities-apply.yml", "")],
)
def test_plans_and_drift_get_only_the_read_only_credentials(name: str, kind: str) -> None:
    import re

    text = (REPO_WORKFLOWS / name).read_text(encoding="utf-8")
    secrets = re.findall(r"secrets\[format\('([\w{}]+)'", text)
    assert secrets, name
    for secret in secrets:
        assert ("_READ_" in secret) == bool(kind), f"{name}: {secret}"
