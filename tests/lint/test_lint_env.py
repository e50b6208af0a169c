"""`lint -e ENV`: a change is destructive only where the type is approved (lock or instance)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.lint.lint_texts import DROPPED, SEATS, attend_class


def _staging(history: Any, emulator: Any, cli: Any) -> None:
    """attendClass applied to `staging` (the emulator); buyBook defined but never applied."""
    (history.root / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    history.write("attendClass", attend_class())
    applied = cli("apply", "-e", "staging", "--yes", cwd=history.root, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    history.write("buyBook", attend_class().replace("attendClass", "buyBook")
                  .replace("Class", "Book"))
    history.commit("two types, one applied")
    history.branch("feature")
    for name in ("attendClass", "buyBook"):
        text = attend_class(version=2, attributes=SEATS)
        if name == "buyBook":
            text = text.replace("attendClass", "buyBook").replace("Class", "Book")
        history.write(name, text)


def _type_id(project: Path) -> int:
    from framework.lock import read_lock
    from framework.settings import load_settings

    lock = read_lock("staging", load_settings(project))
    assert lock is not None
    found = lock.type_id("attendClass")
    assert found is not None
    return found


def test_with_env_a_removal_fails_only_on_the_type_approved_there(
    history: Any, emulator: Any, cli: Any
) -> None:
    _staging(history, emulator, cli)

    # The lock file is enough: no credentials in the environment.
    no_credentials = {"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""}
    result = cli("lint", "--base", "main", "-e", "staging", cwd=history.root, env=no_credentials)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Approvals on staging from activities/.lock/staging.json (updated ")
    assert lines[1] == (
        "activities/attendClass.yaml:9: destructive attribute-removed: attendClass: attribute "
        f"replayUrl (link) was removed: {DROPPED} (attendClass is "
        f"approved on staging, id {_type_id(history.root)})"
    )
    assert lines[3] == (
        "activities/buyBook.yaml:9: warning attribute-removed: buyBook: attribute replayUrl "
        f"(link) was removed: {DROPPED} (not approved on staging: "
        "nothing is lost there yet)"
    )
    assert lines[-1].endswith("1 failing, 1 warning(s).")


def test_with_env_and_no_lock_file_the_instance_says_what_is_approved(
    history: Any, emulator: Any, cli: Any
) -> None:
    _staging(history, emulator, cli)
    (history.root / "activities" / ".lock" / "staging.json").unlink()

    result = cli("lint", "--base", "main", "-e", "staging", cwd=history.root, env=emulator.env)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "No lock file at activities/.lock/staging.json (no apply has recorded one yet): read "
        "the approvals from the instance instead."
    )
    assert lines[1].startswith("activities/attendClass.yaml:9: destructive attribute-removed")
    assert lines[3].startswith("activities/buyBook.yaml:9: warning attribute-removed")
    assert emulator.stats()["mutating_calls"] == 3  # the apply's, and none by lint
