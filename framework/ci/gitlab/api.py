"""GitLab's REST API (v4), over httpx: merge-request notes, merge requests, issues, a file of
the repository and commits.

Only these few calls are made, each with the token in ACTIVITIES_GITLAB_TOKEN (a project
access token, scope `api`), whose user is the identity the plan notes are written as. The
base URL and the project come from the job's predefined variables (CI_API_V4_URL,
CI_PROJECT_ID), so a self-managed GitLab works as gitlab.com does.
https://docs.gitlab.com/api/notes/ https://docs.gitlab.com/api/merge_requests/
https://docs.gitlab.com/api/repository_files/ https://docs.gitlab.com/api/commits/
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from framework.ci.github import Comment
from framework.errors import ActivitiesError

TIMEOUT = httpx.Timeout(30.0)


class GitLabError(ActivitiesError):
    """A GitLab API call failed, or the job lacks what the calls need."""


class FileChanged(GitLabError):
    """A commit was refused because a file it changes is not as the commit expected: changed
    since it was read (its `last_commit_id`), or created in between."""


@dataclass(frozen=True)
class RepositoryFile:
    """A file of a branch, as the Repository files API gives it."""

    content: str
    last_commit_id: str  # the newest commit that changed the file: a commit's precondition


@dataclass(frozen=True)
class MergeRequest:
    """What the jobs read of a merge request, through the API (as it is now)."""

    iid: int
    state: str  # opened, merged, closed
    labels: tuple[str, ...]
    sha: str  # the head of its source branch
    merge_commit_sha: str
    squash_commit_sha: str
    web_url: str


@dataclass(frozen=True)
class Note:
    """A merge-request note, with its author's user id (notes are edited only by their author)."""

    id: int
    body: str
    author_id: int
    author: str


