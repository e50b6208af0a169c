"""A stand-in for GitLab's REST API v4, served over HTTP on 127.0.0.1 for the pipeline tests.

It keeps what the jobs read and write (merge requests, their notes, issues, the files of each
branch that commits through the API made) and every call made, checks the PRIVATE-TOKEN header,
answers notes in pages of PAGE items (so the client's pagination is exercised), and enforces
GitLab's rules that a note is edited only by its author and that a commit's `update` whose
`last_commit_id` is not the file's newest commit, or a `create` of a file that exists, is
refused with 400, the file left as it was. It knows only the calls framework/ci/gitlab/api.py makes;
any other path is a 404 that the test sees.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PAGE = 2  # small pages: a merge request with three notes takes two requests


@dataclass
class User:
    id: int
    username: str


@dataclass
class State:
    project_id: str
    tokens: dict[str, User]
    merge_requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    commits: list[dict[str, Any]] = field(default_factory=list)  # the ones GitLab made
    # branch -> path -> {"content", "last_commit_id"}: what commits through the API left
    files: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    refused: list[dict[str, Any]] = field(default_factory=list)  # commits answered 400
    # Run (and dropped) just before the next commit is made: another job's commit in between.
    before_commit: list[Callable[[], None]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    next_id: int = 500


class GitLabStandIn:
    """The stand-in's server and state; `url` is the CI_API_V4_URL a job gets."""

    def __init__(self, project_id: str, tokens: dict[str, User]) -> None:
        self.state = State(project_id, tokens)
        self.lock = threading.RLock()  # a test's hook may call in
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v4"

    def start(self) -> GitLabStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what a test arranges --------------------------------------------------------------

    def open_merge_request(self, iid: int, sha: str, labels: tuple[str, ...] = ()) -> None:
        with self.lock:
            self.state.merge_requests[iid] = {
                "iid": iid, "state": "opened", "labels": list(labels), "sha": sha,
                "merge_commit_sha": None, "squash_commit_sha": None,
                "web_url": f"https://gitlab.example/acme/marketing/-/merge_requests/{iid}",
                "commits": [sha],
            }
            self.state.notes.setdefault(iid, [])

    def push(self, iid: int, sha: str) -> None:
        with self.lock:
            request = self.state.merge_requests[iid]
            request["sha"] = sha
            request["commits"].append(sha)

    def merged(self, iid: int, merge_commit: str) -> None:
        with self.lock:
            request = self.state.merge_requests[iid]
            request["state"] = "merged"
            request["merge_commit_sha"] = merge_commit

    def set_labels(self, iid: int, *labels: str) -> None:
        with self.lock:
            self.state.merge_requests[iid]["labels"] = list(labels)

    def add_note_as(self, user: User, iid: int, body: str) -> None:
        """A person (or anyone else) writes a note."""
        with self.lock:
            self.state.notes[iid].append(self._note(user, body))

    def commit_as(self, user: User, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A commit through the API by USER (another job), as POST /repository/commits."""
        with self.lock:
            return self._commit(user, body)

    def _commit(self, user: User, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        state = self.state
        while state.before_commit:
            state.before_commit.pop(0)()
        files = state.files.setdefault(body["branch"], {})
        for action in body["actions"]:
            known = files.get(action["file_path"])
            if action["action"] == "create" and known is not None:
                state.refused.append(body)
                return 400, {"message": "A file with this name already exists"}
            if action["action"] == "update" and (known is None or action.get(
                    "last_commit_id", known["last_commit_id"]) != known["last_commit_id"]):
                state.refused.append(body)
                return 400, {"message": "You are attempting to update a file that has changed "
                                        "since you started editing it."}
        commit = {**body, "author": user.username, "id": f"{len(state.commits) + 1:040x}"}
        state.commits.append(commit)
        for action in body["actions"]:
            files[action["file_path"]] = {"content": action["content"],
                                          "last_commit_id": commit["id"]}
        return 201, {"id": commit["id"]}

    def _note(self, user: User, body: str) -> dict[str, Any]:
        self.state.next_id += 1
        return {"id": self.state.next_id, "body": body, "system": False,
                "author": {"id": user.id, "username": user.username}}

    # --- the API ---------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet: the test reads `calls`
                pass

            def _answer(self, method: str) -> None:
                parts = urlsplit(self.path)
                path = unquote(parts.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                user = standin.state.tokens.get(self.headers.get("private-token", ""))
                with standin.lock:
                    standin.state.calls.append((method, path))
                    if user is None:
                        status, payload, headers = 401, {"message": "401 Unauthorized"}, {}
                    else:
                        status, payload, headers = standin.route(method, path, query, body,
                                                                 user)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._answer("PUT")

        return Handler

    def route(self, method: str, path: str, query: dict[str, str], body: Any,
              user: User) -> tuple[int, Any, dict[str, str]]:
        state = self.state
        project = f"/api/v4/projects/{state.project_id}"
        if (method, path) == ("GET", "/api/v4/user"):
            return 200, {"id": user.id, "username": user.username}, {}
        if not path.startswith(project + "/"):
            return 404, {"message": "404 Project Not Found"}, {}
        rest = path.removeprefix(project)
        if match := re.fullmatch(r"/merge_requests/(\d+)", rest):
            request = state.merge_requests.get(int(match[1]))
            return (200, request, {}) if request else (404, {"message": "404 Not found"}, {})
        if match := re.fullmatch(r"/merge_requests/(\d+)/notes", rest):
            iid = int(match[1])
            if method == "GET":
                return _page(state.notes.get(iid, []), query)
            note = self._note(user, body["body"])
            state.notes.setdefault(iid, []).append(note)
            return 201, note, {}
        if match := re.fullmatch(r"/merge_requests/(\d+)/notes/(\d+)", rest):
            for note in state.notes.get(int(match[1]), []):
                if note["id"] == int(match[2]):
                    if note["author"]["id"] != user.id:  # GitLab: only the author edits a note
                        return 403, {"message": "403 Forbidden"}, {}
                    note["body"] = body["body"]
                    return 200, note, {}
            return 404, {"message": "404 Note Not Found"}, {}
        if match := re.fullmatch(r"/repository/commits/([0-9a-f]+)/merge_requests", rest):
            sha = match[1]
            found = [r for r in state.merge_requests.values()
                     if sha in r["commits"] or sha == r["merge_commit_sha"]]
            return _page(found, query)
        if rest == "/issues" and method == "GET":
            found = [i for i in state.issues if i["state"] == "opened"
                     and query.get("labels", "") in i["labels"]]
            return _page(found, query)
        if rest == "/issues" and method == "POST":
            state.next_id += 1
            issue = {"iid": len(state.issues) + 1, "title": body["title"],
                     "description": body["description"], "labels": body["labels"].split(","),
                     "state": "opened", "author": user.username}
            state.issues.append(issue)
            return 201, issue, {}
        if match := re.fullmatch(r"/issues/(\d+)", rest):
            issue = state.issues[int(match[1]) - 1]
            if "description" in body:
                issue["description"] = body["description"]
            if body.get("state_event") == "close":
                issue["state"] = "closed"
            return 200, issue, {}
        if match := re.fullmatch(r"/repository/files/(.+)", rest):
            known = state.files.get(query.get("ref", ""), {}).get(match[1])
            if method != "GET" or known is None:
                return 404, {"message": "404 File Not Found"}, {}
            content = base64.b64encode(known["content"].encode()).decode()
            return 200, {"file_path": match[1], "ref": query["ref"], "encoding": "base64",
                         "content": content, "last_commit_id": known["last_commit_id"]}, {}
        if rest == "/repository/commits" and method == "POST":
            status, payload = self._commit(user, body)
            return status, payload, {}
        return 404, {"message": f"404 {method} {rest} is not served by the stand-in"}, {}


def _page(items: list[Any], query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
    size = min(int(query.get("per_page", "20")), PAGE)
    page = int(query.get("page", "1"))
    chunk = items[(page - 1) * size: page * size]
    more = page * size < len(items)
    return 200, chunk, {"x-next-page": str(page + 1) if more else ""}
