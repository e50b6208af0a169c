"""Build, check and smoke-test a release of marketo-activities: the steps of release.yml.

The release workflow runs these steps on a tag vX.Y.Z, and tests/release runs the same ones on
this machine, so everything but the upload and the GitHub release is tried before a tag is
pushed. Standard library only (plus `build` for the build step): it runs before anything of
the tool is installed, and never imports the tool from the checkout.

    python .github/scripts/release.py version            the version framework/__init__.py holds
    python .github/scripts/release.py check-tag vX.Y.Z   the tag, the version and CHANGELOG agree
    python .github/scripts/release.py notes X.Y.Z        CHANGELOG.md's section of the release
    python .github/scripts/release.py build DIST         sdist, then the wheel built from it
    python .github/scripts/release.py check DIST         metadata and contents of both
    python .github/scripts/release.py smoke DIST         the wheel in a fresh virtualenv, on local

Each step prints what it checked and exits 1 with one line per problem when something is off.
"""

from __future__ import annotations

import argparse
import ast
import email.parser
import email.policy
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "marketo-activities"
PROJECT = "marketo_activities"  # the distribution's name in file names (normalized)
RELEASE = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
# Files of the checkout the sdist must carry besides the package.
SDIST_EXTRAS = ("pyproject.toml", "README.md", "LICENSE", "PKG-INFO")
# What the wheel's .dist-info holds besides RECORD (which lists the rest).
DIST_INFO = ("METADATA", "WHEEL", "RECORD", "entry_points.txt", "top_level.txt",
             "licenses/LICENSE")
# The definition the smoke test plans and applies: one type, every common data type.
DEFINITION = """\
version: 1
apiName: smokeTest
name: Smoke Test
description: Made by the release smoke test
triggerName: Passes Smoke Test
filterName: Passed Smoke Test
primaryAttribute:
  apiName: runName
  name: Run Name
  dataType: string
attributes:
  - apiName: minutes
    name: Minutes
    dataType: integer
  - apiName: passed
    name: Passed
    dataType: boolean
"""


class ReleaseError(Exception):
    """A release step found problems; each line of the message is one."""


def source_version() -> str:
    """The version framework/__init__.py assigns, read without importing the package."""
    module = ast.parse((ROOT / "framework" / "__init__.py").read_text(encoding="utf-8"))
    for node in module.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "__version__"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    raise ReleaseError("framework/__init__.py assigns no __version__ string")


def changelog_section(version: str, text: str | None = None) -> str:
    """The body of CHANGELOG.md's `## X.Y.Z - YYYY-MM-DD` section (the GitHub release notes)."""
    if text is None:
        text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.compile(rf"^## \[?{re.escape(version)}\]? - \d{{4}}-\d{{2}}-\d{{2}}$", re.M)
    found = heading.search(text)
    if found is None:
        raise ReleaseError(
            f"CHANGELOG.md has no section `## {version} - YYYY-MM-DD`: rename `## Unreleased` "
            "to it (with the release date) in the commit that sets the version")
    following = re.compile(r"^## ", re.M).search(text, found.end())
    body = text[found.end():following.start() if following else len(text)].strip()
    if not body:
        raise ReleaseError(f"CHANGELOG.md's section {version} is empty: say what changed")
    return body + "\n"


def check_tag(tag: str, version: str | None = None, changelog: str | None = None) -> str:
    """The version a tag vX.Y.Z releases, if the source (or VERSION) and CHANGELOG.md (or
    CHANGELOG) agree with it."""
    version = version or source_version()
    problems = []
    if not tag.startswith("v") or not RELEASE.fullmatch(tag[1:]):
        problems.append(f"tag {tag!r} is not a release tag vX.Y.Z")
    elif tag[1:] != version:
        problems.append(f"tag {tag} does not match framework/__init__.py's version {version}: "
                        f"tag the commit that sets __version__ = {tag[1:]!r}")
    if not problems:
        try:
            changelog_section(version, changelog)
        except ReleaseError as exc:
            problems.append(str(exc))
    if problems:
        raise ReleaseError("\n".join(problems))
    return version


def build(dist: Path) -> None:
    """The sdist, then the wheel built from the sdist (so the sdist is known to be complete)."""
    dist.mkdir(parents=True, exist_ok=True)
    if any(dist.iterdir()):
        raise ReleaseError(f"{dist} is not empty: build into an empty folder")
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])