class GitLab:
    """The REST calls the pipeline's jobs make, for one project."""

    def __init__(self, api_url: str, project: str, token: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        missing = [name for name, value in (("CI_API_V4_URL", api_url),
                                            ("CI_PROJECT_ID", project),
                                            ("ACTIVITIES_GITLAB_TOKEN", token)) if not value]
        if missing:
            raise GitLabError(
                f"{', '.join(missing)} not set\n  fix: run this job in GitLab CI, and add the "
                "CI/CD variable ACTIVITIES_GITLAB_TOKEN (a project access token with the api "
                "scope, masked) in Settings, CI/CD, Variables"
            )
        self.project = quote(project, safe="")
        self._http = httpx.Client(base_url=api_url.rstrip("/") + "/", timeout=TIMEOUT,
                                  headers={"PRIVATE-TOKEN": token}, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitLab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, str] | None = None, *,
              absent: bool = False, preconditions: bool = False) -> httpx.Response:
        """The answer to one call; with ABSENT, GitLab's 404 for a file it does not have is an
        answer too; with PRECONDITIONS, a 400 is FileChanged (a commit whose file moved on)."""
        try:
            response = self._http.request(method, path, json=body, params=params)
        except httpx.HTTPError as exc:
            raise GitLabError(f"GitLab API {method} {path}: {exc}\n  fix: check that the job "
                              "reaches CI_API_V4_URL") from exc
        if absent and response.status_code == 404 and "File Not Found" in _message(response):
            return response
        if preconditions and response.status_code == 400:
            raise FileChanged(f"GitLab API {method} {path} answered 400: {_message(response)}")
        if response.status_code >= 400:
            raise GitLabError(
                f"GitLab API {method} {path} answered {response.status_code}: "
                f"{_message(response)}\n  fix: " + _fix(response.status_code)
            )
        return response

    def _pages(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        """Every item of a paginated list (GitLab's x-next-page header)."""
        items: list[dict[str, Any]] = []
        page = "1"
        while page:
            response = self._call("GET", path, params={**params, "per_page": "100",
                                                       "page": page})
            items += response.json()
            page = response.headers.get("x-next-page", "")
        return items

    def current_user(self) -> tuple[int, str]:
        """The token's user (id, username): the identity whose notes are plan notes."""
        user = self._call("GET", "user").json()
        return int(user["id"]), str(user["username"])

    def merge_request(self, iid: int) -> MergeRequest:
        """Merge request IID as it is now."""
        return _merge_request(self._call("GET", f"projects/{self.project}/merge_requests/"
                                                 f"{iid}").json())

    def merge_requests_of(self, sha: str) -> list[MergeRequest]:
        """The merge requests commit SHA belongs to (its merge, squash or source commits)."""
        items = self._pages(f"projects/{self.project}/repository/commits/{sha}/merge_requests",
                            {})
        return [_merge_request(item) for item in items]

    def notes(self, iid: int) -> list[Note]:
        """The notes of merge request IID, oldest first (system notes left out)."""
        items = self._pages(f"projects/{self.project}/merge_requests/{iid}/notes",
                            {"sort": "asc", "order_by": "created_at"})
        return [Note(int(i["id"]), i.get("body") or "", int(i["author"]["id"]),
                     str(i["author"].get("username", "")))
                for i in items if not i.get("system")]

    def add_note(self, iid: int, body: str) -> int:
        path = f"projects/{self.project}/merge_requests/{iid}/notes"
        return int(self._call("POST", path, {"body": body}).json()["id"])

    def edit_note(self, iid: int, note: int, body: str) -> None:
        self._call("PUT", f"projects/{self.project}/merge_requests/{iid}/notes/{note}",
                   {"body": body})

    def open_issues(self, label: str) -> list[Comment]:
        """Open issues with LABEL (as id = issue iid, body = description), oldest first."""
        items = self._pages(f"projects/{self.project}/issues",
                            {"state": "opened", "labels": label, "sort": "asc",
                             "order_by": "created_at"})
        return [Comment(int(item["iid"]), item.get("description") or "") for item in items]

    def open_issue(self, title: str, body: str, label: str) -> None:
        self._call("POST", f"projects/{self.project}/issues",
                   {"title": title, "description": body, "labels": label})

    def edit_issue(self, iid: int, changes: dict[str, Any]) -> None:
        """Change issue IID; CHANGES in GitHub's words (body, state), as the drift step says."""
        body: dict[str, Any] = {}
        if "body" in changes:
            body["description"] = changes["body"]
        if changes.get("state") == "closed":
            body["state_event"] = "close"
        self._call("PUT", f"projects/{self.project}/issues/{iid}", body)

    def file(self, branch: str, path: str) -> RepositoryFile | None:
        """PATH as it is on BRANCH now, or None when the branch has no such file."""
        response = self._call("GET", f"projects/{self.project}/repository/files/"
                                     f"{quote(path, safe='')}", params={"ref": branch},
                              absent=True)
        if response.status_code == 404:
            return None
        data = response.json()
        raw = base64.b64decode(data["content"]) if data.get("encoding") == "base64" else (
            str(data["content"]).encode())
        return RepositoryFile(raw.decode("utf-8"), str(data["last_commit_id"]))

    def commit_file(self, branch: str, path: str, content: str, message: str,
                    last_commit_id: str | None) -> str:
        """Commit one file's new CONTENT to BRANCH; the new commit's sha. LAST_COMMIT_ID is the
        file's, as read (None: the branch had no such file): GitLab refuses the commit, with
        400, when the file changed since or was created in between (FileChanged)."""
        action: dict[str, str] = {"action": "create", "file_path": path, "content": content}
        if last_commit_id is not None:
            action.update(action="update", last_commit_id=last_commit_id)
        done = self._call("POST", f"projects/{self.project}/repository/commits",
                          {"branch": branch, "commit_message": message, "actions": [action]},
                          preconditions=True)
        return str(done.json()["id"])


def _merge_request(item: dict[str, Any]) -> MergeRequest:
    return MergeRequest(int(item["iid"]), str(item.get("state") or ""),
                        tuple(item.get("labels") or ()), str(item.get("sha") or ""),
                        str(item.get("merge_commit_sha") or ""),
                        str(item.get("squash_commit_sha") or ""), str(item.get("web_url") or ""))


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or data)[:200]
    return str(data)[:200]


def _fix(status: int) -> str:
    if status == 401:
        return ("ACTIVITIES_GITLAB_TOKEN is not a valid token: create a project access token "
                "with the api scope and set it as the masked CI/CD variable")
    if status == 403:
        return ("the token's role may not do this: give the project access token the "
                "Developer role (Maintainer to commit the lock file to a protected branch)")
    if status == 404:
        return "check CI_PROJECT_ID and that the token belongs to this project"
    return "retry the job; if it fails again, see GitLab's status page"
