"""The activities hooks merged into .pre-commit-config.yaml, the user's comments and hooks kept."""

from __future__ import annotations

import io
from typing import Any

from framework.scaffold.files import REPOSITORY
from framework.scaffold.pins import hooks_rev

HOOKS = ("activities-validate", "activities-fmt", "activities-lint")
# lint runs at pre-push, so pre-commit must install that hook type too.
HOOK_TYPES = ("pre-commit", "pre-push")


def with_hooks(text: str | None, version: str) -> tuple[str, bool, bool]:
    """TEXT (or a new config) with the activities repository's hooks at VERSION's tag; whether
    it changed; and whether it pinned a `rev` (the repository was not listed yet)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()  # round-trip: comments, order and quoting stay
    yaml.indent(mapping=2, sequence=4, offset=2)
    config: Any = yaml.load(text) if text and text.strip() else None
    if config is None:
        config = CommentedMap()
    changed = False
    types = config.get("default_install_hook_types")
    if types is None:
        config.insert(0, "default_install_hook_types", CommentedSeq(HOOK_TYPES))
        changed = True
    elif "pre-push" not in types:
        types.append("pre-push")
        changed = True
    repos = config.get("repos")
    if repos is None:
        repos = config["repos"] = CommentedSeq()
    pinned = not any(isinstance(r, dict) and r.get("repo") == REPOSITORY for r in repos)
    if pinned:
        entry = CommentedMap()
        entry["repo"] = REPOSITORY
        entry["rev"] = hooks_rev(version)
        entry["hooks"] = CommentedSeq(CommentedMap(id=hook) for hook in HOOKS)
        repos.append(entry)
        changed = True
    out = io.StringIO()
    yaml.dump(config, out)
    return out.getvalue(), changed, pinned
