"""What init pins names what a release publishes: `marketo-activities==X.Y.Z` and tag vX.Y.Z.

The tool used to pin `activities==0.1.0` (a name nobody had published, which whoever claims it
first would run in every user's CI with Marketo write credentials) and `rev: v0.1.0` (a tag the
repository did not have), and README said `pipx install activities`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework import DISTRIBUTION, __version__
from framework.scaffold.init import init_repository
from framework.scaffold.pins import development_warning, is_release

ROOT = Path(__file__).resolve().parents[2]
PINNED = [".github/activities-requirements.txt", ".pre-commit-config.yaml"]


def test_the_distribution_is_marketo_activities_and_its_version_is_framework_s() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DISTRIBUTION == "marketo-activities"
    # One version source: pyproject reads framework.__version__, it holds no version itself.
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"] == {
        "version": {"attr": "framework.__version__"}}
    assert project["project"]["scripts"] == {"activities": "framework.__main__:run"}


@pytest.mark.parametrize(
    ("version", "release"),
    [("0.1.0", True), ("1.12.0", True), ("0.1.0.dev0", False), ("1.0.0rc1", False),
     ("1.0.0+local", False), ("1.0", False), ("01.0.0", False), ("1.0.0.post1", False)],
)
def test_only_x_y_z_is_a_release(version: str, release: bool) -> None:
    assert is_release(version) is release


def test_a_release_pins_what_the_index_and_the_tags_have_and_warns_of_nothing(
    tmp_path: Path,
) -> None:
    report = init_repository(tmp_path, force=False, version="1.4.2")

    assert report.warnings == []
    assert (tmp_path / ".github/activities-requirements.txt").read_text() == (
        "marketo-activities==1.4.2\n")
    assert "    rev: v1.4.2\n" in (tmp_path / ".pre-commit-config.yaml").read_text()


def test_a_development_build_says_its_pins_cannot_be_installed_and_what_to_write(
    tmp_path: Path,
) -> None:
    report = init_repository(tmp_path, force=False, version="1.5.0.dev0")

    assert report.pinned == PINNED
    assert report.warnings == [
        "activities 1.5.0.dev0 is a development build, not a release: the package index has "
        "no marketo-activities==1.5.0.dev0 and the repository no tag v1.5.0.dev0, so what "
        ".github/activities-requirements.txt and .pre-commit-config.yaml pin cannot be "
        "installed\n"
        "  fix: pin a release: `marketo-activities==X.Y.Z` in "
        ".github/activities-requirements.txt; `rev: vX.Y.Z` in .pre-commit-config.yaml "
        "(`pre-commit autoupdate` writes the newest); the releases are listed at "
        "https://pypi.org/project/marketo-activities/#history"
    ]


def test_the_warning_names_only_the_files_this_run_pinned(tmp_path: Path) -> None:
    # The hooks' entry is there already (with the user's rev): init leaves it and its rev be.
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: https://github.com/activities-as-code/activities\n"
        "    rev: v1.4.2\n    hooks:\n      - id: activities-validate\n")

    report = init_repository(tmp_path, force=False, version="1.5.0.dev0")

    assert report.pinned == [".github/activities-requirements.txt"]
    assert "so what .github/activities-requirements.txt pins cannot" in report.warnings[0]
    assert "pre-commit" not in report.warnings[0]
    assert development_warning("1.5.0.dev0", []) is None


def test_version_shows_the_one_version_and_whether_it_is_a_development_build(
    cli: Callable[..., Result],
) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    suffix = "" if is_release(__version__) else " (a development build)"
    assert result.output == f"activities {__version__}{suffix}\n"


def test_readme_installs_what_a_release_publishes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"\bpipx? install (?!-)([\w.=-]+)", readme)
    assert installs, "README has no install line"
    assert set(installs) <= {DISTRIBUTION, "pre-commit"}, installs
    assert "activities==VERSION" not in readme
