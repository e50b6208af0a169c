"""GitHub, through the `gh` CLI (authenticated by GH_TOKEN): comments, pull requests, issues,
workflow runs and their artifacts.

Only these few REST calls are made; each names the permission it needs in the workflows.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.errors import ActivitiesError


class GitHubError(ActivitiesError):
    """`gh` failed or is missing."""


@dataclass(frozen=True)
class Comment:
    """An issue or pull-request comment."""

    id: int
    body: str
    author: str = ""


@dataclass(frozen=True)
class PullRequest:
    """What the steps read of a pull request, through the API (never from the event payload,
    which a re-run replays as it was)."""

    number: int
    head_sha: str
    labels: tuple[str, ...]
    merged: bool
    merge_commit_sha: str


@dataclass(frozen=True)
class WorkflowRun:
    """One run of a workflow: GitHub, not the run itself, says which workflow, event and commit."""

    id: int
    created_at: str  # ISO 8601, UTC: the time of the event that started it
    status: str  # queued, in_progress, completed, ...
    conclusion: str  # success, failure, cancelled, ... ("" until completed)
    url: str


class GitHub:
    """The REST calls the workflow steps make, for one repository (`owner/name`)."""

    def __init__(self, repository: str, gh: str = "gh") -> None:
        if not repository:
            raise GitHubError(
                "GITHUB_REPOSITORY is not set\n  fix: run this step in GitHub Actions, or set "
                "GITHUB_REPOSITORY=owner/name"
            )
        self.repository = repository
        self.gh = gh

    def _gh(self, args: Sequence[str], body: dict[str, Any] | None = None) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as payload:
            command = [self.gh, *args]
            if body is not None:
                json.dump(body, payload)
                payload.flush()
                command += ["--input", payload.name]
            try:
                done = subprocess.run(command, capture_output=True, text=True, check=False)
            except FileNotFoundError as exc:
                raise GitHubError(
                    "the `gh` CLI is not installed\n  fix: use a GitHub-hosted runner (it has "
                    "gh), or install it: https://cli.github.com"
                ) from exc
        if done.returncode != 0:
            raise GitHubError(f"gh {' '.join(args[:3])} failed: {done.stderr.strip()}")
        return done.stdout

    def _lines(self, path: str, jq: str) -> list[Any]:
        out = self._gh(["api", "--paginate", path, "--jq", jq])
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def comments(self, number: int) -> list[Comment]:
        """The comments of issue or pull request NUMBER, oldest first."""
        items = self._lines(
            f"repos/{self.repository}/issues/{number}/comments",
            ".[] | {id, body, author: .user.login} | tojson",
        )
        return [Comment(int(i["id"]), i["body"] or "", i.get("author") or "") for i in items]

    def add_comment(self, number: int, body: str) -> None:
        self._gh(
            ["api", "--method", "POST", f"repos/{self.repository}/issues/{number}/comments"],
            {"body": body},
        )

    def edit_comment(self, comment_id: int, body: str) -> None:
        self._gh(
            ["api", "--method", "PATCH", f"repos/{self.repository}/issues/comments/{comment_id}"],
            {"body": body},
        )

    def pull_request(self, number: int) -> PullRequest:
        """Pull request NUMBER as it is now (`pull-requests: read`)."""
        [item] = self._lines(
            f"repos/{self.repository}/pulls/{number}",
            "{number, head: .head.sha, labels: [.labels[].name], merged, merge_commit_sha}"
            " | tojson",
        )
        return PullRequest(int(item["number"]), item["head"] or "",
                           tuple(item.get("labels") or ()), bool(item.get("merged")),
                           item.get("merge_commit_sha") or "")

    def workflow_runs(self, workflow: str, head_sha: str) -> list[WorkflowRun]:
        """The pull_request runs of WORKFLOW (its file name) for commit HEAD_SHA, newest first
        (`actions: read`)."""
        items = self._lines(
            f"repos/{self.repository}/actions/workflows/{workflow}/runs"
            f"?head_sha={head_sha}&event=pull_request&per_page=100",
            ".workflow_runs[] | {id, created_at, status, conclusion, html_url} | tojson",
        )
        runs = [WorkflowRun(int(i["id"]), i["created_at"], i["status"] or "",
                            i.get("conclusion") or "", i.get("html_url") or "") for i in items]
        return sorted(runs, key=lambda run: (run.created_at, run.id), reverse=True)

    def download_artifact(self, run: int, name: str, folder: Path) -> bool:
        """Download artifact NAME of RUN into FOLDER; False when the run has no such artifact,
        or it expired (`actions: read`)."""
        found = self._lines(
            f"repos/{self.repository}/actions/runs/{run}/artifacts?name={name}",
            ".artifacts[] | {name, expired} | tojson",
        )
        if not any(a["name"] == name and not a.get("expired") for a in found):
            return False
        self._gh(["run", "download", str(run), "--name", name, "--dir", str(folder),
                  "--repo", self.repository])
        return True

    def merged_pull_request(self, sha: str) -> int | None:
        """The pull request whose merge made commit SHA, if any."""
        numbers = self._lines(
            f"repos/{self.repository}/commits/{sha}/pulls",
            ".[] | select(.merged_at != null) | .number",
        )
        return int(numbers[0]) if numbers else None

    def open_issues(self, label: str) -> list[Comment]:
        """Open issues with LABEL (as id = issue number, body), oldest first."""
        items = self._lines(
            f"repos/{self.repository}/issues?state=open&labels={label}&sort=created&direction=asc",
            ".[] | select(.pull_request == null) | {id: .number, body} | tojson",
        )
        return [Comment(int(item["id"]), item["body"] or "") for item in items]

    def open_issue(self, title: str, body: str, label: str) -> None:
        self._gh(
            ["api", "--method", "POST", f"repos/{self.repository}/issues"],
            {"title": title, "body": body, "labels": [label]},
        )

    def edit_issue(self, number: int, changes: dict[str, Any]) -> None:
        self._gh(
            ["api", "--method", "PATCH", f"repos/{self.repository}/issues/{number}"], changes
        )

