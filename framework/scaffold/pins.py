"""What init pins: the distribution and the tag that a release publishes.

A release (version X.Y.Z) is on the package index as `marketo-activities==X.Y.Z` and in the
repository as the tag vX.Y.Z, so the requirements file the workflows install and the hooks'
`rev` name exactly what the user runs. A development build (X.Y.Z.devN, installed from a
checkout) is in neither place: init still pins its version, so CI never silently runs another
one, and warns that the pin cannot be installed and what to write instead.
"""

from __future__ import annotations

import re

from framework import DISTRIBUTION

# The release workflow publishes only tags vX.Y.Z (release.yml), so only these versions exist.
RELEASE = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
RELEASES_PAGE = f"https://pypi.org/project/{DISTRIBUTION}/#history"
# The files that pin a version, as init names them.
REQUIREMENTS = ".github/activities-requirements.txt"
GITLAB_REQUIREMENTS = ".gitlab/activities-requirements.txt"
PRECOMMIT = ".pre-commit-config.yaml"


def is_release(version: str) -> bool:
    """Whether VERSION is one a release publishes (X.Y.Z), not a development build."""
    return RELEASE.fullmatch(version) is not None


def requirement(version: str) -> str:
    """The requirement the workflows install: `marketo-activities==X.Y.Z`."""
    return f"{DISTRIBUTION}=={version}"


def hooks_rev(version: str) -> str:
    """The tag pre-commit installs the hooks from."""
    return f"v{version}"


def development_warning(version: str, pinned: list[str]) -> str | None:
    """What to tell a user whose PINNED files name a development build; None for a release."""
    if is_release(version) or not pinned:
        return None
    fixes = {
        name: f"`{requirement('X.Y.Z')}` in {name}" for name in (REQUIREMENTS, GITLAB_REQUIREMENTS)
    }
    fixes[PRECOMMIT] = (f"`rev: {hooks_rev('X.Y.Z')}` in {PRECOMMIT} (`pre-commit autoupdate` "
                        "writes the newest)")
    return (
        f"activities {version} is a development build, not a release: the package index has "
        f"no {requirement(version)} and the repository no tag {hooks_rev(version)}, so what "
        f"{' and '.join(pinned)} pin{'s' if len(pinned) == 1 else ''} cannot be installed\n"
        f"  fix: pin a release: {'; '.join(fixes[name] for name in pinned)}; the releases are "
        f"listed at {RELEASES_PAGE}"
    )
