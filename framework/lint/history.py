"""What changed in the definitions folder between the merge base of HEAD with REF and now.

"Now" is the working tree (committed or not), so `lint --fix` and local runs see the files as
they are on disk. A shallow clone that lacks the base or the merge base is an error that says
exactly how to fetch them: lint never passes because history was missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from framework.definitions.document import MAX_FILE_BYTES
from framework.definitions.loader import SUFFIXES, definition_paths
from framework.errors import ConfigError
from framework.lint.default_branch import default_branch

DEEPEN = 1000
_SHA = re.compile(r"^[0-9a-fA-F]{7,40}$")


@dataclass(frozen=True)
class ChangedFile:
    """One definition file whose text differs between the merge base and the working tree."""

    path: str  # relative to the repository's root, with `/`: what GitHub annotations need
    old: str | None  # None: the file is new
    new: str | None  # None: the file was deleted


@dataclass(frozen=True)
class History:
    """The base as given, the commits it resolved to, and the changed definition files."""

    base: str
    base_commit: str
    merge_base: str
    root: Path
    changed: tuple[ChangedFile, ...]
    note: str = ""  # how the base was found, when it was not the ref given (origin/HEAD)


def changed_definitions(directory: Path, base: str) -> History:
    """The definition files of `directory` that differ from the merge base of HEAD and `base`."""
    import git  # imported here: gitpython is slow to import

    try:
        repo = git.Repo(directory, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(
            f"{directory} is not in a git repository, so lint has no history to compare with\n"
            "  fix: run lint in a clone of the repository (in CI: GitHub's actions/checkout, or "
            "GitLab's clone of the project)"
        ) from exc
    root = Path(str(repo.working_tree_dir))
    shallow = (Path(repo.git_dir) / "shallow").is_file()
    default = default_branch(repo, base)  # origin/HEAD missing or stale: the remote's HEAD
    if default is not None:
        base = default.base
    base_commit = _resolve(repo, base, shallow)
    try:
        head = repo.head.commit
    except ValueError as exc:
        raise ConfigError("HEAD has no commit yet\n  fix: commit the definitions first") from exc
    bases = repo.merge_base(head, base_commit)
    if not bases:
        raise ConfigError(_no_merge_base(base, shallow))
    merge_base = bases[0]
    try:
        folder = PurePosixPath(directory.resolve().relative_to(root.resolve()).as_posix())
    except ValueError as exc:
        raise ConfigError(
            f"the definitions folder {directory} is outside the repository at {root}\n"
            "  fix: run lint from the repository that holds the definitions"
        ) from exc
    old = _files_at(merge_base.tree, folder)
    paths = definition_paths(directory).paths
    new = {(folder / path.name).as_posix(): _capped(path) for path in paths}
    changed = tuple(
        ChangedFile(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    )
    return History(base, base_commit.hexsha, merge_base.hexsha, root, changed,
                   default.note if default else "")


def fetch_command(base: str) -> str:
    """The fetch that brings `base` and enough history of both sides for a merge base."""
    branch = base.removeprefix("origin/")
    refspec = base if _SHA.match(base) else f"+{branch}:refs/remotes/origin/{branch}"
    return f"git fetch --no-tags --deepen={DEEPEN} origin {refspec}"


def _resolve(repo: Any, base: str, shallow: bool) -> Any:
    import git

    for candidate in (base, f"origin/{base}"):
        try:
            return repo.commit(candidate)
        except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
            continue
    if shallow:
        raise ConfigError(
            f"the base {base!r} is not in this clone, which is shallow (CI checkouts "
            "fetch few commits unless told otherwise); lint cannot tell what changed and "
            f"does not pass without it\n  fix: {fetch_command(base)}\n"
            "  or, in the workflow: `fetch-depth: 0` under `with:` of actions/checkout (GitHub), "
            "`GIT_DEPTH: 0` in the job's `variables:` (GitLab)"
        )
    raise ConfigError(
        f"the base {base!r} is neither a commit nor a branch of this repository\n"
        f"  fix: pass a branch or a commit SHA that exists here, or fetch it: {fetch_command(base)}"
    )


def _no_merge_base(base: str, shallow: bool) -> str:
    if shallow:
        return (
            f"HEAD and {base!r} have no common commit in this clone, which is shallow: the "
            "merge base is beyond the history fetched; lint cannot tell what changed and does "
            f"not pass without it\n  fix: {fetch_command(base)}\n"
            "  or, in the workflow: `fetch-depth: 0` under `with:` of actions/checkout (GitHub), "
            "`GIT_DEPTH: 0` in the job's `variables:` (GitLab)"
        )
    return (
        f"HEAD and {base!r} have no common history (no merge base)\n"
        "  fix: pass the branch this one was started from"
    )


def _files_at(tree: Any, folder: PurePosixPath) -> dict[str, str]:
    """The definition files directly in `folder` of a commit's tree (none when it is absent)."""
    try:
        subtree = tree / folder.as_posix() if folder.as_posix() != "." else tree
    except KeyError:
        return {}
    files: dict[str, str] = {}
    for blob in subtree.blobs:
        name = PurePosixPath(blob.path).name
        if PurePosixPath(name).suffix in SUFFIXES and not name.startswith("."):
            raw: bytes = blob.data_stream.read(MAX_FILE_BYTES + 1)
            files[PurePosixPath(blob.path).as_posix()] = raw.decode("utf-8", errors="replace")
    return files


def _capped(path: Path) -> str:
    """The file's text, read no further than a definition may be long (validate refuses more)."""
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1).decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(unreadable: {exc.strerror})"  # read_document reports it on the file
