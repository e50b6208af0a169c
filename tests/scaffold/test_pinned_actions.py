"""Every action a workflow uses is pinned to a commit, with its version in a comment.

A tag such as `v4` can be moved by whoever controls the action's repository, and the apply
workflow holds Marketo write credentials: a commit hash cannot be moved. Dependabot (the
`github-actions` ecosystem of the .github/dependabot.yml init writes) updates the hash and the
comment together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from framework.scaffold.files import DEPENDABOT, WORKFLOWS, template_text
from framework.scaffold.init import init_repository

ROOT = Path(__file__).resolve().parents[2]
OWN_WORKFLOWS = ("release.yml",)
# owner/name[/path]@<40 hex> # vX.Y.Z
PINNED = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) "
                    r"# (?P<version>v\d+\.\d+\.\d+)$")


def _workflows() -> list[tuple[str, str]]:
    """(where, text) of every workflow: the templates init writes and this repository's own."""
    found = [(f"framework/scaffold/templates/github/workflows/{name}",
              template_text("github", "workflows", name)) for name in WORKFLOWS]
    found += [(f".github/workflows/{name}",
               (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
              for name in WORKFLOWS + OWN_WORKFLOWS]
    return found


def _uses(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip().removeprefix("- ")) for number, line
            in enumerate(text.splitlines(), 1) if line.strip().removeprefix("- ").startswith(
                "uses:")]


@pytest.mark.parametrize("where", [where for where, _ in _workflows()])
def test_every_action_is_pinned_to_a_commit_with_its_version(where: str) -> None:
    uses = _uses(dict(_workflows())[where])
    assert uses, f"{where}: no `uses:` found"
    for number, line in uses:
        assert PINNED.fullmatch(line), (
            f"{where}:{number}: `{line}` is not pinned to a commit: write "
            "`uses: OWNER/NAME@<40-hex commit> # vX.Y.Z` (the release tag's commit)"
        )


def test_one_action_is_pinned_to_one_commit_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for _, text in _workflows():
        for _, line in _uses(text):
            match = PINNED.fullmatch(line)
            assert match
            pins.setdefault(match["action"], set()).add((match["sha"], match["version"]))
    assert {action: len(found) for action, found in pins.items()} == dict.fromkeys(pins, 1)


def test_the_pin_check_can_fail() -> None:
    for line in ("uses: actions/checkout@v4", "uses: actions/checkout@11d5960a # v4.4.0",
                 "uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262",
                 "uses: pypa/gh-action-pypi-publish@release/v1"):
        assert not PINNED.fullmatch(line)


def test_init_writes_dependabot_for_the_actions_and_the_pin(tmp_path: Path) -> None:
    report = init_repository(tmp_path, force=False, version="1.2.3")

    assert DEPENDABOT in report.written
    config = YAML(typ="safe").load((tmp_path / DEPENDABOT).read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert [(u["package-ecosystem"], u["directory"]) for u in config["updates"]] == [
        ("github-actions", "/"), ("pip", "/.github")]
    assert all(u["schedule"]["interval"] == "weekly" for u in config["updates"])


def test_init_keeps_a_dependabot_config_the_user_has(tmp_path: Path) -> None:
    mine = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n"
    (tmp_path / ".github").mkdir()
    (tmp_path / DEPENDABOT).write_text(mine)

    report = init_repository(tmp_path, force=True, version="1.2.3")

    assert (tmp_path / DEPENDABOT).read_text() == mine
    assert DEPENDABOT in report.kept
    assert report.warnings == [
        f"{DEPENDABOT} has no `github-actions` entry, so nothing updates the commits the "
        "workflows' actions are pinned to\n  fix: add to its `updates:` `- {package-ecosystem: "
        "github-actions, directory: /, schedule: {interval: weekly}}` (and `- "
        "{package-ecosystem: pip, directory: /.github, schedule: {interval: weekly}}` to bump "
        ".github/activities-requirements.txt)"
    ]


def test_gitlab_init_writes_no_dependabot(tmp_path: Path) -> None:
    init_repository(tmp_path, force=False, version="1.2.3", ci="gitlab")

    assert not (tmp_path / ".github").exists()


def test_this_repository_keeps_its_actions_updated() -> None:
    config = YAML(typ="safe").load((ROOT / DEPENDABOT).read_text(encoding="utf-8"))
    assert ("github-actions", "/") in [(u["package-ecosystem"], u["directory"])
                                       for u in config["updates"]]