def package_files() -> list[str]:
    """Every file of the package in the checkout (git's, tracked or new), as wheel paths."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                  "framework"], cwd=ROOT).split("\0")
    return sorted(name for name in listed
                  if name and (ROOT / name).is_file() and "__pycache__" not in name)


def dependencies() -> tuple[list[str], dict[str, list[str]]]:
    """pyproject.toml's dependencies and optional dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"], project.get("optional-dependencies", {})


def artifacts(dist: Path, version: str) -> tuple[Path, Path]:
    """The one sdist and the one wheel of VERSION in DIST."""
    names = sorted(path.name for path in dist.iterdir())
    sdist, wheel = f"{PROJECT}-{version}.tar.gz", f"{PROJECT}-{version}-py3-none-any.whl"
    if names != sorted([sdist, wheel]):
        raise ReleaseError(f"{dist} holds {names}, not exactly {sdist} and {wheel}")
    return dist / sdist, dist / wheel


def check(dist: Path) -> list[str]:
    """Metadata and contents of the sdist and wheel in DIST; what was checked, line by line."""
    version = source_version()
    sdist, wheel = artifacts(dist, version)
    problems: list[str] = []
    expected = package_files()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"{PROJECT}-{version}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode("utf-8")
        entry_points = archive.read(f"{info}/entry_points.txt").decode("utf-8")
        wheel_info = archive.read(f"{info}/WHEEL").decode("utf-8")
    problems += [f"wheel: {name} is missing" for name in expected if name not in names]
    allowed = set(expected) | {f"{info}/{name}" for name in DIST_INFO}
    problems += [f"wheel: {name} should not ship" for name in sorted(names - allowed)]
    problems += check_metadata("wheel METADATA", metadata, version)
    if "Root-Is-Purelib: true" not in wheel_info or "Tag: py3-none-any" not in wheel_info:
        problems.append("wheel: not a pure-Python py3-none-any wheel")
    if "activities = framework.__main__:run" not in entry_points.splitlines():
        problems.append("wheel: entry_points.txt lacks `activities = framework.__main__:run`")
    with tarfile.open(sdist) as archive:
        top = f"{PROJECT}-{version}"
        members = {member.name.removeprefix(top + "/") for member in archive.getmembers()
                   if member.isfile()}
        pkg_info = archive.extractfile(f"{top}/PKG-INFO")
        assert pkg_info is not None
        problems += check_metadata("sdist PKG-INFO", pkg_info.read().decode("utf-8"), version)
    problems += [f"sdist: {name} is missing" for name in [*SDIST_EXTRAS, *expected]
                 if name not in members]
    if problems:
        raise ReleaseError("\n".join(problems))
    return [f"{wheel.name}: {len(expected)} package files (every one under framework/), "
            f"metadata of {DISTRIBUTION} {version}, the `activities` command",
            f"{sdist.name}: the same files, pyproject.toml, README.md, LICENSE"]


def check_metadata(where: str, text: str, version: str) -> list[str]:
    """What a package index shows of the release: name, version, licence, README, needs."""
    message = email.parser.Parser(policy=email.policy.compat32).parsestr(text)
    requires, extras = dependencies()
    wanted = {
        "Name": DISTRIBUTION,
        "Version": version,
        "Requires-Python": ">=3.11",
        "License-Expression": "Apache-2.0",
        "License-File": "LICENSE",
        "Description-Content-Type": "text/markdown",
    }
    problems = [f"{where}: {key} is {message.get(key)!r}, not {value!r}"
                for key, value in wanted.items() if message.get(key) != value]
    if float(message.get("Metadata-Version", "0")) < 2.4:
        problems.append(f"{where}: Metadata-Version {message.get('Metadata-Version')} < 2.4 "
                        "(License-Expression needs 2.4)")
    if not message.get("Summary"):
        problems.append(f"{where}: no Summary")
    urls = message.get_all("Project-URL") or []
    if not any(url.startswith("Source, https://github.com/") for url in urls):
        problems.append(f"{where}: no Project-URL `Source` on GitHub (it has {urls})")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if str(message.get_payload()).strip() != readme.strip():
        problems.append(f"{where}: the long description is not README.md")
    declared = sorted(message.get_all("Requires-Dist") or [])
    should = sorted([*requires, *(f'{need}; extra == "{extra}"'
                                  for extra, needs in extras.items() for need in needs)])
    if [_normal(need) for need in declared] != [_normal(need) for need in should]:
        problems.append(f"{where}: Requires-Dist {declared} differs from pyproject's {should}")
    return problems


