"""A stand-in for the `gh` CLI: it records its arguments and keeps a tiny GitHub in a JSON file.

Only `gh api` is answered, for the REST paths framework/ci/github.py uses; anything else exits
1 so that a workflow calling gh some other way fails the test. Comments are made as
github-actions[bot], as `github.token` makes them.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

BOT = "github-actions[bot]"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.is_file() else {
        "calls": [], "comments": {}, "issues": [], "merged": {}, "next_id": 1000}


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
    if not argv or argv[0] != "api" or not os.environ.get("GH_TOKEN"):
        return 1, ""
    args = argv[1:]
    method = "GET"
    if "--method" in args:
        method = args[args.index("--method") + 1]
    body: dict[str, Any] = {}
    if "--input" in args:
        body = json.loads(Path(args[args.index("--input") + 1]).read_text())
    path = next(a for a in args if a.startswith("repos/"))
    route = re.sub(r"^repos/[^/]+/[^/]+/", "", path)
    lines: list[Any] = []
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
                    comment["body"] = body["body"]
    elif m := re.fullmatch(r"commits/(\w+)/pulls", route):
        lines = [state["merged"][m[1]]] if m[1] in state["merged"] else []
    elif route.startswith("issues?state=open"):
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


def new_id(state: dict[str, Any]) -> int:
    state["next_id"] += 1
    return int(state["next_id"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
