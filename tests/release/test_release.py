"""The release workflow's steps, run here: build, check, smoke-test the installed wheel.

release.yml runs `.github/scripts/release.py` on a tag; these tests run the same script, so a
release that would fail to build, ship without a data file or not start once installed fails
here first. Only the upload to the package index and the GitHub release cannot run here:
actionlint checks those steps (tests/scaffold/test_templates.py).

The build and the install take about a minute of wall time (the dependencies come from the
package index or pip's cache), so they run once per test run, marked `release`:
`pytest -m "not release"` skips them. They build from a copy of the working tree
(tests/support/checkout.py): a build writes into the tree it builds, and other tests run
beside this one.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.checkout import copy_checkout
from tests.support.once import built_once

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".github" / "scripts" / "release.py"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = load_script()


def step(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """One step as release.yml runs it: `python .github/scripts/release.py STEP ...` in ROOT."""
    return subprocess.run([sys.executable, str(root / SCRIPT.relative_to(ROOT)), *args],
                          capture_output=True, text=True, check=False, cwd=root)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "checkout", copy_checkout)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory, checkout: Path) -> Path:
    def build(folder: Path) -> None:
        built = step("build", str(folder), root=checkout)
        assert built.returncode == 0, built.stderr

    return built_once(tmp_path_factory, "dist", build)


@pytest.mark.release
def test_the_built_sdist_and_wheel_pass_the_checks(dist: Path, checkout: Path) -> None:
    checked = step("check", str(dist), root=checkout)

    assert (checked.returncode, checked.stderr) == (0, "")
    version = release.source_version()
    files = len(release.package_files())
    assert checked.stdout == (
        f"marketo_activities-{version}-py3-none-any.whl: {files} package files (every one "
        f"under framework/), metadata of marketo-activities {version}, the `activities` "
        "command\n"
        f"marketo_activities-{version}.tar.gz: the same files, pyproject.toml, README.md, "
        "LICENSE\n"
    )
    # Every data file the commands open is among them (schema, templates, BEHAVIOUR.md).
    with zipfile.ZipFile(dist / f"marketo_activities-{version}-py3-none-any.whl") as wheel:
        names = wheel.namelist()
    assert "framework/definitions/activity-type.schema.json" in names
    assert "framework/emulator/BEHAVIOUR.md" in names
    assert any(name.startswith("framework/scaffold/templates/github/") for name in names)
    assert any(name.endswith(".j2") for name in names)


@pytest.mark.release
def test_the_installed_wheel_inits_validates_plans_and_applies_on_local(
    dist: Path, checkout: Path
) -> None:
    smoked = step("smoke", str(dist), root=checkout)

    assert (smoked.returncode, smoked.stderr) == (0, "")
    lines = smoked.stdout.splitlines()
    assert lines[0].startswith("installed marketo_activities-")
    # The package came from the fresh virtualenv, never from this checkout.
    assert "/venv/lib/" in lines[0]
    assert str(ROOT) not in lines[0] and str(checkout) not in lines[0]
    assert lines[1] == (
        f"activities {release.source_version()}: --version, init (pin marketo-activities=="
        f"{release.source_version()}), validate, fmt --check, schema, plan (changes), show, "
        "apply, plan (none left), ids, codegen, on local"
    )


@pytest.mark.release
def test_check_names_a_data_file_the_wheel_lacks(
    dist: Path, checkout: Path, tmp_path: Path
) -> None:
    # The check above can fail: a wheel without one template (a package-data glob gone).
    broken = tmp_path / "dist"
    shutil.copytree(dist, broken)
    wheel = next(broken.glob("*.whl"))
    missing = "framework/scaffold/templates/activities/README.md"
    rebuilt = tmp_path / "rebuilt.whl"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            if item.filename != missing:
                target.writestr(item, source.read(item))
    rebuilt.replace(wheel)

    checked = step("check", str(broken), root=checkout)

    assert (checked.returncode, checked.stdout) == (1, "")
    assert checked.stderr == f"Error: wheel: {missing} is missing\n"


def test_a_tag_must_be_the_source_version_with_a_changelog_section() -> None:
    changelog = "# Changelog\n\n## Unreleased\n\n## 1.4.2 - 2027-01-15\n\n- Fixed it.\n\n" \
                "## 1.4.1 - 2027-01-02\n\n- Older.\n"

    assert release.check_tag("v1.4.2", "1.4.2", changelog) == "1.4.2"
    assert release.changelog_section("1.4.2", changelog) == "- Fixed it.\n"
    with pytest.raises(release.ReleaseError) as mismatch:
        release.check_tag("v1.4.3", "1.4.2", changelog)
    assert str(mismatch.value) == (
        "tag v1.4.3 does not match framework/__init__.py's version 1.4.2: tag the commit "
        "that sets __version__ = '1.4.3'")
    with pytest.raises(release.ReleaseError) as not_release:
        release.check_tag("v1.5.0.dev0", "1.5.0.dev0", changelog)
    assert str(not_release.value) == "tag 'v1.5.0.dev0' is not a release tag vX.Y.Z"
    with pytest.raises(release.ReleaseError) as no_section:
        release.check_tag("v1.4.0", "1.4.0", changelog)
    assert str(no_section.value) == (
        "CHANGELOG.md has no section `## 1.4.0 - YYYY-MM-DD`: rename `## Unreleased` to it "
        "(with the release date) in the commit that sets the version")


def test_this_checkout_is_a_development_build_that_no_tag_releases() -> None:
    # Between releases the version names the next one as X.Y.Z.devN; the tag check refuses
    # it, so only the commit that sets X.Y.Z (and dates its CHANGELOG section) can be released.
    from framework import __version__

    assert release.source_version() == __version__
    refused = step("check-tag", f"v{__version__}")
    if release.RELEASE.fullmatch(__version__):
        assert refused.returncode == 0, refused.stderr
        assert step("notes", __version__).stdout.strip()
    else:
        assert (refused.returncode, refused.stderr) == (
            1, f"Error: tag 'v{__version__}' is not a release tag vX.Y.Z\n")


def test_the_workflow_runs_these_steps_and_publishes_with_no_stored_token() -> None:
    # actionlint checks it with the other workflows (tests/scaffold/test_templates.py).
    text = WORKFLOW.read_text(encoding="utf-8")
    for step_line in ('release.py check-tag "$TAG"', "release.py build dist",
                      "release.py check dist", "release.py smoke dist",
                      'release.py notes "$VERSION"'):
        assert step_line in text, step_line
    assert 'tags: ["v*"]' in text
    assert "id-token: write" in text and "uses: pypa/gh-action-pypi-publish@" in text
    assert "attestations: true" in text and "actions/attest-build-provenance@" in text
    # Trusted publishing: no password, no token secret anywhere in the workflow.
    assert "password" not in text and "secrets." not in text
    assert "--notes-file notes/release-notes.md" in text
