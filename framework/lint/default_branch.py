"""`origin/HEAD` as git users expect it: the remote's default branch, even where the clone lacks it.

`git clone` records the remote's default branch as `refs/remotes/origin/HEAD`, a symbolic ref to
`origin/main` that every fetch keeps current. A repository whose remote was added with `git
remote add` has no such ref, and one made with `git fetch origin +HEAD:refs/remotes/origin/HEAD`
has a plain ref that no later fetch moves. In both cases the remote itself is asked which branch
its HEAD is (`git ls-remote --symref`), and the user is told, with the command that records it
properly (`git remote set-head origin --auto`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framework.errors import ConfigError

ASK_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class DefaultBranch:
    """The remote-tracking branch to compare with instead of REMOTE/HEAD, and why."""

    base: str  # `origin/main`
    note: str  # what was wrong with origin/HEAD, and how to record it


def default_branch(repo: Any, base: str) -> DefaultBranch | None:
    """For `REMOTE/HEAD` missing or stale in this clone: the remote's default branch; None when
    BASE is not such a ref, or is a symbolic ref that fetches keep current (use it as is)."""
    import git

    remote, _, head = base.rpartition("/")
    if head != "HEAD" or remote not in [r.name for r in repo.remotes]:
        return None
    ref = f"refs/remotes/{remote}/HEAD"
    try:
        repo.git.symbolic_ref("-q", ref)
        return None  # git clone's (or set-head's): it follows the remote
    except git.GitCommandError:
        pass
    plain = _exists(repo, ref)
    branch = _ask(repo, remote, base, plain)
    if not _exists(repo, f"refs/remotes/{remote}/{branch}"):
        raise ConfigError(
            f"{remote}'s default branch is {branch}, which this clone has not fetched\n"
            f"  fix: git fetch {remote} {branch} && git remote set-head {remote} --auto"
        )
    why = (
        f"{base} in this clone is a plain ref that fetches never move, so it may be stale"
        if plain
        else f"{base} is not set in this clone (`git clone` sets it, `git remote add` does not)"
    )
    return DefaultBranch(
        f"{remote}/{branch}",
        f"{why}; {remote}'s default branch is {branch}, so lint compares with "
        f"{remote}/{branch}. To record it (later fetches keep it current): "
        f"git remote set-head {remote} --auto",
    )


def _exists(repo: Any, ref: str) -> bool:
    import git

    try:
        repo.git.rev_parse("-q", "--verify", ref)
    except git.GitCommandError:
        return False
    return True


def _ask(repo: Any, remote: str, base: str, plain: bool) -> str:
    """The branch the remote's HEAD points at, as `git remote set-head --auto` finds it."""
    import git

    try:
        listed = repo.git.ls_remote(
            "--symref", remote, "HEAD", kill_after_timeout=ASK_TIMEOUT_SECONDS,
            env={"GIT_TERMINAL_PROMPT": "0"},
        )
    except git.GitCommandError as exc:
        state = "is a plain ref that fetches never move" if plain else "is not set in this clone"
        detail = (exc.stderr or "").strip().splitlines()
        raise ConfigError(
            f"{base} {state}, and {remote} could not be asked for its default branch"
            f"{': ' + detail[-1] if detail else ''}\n"
            f"  fix: git remote set-head {remote} --auto (once {remote} is reachable), or name "
            f"the branch: git remote set-head {remote} main"
        ) from exc
    for line in str(listed).splitlines():
        target, _, name = line.partition("\t")
        if name == "HEAD" and target.startswith("ref: refs/heads/"):
            return target.removeprefix("ref: refs/heads/")
    raise ConfigError(
        f"{remote} does not say which branch its HEAD is (an empty repository?)\n"
        f"  fix: pass the branch to compare with: --base {remote}/main"
    )