def _normal(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower().replace("_", "-")


def smoke(dist: Path, work: Path | None = None) -> list[str]:
    """Install the wheel into a fresh virtualenv and run it on local, far from the checkout."""
    version = source_version()
    _, wheel = artifacts(dist, version)
    with tempfile.TemporaryDirectory(prefix="activities-smoke-") as scratch:
        base = work or Path(scratch)
        venv, project = base / "venv", base / "project"
        # A venv without pip of its own (ensurepip is most of a venv's cost): this pip
        # installs into it, the wheel and its dependencies from the index, nothing else.
        run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
        python = str(bin_dir / "python")
        run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
             "--disable-pip-version-check", str(wheel.resolve())])
        env = {key: value for key, value in os.environ.items()
               if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
        env |= {"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
                "ACTIVITIES_CACHE_DIR": str(base / "cache"), "NO_COLOR": "1"}
        project.mkdir()

        def activities(*args: str, code: int = 0) -> str:
            return run([str(bin_dir / "activities"), *args], cwd=project, env=env, code=code)

        where = run([python, "-c", "import framework; print(framework.__file__)"],
                    cwd=project, env=env).strip()
        if not Path(where).resolve().is_relative_to(venv.resolve()):
            raise ReleaseError(f"the smoke test imports framework from {where}, not the wheel")
        done = [f"installed {wheel.name} into a fresh virtualenv; framework from {where}"]
        shown = activities("--version").strip()
        if not shown.startswith(f"activities {version}"):
            raise ReleaseError(f"`activities --version` says {shown!r}, not {version}")
        run(["git", "init", "--quiet"], cwd=project, env=env)
        warned = run([str(bin_dir / "activities"), "init"], cwd=project, env=env,
                     stderr=True)
        pin = (project / ".github" / "activities-requirements.txt").read_text(encoding="utf-8")
        if pin != f"{DISTRIBUTION}=={version}\n":
            raise ReleaseError(f"init pinned {pin!r}, not {DISTRIBUTION}=={version}")
        if RELEASE.fullmatch(version) and warned:
            raise ReleaseError(f"init of release {version} warned: {warned}")
        (project / "activities" / "smokeTest.yaml").write_text(DEFINITION, encoding="utf-8")
        activities("validate")
        activities("fmt", "--check")
        activities("schema")
        activities("plan", "--format", "markdown", "--out", "plans/smoke.json",
                   "--detailed-exitcode", code=2)
        activities("show", "plans/smoke.json")
        activities("apply", "plans/smoke.json")
        activities("plan", "--detailed-exitcode")
        ids = activities("ids")
        if "smokeTest" not in ids:
            raise ReleaseError(f"`activities ids` after apply lists no smokeTest: {ids!r}")
        activities("codegen", "--out", "models.py")
        run([python, "-c", "import models; assert models.MODELS['smokeTest']"],
            cwd=project, env=env)
        done.append(f"activities {version}: --version, init (pin {pin.strip()}), validate, "
                    "fmt --check, schema, plan (changes), show, apply, plan (none left), ids, "
                    "codegen, on local")
        return done


def run(command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        code: int = 0, stderr: bool = False) -> str:
    """Run COMMAND; its output (or with STDERR its errors), or a ReleaseError with both when
    it exits other than CODE."""
    done = subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != code:
        raise ReleaseError(f"`{' '.join(command)}` exited {done.returncode}, not {code}:\n"
                           f"{done.stdout}{done.stderr}".rstrip())
    return done.stderr if stderr else done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("version")
    steps.add_parser("check-tag").add_argument("tag")
    steps.add_parser("notes").add_argument("version")
    for name in ("build", "check", "smoke"):
        steps.add_parser(name).add_argument("dist", type=Path)
    arguments = parser.parse_args(argv)
    try:
        match arguments.step:
            case "version":
                print(source_version())
            case "check-tag":
                print(check_tag(arguments.tag))
            case "notes":
                sys.stdout.write(changelog_section(arguments.version))
            case "build":
                build(arguments.dist)
            case "check":
                print("\n".join(check(arguments.dist)))
            case "smoke":
                print("\n".join(smoke(arguments.dist)))
    except ReleaseError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
