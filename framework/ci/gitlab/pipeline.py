"""What the repository's .gitlab-ci.yml says about the activities jobs: which environments
have an apply job, checked against pyproject.toml's environments.

init writes one apply job per environment it finds in pyproject.toml; an environment added
later has none until `activities init --ci gitlab --force` writes the file again, and nothing
would apply its plans after a merge. The merge request's first job says so, naming the
environments and the command. The jobs may also sit in files the pipeline includes from the
repository (`include: local`), which are read too; a pipeline that includes configuration from
elsewhere (another project, a URL, a template or component) cannot be checked from here.
https://docs.gitlab.com/ci/yaml/#include
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from framework.errors import ActivitiesError

PIPELINE = ".gitlab-ci.yml"
APPLY_JOB = "activities:apply:"
REFRESH = "activities init --ci gitlab --force"


class PipelineOutOfDate(ActivitiesError):
    """The pipeline's apply jobs are not pyproject.toml's environments."""


@dataclass(frozen=True)
class ApplyJobs:
    """The environments the pipeline has an apply job for, in its files' order."""

    environments: tuple[str, ...]
    files: tuple[str, ...]  # where they were looked for: the pipeline and its local includes


def apply_jobs(root: Path) -> ApplyJobs | None:
    """The apply jobs of ROOT's pipeline; None when there is no pipeline, or when it includes
    configuration from outside the repository (GitLab itself then says what runs)."""
    pending, seen, names = [PIPELINE], [], []
    while pending:
        relative = pending.pop(0)
        if relative in seen:
            continue
        seen.append(relative)
        data = _load(root / relative)
        if data is None:
            if relative == PIPELINE:
                return None
            continue
        names += [str(key) for key in data if str(key).startswith(APPLY_JOB)]
        for entry in _includes(data.get("include")):
            if entry is None:
                return None
            pending += sorted(p.relative_to(root).as_posix() for p in root.glob(entry))
    return ApplyJobs(tuple(n.removeprefix(APPLY_JOB) for n in names), tuple(seen))


def check_apply_jobs(root: Path, environments: list[str]) -> None:
    """Refuse a pipeline whose apply jobs are not ENVIRONMENTS (pyproject.toml's)."""
    found = apply_jobs(root)
    if found is None:
        return
    missing = [name for name in environments if name not in found.environments]
    extra = [name for name in found.environments if name not in environments]
    if not (missing or extra):
        return
    where = PIPELINE if len(found.files) == 1 else f"{PIPELINE} (with {', '.join(found.files[1:])})"
    said = []
    if missing:
        said.append(f"has no apply job for {_names(missing)}, "
                    f"{'an environment' if len(missing) == 1 else 'environments'} of "
                    "pyproject.toml: after the merge nothing would apply "
                    f"{'its' if len(missing) == 1 else 'their'} plans")
    if extra:
        said.append(f"has an apply job for {_names(extra)}, which pyproject.toml does not name")
    raise PipelineOutOfDate(
        f"{where} {'; and it '.join(said)}\n  fix: run `{REFRESH}` and commit {PIPELINE}: it "
        "writes one apply job per environment of pyproject.toml, in its order, and keeps your "
        f"[tool.activities] keys (it replaces the whole {PIPELINE}, and names it if it had "
        "changes of your own: copy those back)")


def _names(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError):
        return None  # GitLab refuses a pipeline it cannot read, and says why
    return data if isinstance(data, dict) else None


def _includes(include: Any) -> list[str | None]:
    """The local files an `include:` names, as globs from the root; None for one from
    elsewhere."""
    entries = include if isinstance(include, list) else [] if include is None else [include]
    found: list[str | None] = []
    for entry in entries:
        if isinstance(entry, str) and not entry.startswith(("http://", "https://")):
            found.append(entry.lstrip("/"))
        elif isinstance(entry, dict) and set(entry) <= {"local", "rules", "inputs"} and (
                "local" in entry):
            found.append(str(entry["local"]).lstrip("/"))
        else:
            found.append(None)
    return found
