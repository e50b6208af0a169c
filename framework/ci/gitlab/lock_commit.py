"""The apply job's last step on GitLab: commit the environment's lock file to the branch,
through the API, merged with what the branch holds now.

As on GitHub (framework/ci/lock_commit.py), the job's checkout is its own merge commit, which
lacks the lock commits made since by the jobs of other merges or environments, so the file is
never committed whole: what this apply recorded (the entries that differ between the lock it
wrote and the lock of the commit it ran on) is replayed, with `framework.lock.rebuild.onto`,
onto the lock the branch holds now, read through the Repository files API with the id of the
newest commit that changed it. The commit carries that id (`last_commit_id`), so GitLab refuses
it (400) when another job changed the file in between (or created it); the step then reads the
file again and replays onto that, a few times.
https://docs.gitlab.com/api/repository_files/#get-file-from-repository
https://docs.gitlab.com/api/commits/#create-a-commit-with-multiple-files-and-actions

A lock that cannot be committed never fails the job: the types are applied, and a failed job
would stop the environments after this one. The summary says so, and what restores it.
"""

from __future__ import annotations

from pathlib import Path

from framework.ci.gitlab.api import FileChanged, GitLab, GitLabError
from framework.ci.gitlab.context import JobContext
from framework.ci.lock_commit import lock_at, not_committed
from framework.lock.rebuild import onto
from framework.lock.store import load_lock, lock_path, lock_text, parse_lock
from framework.settings import Settings

TRIES = 5  # commits before giving up; each one replays onto the file as the branch has it


def commit_lock(settings: Settings, environment: str, ctx: JobContext, gitlab: GitLab,
                message: str) -> None:
    """Commit ENVIRONMENT's lock file, as apply left it, merged onto the branch's; never
    raises for a commit that could not be made (the summary says what happened)."""
    if environment not in settings.environments:
        return  # local keeps its lock beside its state, outside the repository
    path = lock_path(settings, environment)
    relative = path.relative_to(settings.root).as_posix()
    written = load_lock(path).lock
    if written is None:
        return
    branch = ctx.get("CI_COMMIT_BRANCH") or ctx.get("CI_DEFAULT_BRANCH")
    checked_out = lock_at(settings.root, "HEAD", relative)
    if checked_out is not None and lock_text(checked_out) == lock_text(written):
        return  # apply recorded nothing new
    failure = ""
    try:
        for _ in range(TRIES):
            current = gitlab.file(branch, relative)
            newest = parse_lock(current.content, Path(relative)).lock if current else None
            merged = onto(newest, checked_out, written)
            if merged is None:
                ctx.add_summary(f"The lock file of `{environment}` on {branch} already "
                                "records this apply.")
                return
            try:
                sha = gitlab.commit_file(branch, relative, lock_text(merged), message,
                                         current.last_commit_id if current else None)
            except FileChanged as exc:
                failure = f"{exc}; tried {TRIES} times"
                continue  # another job committed the file in between: replay onto theirs
            ctx.add_summary(f"Committed `{relative}` to {branch} ({sha[:12]}): "
                            f"{len(merged.types)} type(s).")
            return
    except GitLabError as exc:
        failure = str(exc).split("\n", 1)[0]
    ctx.add_summary(not_committed(environment, relative, failure, branch))
