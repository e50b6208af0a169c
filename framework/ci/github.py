"""GitHub, through the `gh` CLI (authenticated by GH_TOKEN): comments, pull requests, issues.

Only these few REST calls are made; each names the permission it needs in the workflows.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
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

