"""The merge's last step: commit the environment's lock file that apply wrote back to main.

The apply job checks out its merge commit, which lacks any lock commit pushed since (by the job
of an earlier merge, or of another environment): rebasing the file's text onto main would
conflict, both sides having rewritten the same lines. So the lock is never rebased as text. The
step takes what this apply recorded (the entries that differ between the lock it wrote and the
lock of the commit it ran on), replays them onto the lock on the newest main, and commits that
on top of the newest main (git plumbing, through a temporary index: the working tree is not
touched); if main moved again before the push, it starts over from the newer main.

A lock that cannot be pushed never fails the job: the types are applied, and a failed job would
cancel the environments after this one. The summary says so, with what restores it (the next
apply, or `activities lock repair -e ENV` and a commit of the file).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_OK
from framework.errors import ActivitiesError
from framework.lock.model import Lock
from framework.lock.rebuild import onto
from framework.lock.store import load_lock, lock_path, lock_text, parse_lock
from framework.settings import Settings

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
TRIES = 5  # pushes before giving up; each one starts again from the newest main


class GitFailed(ActivitiesError):
    """A git command of the step failed (its stderr says why)."""


def commit_lock_step(
    settings: Settings,
    environment: str,
    ctx: StepContext,
    *,
    before_push: Callable[[], None] = lambda: None,
) -> int:
    """Commit ENVIRONMENT's lock file, as apply left it, on top of the newest main; exit 0
    whatever happens to the push (the summary says what did)."""
    root = settings.root
    path = lock_path(settings, environment)
    relative = path.relative_to(root).as_posix()
    written = load_lock(path).lock
    if written is None:
        ctx.add_summary(f"No lock file for `{environment}` to commit (`{relative}`).")
        return EXIT_OK
    branch = "main"
    try:
        branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
        if branch == "HEAD":  # a detached checkout: the branch the workflow ran for
            branch = ctx.get("GITHUB_REF_NAME") or "main"
        checked_out = lock_at(root, "HEAD", relative)
        if checked_out is not None and lock_text(checked_out) == lock_text(written):
            return EXIT_OK  # apply recorded nothing new
        failure = ""
        for _ in range(TRIES):
            _git(root, "fetch", "--quiet", "origin", branch)
            newest = _git(root, "rev-parse", "FETCH_HEAD").strip()
            merged = onto(lock_at(root, newest, relative), checked_out, written)
            if merged is None:
                ctx.add_summary(
                    f"The lock file of `{environment}` on {branch} already records this apply."
                )
                return EXIT_OK
            commit = _commit_on(root, newest, relative, merged, _message(environment, ctx))
            before_push()
            pushed = _run(root, "push", "--quiet", "origin", f"{commit}:refs/heads/{branch}")
            if pushed.returncode == 0:
                _follow(root, path, relative, checked_out is not None, commit)
                ctx.add_summary(
                    f"Committed `{relative}` to {branch} ({commit[:12]}, on top of "
                    f"{newest[:12]}): {len(merged.types)} type(s)."
                )
                return EXIT_OK
            failure = pushed.stderr.strip().splitlines()[-1] if pushed.stderr.strip() else ""
    except GitFailed as exc:
        failure = str(exc)
    ctx.add_summary(not_committed(environment, relative, failure, branch))
    print(f"::warning::the lock file of {environment} was not committed: {failure}")
    return EXIT_OK


def _follow(root: Path, path: Path, relative: str, tracked: bool, commit: str) -> None:
    """Bring the checkout to the commit pushed, as a `git commit` + `git push` would have left
    it: later steps (and a person trying the step by hand) see what main now holds. Best
    effort: the push is what matters, and a checkout with other changes stays as it is."""
    text = path.read_text(encoding="utf-8")
    if tracked:
        _run(root, "checkout", "--quiet", "HEAD", "--", relative)
    else:
        path.unlink()
    if _run(root, "merge", "--quiet", "--ff-only", commit).returncode != 0:
        path.write_text(text, encoding="utf-8")


def not_committed(environment: str, relative: str, failure: str, branch: str = "main") -> str:
    """The summary of a lock file that could not be committed, with what restores it."""
    return (
        f"**The lock file of `{environment}` was not committed** ({failure or 'push refused'}). "
        "The types are applied and verified: this job did not fail, and the next environments "
        f"run. `{relative}` on {branch} does not record this apply yet: the next apply records "
        f"the types it changes, and `activities lock repair -e {environment}` (then a commit of "
        "the file) rebuilds all of it from the instance and the definitions."
    )


def _message(environment: str, ctx: StepContext) -> str:
    short = ctx.sha[:12] or "HEAD"
    return f"activities: lock file of {environment} after applying {short}"


def lock_at(root: Path, revision: str, relative: str) -> Lock | None:
    """The lock file as it is at REVISION; None when it is not there or not a lock."""
    shown = _run(root, "show", f"{revision}:{relative}")
    if shown.returncode != 0:
        return None
    return parse_lock(shown.stdout, Path(relative)).lock


def _commit_on(root: Path, parent: str, relative: str, lock: Lock, message: str) -> str:
    """A commit of PARENT's tree with the lock file replaced, made without touching the
    working tree or the index of the checkout."""
    blob = _git(root, "hash-object", "-w", "--stdin", stdin=lock_text(lock)).strip()
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(root, "read-tree", parent, env=index)
        _git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{relative}", env=index)
        tree = _git(root, "write-tree", env=index).strip()
    identity = {
        "GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
        "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL,
    }
    return _git(root, "commit-tree", tree, "-p", parent, "-m", message, env=identity).strip()


def _git(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> str:
    done = _run(root, *args, stdin=stdin, env=env)
    if done.returncode != 0:
        raise GitFailed(f"git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _run(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, input=stdin, check=False,
        env={**os.environ, **(env or {})},
    )
