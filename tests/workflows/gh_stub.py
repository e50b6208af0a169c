"""A stand-in for the `gh` CLI: it records its arguments and keeps a tiny GitHub in a JSON file.

Only `gh api` (for the REST paths framework/ci/github.py uses) and `gh run download` are
answered; anything else exits 1, so that a workflow calling gh some other way fails the test.
`--jq` is not run: each answer is what the client's filter makes of GitHub's response, one
JSON value a line. Comments are made as github-actions[bot], as `github.token` makes them;
the test writes other people's comments, pull requests, labels and workflow runs (with their
artifacts, as folders) into the state itself, as GitHub would have them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT = "github-actions[bot]"
BODY_LIMIT = 65_536  # GitHub refuses a longer comment or issue body (HTTP 422)


def empty() -> dict[str, Any]:
    return {"calls": [], "comments": {}, "issues": [], "merged": {}, "pulls": {}, "runs": [],
            "next_id": 1000}


def load(path: Path) -> dict[str, Any]:
    return {**empty(), **json.loads(path.read_text())} if path.is_file() else empty()


def main(argv: list[str]) -> int:
    state_file = Path(os.environ["GH_STUB_STATE"])
    state = load(state_file)
    state["calls"].append(argv)
    try:
        code, out = answer(state, argv)
    finally:
        state_file.write_text(json.dumps(state, indent=1))
    sys.stdout.write(out)
    return code


def answer(state: dict[str, Any], argv: list[str]) -> tuple[int, str]:
    if not os.environ.get("GH_TOKEN"):
        return 1, ""
    if argv[:2] == ["run", "download"]:
        return download(state, argv[2:])
    if not argv or argv[0] != "api":
        return 1, ""
    args = argv[1:]
    method = "GET"
    if "--method" in args:
        method = args[args.index("--method") + 1]
    body: dict[str, Any] = {}
    if "--input" in args:
        body = json.loads(Path(args[args.index("--input") + 1]).read_text())
    path = next(a for a in args if a.startswith("repos/"))
    url = urlsplit(re.sub(r"^repos/[^/]+/[^/]+/", "", path))
    route, query = url.path, {k: v[0] for k, v in parse_qs(url.query).items()}
    lines: list[Any] = []
    if len(body.get("body") or "") > BODY_LIMIT:
        sys.stderr.write("gh: Validation Failed (HTTP 422): body is too long (maximum is "
                         "65536 characters)\n")
        return 1, ""
    if m := re.fullmatch(r"issues/(\d+)/comments", route):
        comments = state["comments"].setdefault(m[1], [])
        if method == "POST":
            comments.append({"id": new_id(state), "body": body["body"], "author": BOT})
        else:
            lines = [json.dumps(c) for c in comments]
    elif m := re.fullmatch(r"issues/comments/(\d+)", route):
        for comments in state["comments"].values():
            for comment in comments:
                if comment["id"] == int(m[1]):
                    comment["body"] = body["body"]  # (a write token may edit anyone's)
    elif m := re.fullmatch(r"pulls/(\d+)", route):
        pr = state["pulls"][m[1]]
        lines = [json.dumps({"number": int(m[1]), "head": pr["head"], "labels": pr["labels"],
                             "merged": pr["merged"], "merge_commit_sha": pr["merge_commit_sha"]})]
    elif m := re.fullmatch(r"actions/workflows/([\w.-]+)/runs", route):
        runs = [r for r in state["runs"] if r["workflow"] == m[1]
                and r["head_sha"] == query["head_sha"] and r["event"] == query["event"]]
        runs.sort(key=lambda r: r["created_at"], reverse=True)  # GitHub lists newest first
        lines = [json.dumps({k: r[k] for k in ("id", "created_at", "status", "conclusion",
                                                "html_url")}) for r in runs]
    elif m := re.fullmatch(r"actions/runs/(\d+)/artifacts", route):
        run = next(r for r in state["runs"] if r["id"] == int(m[1]))
        lines = [json.dumps({"name": name, "expired": False})
                 for name in run["artifacts"] if name == query.get("name", name)]
    elif m := re.fullmatch(r"commits/(\w+)/pulls", route):
        lines = [state["merged"][m[1]]] if m[1] in state["merged"] else []
    elif route == "issues" and query.get("state") == "open":
        lines = [json.dumps({"id": i["number"], "body": i["body"]})
                 for i in state["issues"] if i["state"] == "open"]
    elif route == "issues" and method == "POST":
        state["issues"].append({"number": new_id(state), "state": "open", **body})
    elif m := re.fullmatch(r"issues/(\d+)", route):
        issue = next(i for i in state["issues"] if i["number"] == int(m[1]))
        issue.update(body)
    else:
        return 1, ""
    return 0, "".join(f"{line}\n" for line in lines)


def download(state: dict[str, Any], args: list[str]) -> tuple[int, str]:
    """`gh run download RUN --name NAME --dir DIR --repo R`: the artifact's files into DIR."""
    run = next(r for r in state["runs"] if r["id"] == int(args[0]))
    name, folder = args[args.index("--name") + 1], Path(args[args.index("--dir") + 1])
    if name not in run["artifacts"]:
        return 1, ""
    shutil.copytree(run["artifacts"][name], folder, dirs_exist_ok=True)
    return 0, ""


def new_id(state: dict[str, Any]) -> int:
    state["next_id"] += 1
    return int(state["next_id"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
