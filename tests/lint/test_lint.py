"""`activities lint --base REF` on real git history made in the test."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from framework.lint.history import fetch_command
from tests.lint.lint_texts import DROPPED, REPLAY, SEATS, attend_class


def _lint(cli: Any, history: Any, *options: str) -> Any:
    return cli("lint", "--base", "main", *options, cwd=history.root)


def _on_branch(history: Any, text: str) -> str:
    """main holds the base definition; branch `feature` has `text` (uncommitted)."""
    history.write("attendClass", attend_class())
    merge_base = history.commit("attendClass v1")
    history.branch("feature")
    history.write("attendClass", text)
    return merge_base


def test_a_changed_definition_must_increase_its_version_and_fix_writes_it(
    history: Any, cli: Any
) -> None:
    merge_base = _on_branch(
        history, attend_class(trigger="Attends Class", comment="  # bumped on every change",
                              filter_name="Attended A Class")
    )

    result = _lint(cli, history)

    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[:2] == [
        "activities/attendClass.yaml:1: error version-not-increased: attendClass: the "
        "definition changed but its version stayed at 1 (it was 1 at the merge base)",
        "  fix: set `version: 2` (or run lint with --fix)",
    ]
    assert result.stdout.splitlines()[-1] == (
        f"Linted 1 changed definition(s) against main (merge base {merge_base[:7]}): "
        "2 failing."
    )
    fixed = _lint(cli, history, "--fix")
    assert "activities/attendClass.yaml:1: fixed version-not-increased" in fixed.stdout
    path = history.root / "activities" / "attendClass.yaml"
    assert path.read_text() == attend_class(
        version=2, comment="  # bumped on every change", filter_name="Attended A Class"
    )
    # Still failing: the filter name change needs an acknowledgement.
    assert fixed.exit_code == 1
    assert "breaking filter-name-changed" in fixed.stdout


def test_a_comment_only_change_needs_no_version_and_a_new_file_starts_at_1(
    history: Any, cli: Any
) -> None:
    _on_branch(history, "# who owns this: the events team\n" + attend_class())
    history.write("buyBook", attend_class(version=3).replace("attendClass", "buyBook")
                  .replace("Class", "Book"))

    result = _lint(cli, history, "--fix")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "activities/buyBook.yaml:1: fixed version-not-initial: buyBook: was added with version "
        "3; a new definition starts at 1"
    )
    assert (history.root / "activities" / "buyBook.yaml").read_text().startswith("version: 1\n")


ALL_SEATS_TEXT = SEATS.replace("integer", "string")
FROZEN = "Marketo freezes it once the type is approved and in use, which no API call can tell"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (attend_class(version=2, attributes=SEATS), [
            ("attribute-removed", "destructive", 9,
             f"attendClass: attribute replayUrl (link) was removed: {DROPPED}"),
        ]),
        (attend_class(version=2, attributes=REPLAY + ALL_SEATS_TEXT), [
            ("data-type-changed", "destructive", 15,
             "attendClass: attribute seats dataType was changed from integer to string: "
             "Marketo allows it only by replacing the type (deleted and created again): its "
             "history and Smart List use are lost"),
        ]),
        (attend_class(version=2, primary="course"), [
            ("primary-attribute-changed", "destructive", 6,
             "attendClass: the primary attribute was changed from title (string) to course "
             "(string): Marketo replaces the type (deleted and created again, with a new id "
             "and no history)"),
        ]),
        (attend_class(version=2, ensure="absent"), [
            ("type-deleted", "destructive", 17,
             "attendClass: ensure was changed from present to absent: the type and its "
             "activity history are to be deleted"),
        ]),
        (attend_class(version=2, trigger="Attends A Class"), [
            ("trigger-name-changed", "breaking", 4,
             'attendClass: triggerName was changed from "Attends Class" to "Attends A Class": '
             "Smart Lists and campaigns that use it must be updated by hand"),
        ]),
        (attend_class(version=2, filter_name="Was In Class"), [
            ("filter-name-changed", "breaking", 5,
             'attendClass: filterName was changed from "Attended Class" to "Was In Class": '
             "Smart Lists and campaigns that use it must be updated by hand"),
        ]),
        (attend_class(version=2, protect=False), [
            ("protect-removed", "breaking", 16,
             "attendClass: protect was changed from true to false: plans may now delete or "
             "replace the type and drop its attributes"),
        ]),
        (attend_class(version=2, attributes=REPLAY.replace("replayUrl", "recordingUrl")
                      .replace("Replay", "Recording") + SEATS), [
            ("attribute-removed", "destructive", 9,
             f"attendClass: attribute replayUrl (link) was removed: {DROPPED}"),
            ("likely-rename", "warning", 10,
             "attendClass: attribute replayUrl (link) was removed while a similar attribute "
             "recordingUrl (link) was added without renamedFrom: a rename?"),
        ]),
        (attend_class(version=2, attributes=REPLAY.replace("replayUrl", "recordingUrl")
                      + "    renamedFrom: replayUrl\n" + SEATS), [
            ("attribute-renamed", "destructive", 13,
             "attendClass: attribute replayUrl (link) was renamed to recordingUrl (link): "
             "Marketo cannot rename, so replayUrl is deleted and recordingUrl is created; for "
             f"replayUrl, {DROPPED}"),
        ]),
        # Issue 16, reproduction 4: plan grades these as breaking on an approved type; so
        # does lint now (Adobe's guide freezes them once the type is approved and in use).
        (attend_class(version=2).replace("name: Attend Class", "name: Attend A Class"), [
            ("display-name-changed", "breaking", 3,
             'attendClass: name was changed from "Attend Class" to "Attend A Class": '
             f"{FROZEN}"),
        ]),
        (attend_class(version=2, extra="description: Took a class\n"), [
            ("description-changed", "breaking", 18,
             'attendClass: description was changed from nothing to "Took a class": '
             f"{FROZEN}"),
        ]),
        (attend_class(version=2).replace("  name: Title", "  name: Class Title"), [
            ("primary-attribute-edited", "breaking", 8,
             'attendClass: the primary attribute title name was changed from "Title" to '
             f'"Class Title": {FROZEN}'),
        ]),
        (attend_class(version=2, attributes=REPLAY.replace("Replay URL", "Recording")
                      + SEATS), [
            ("attribute-display-name-changed", "breaking", 11,
             'attendClass: attribute replayUrl name was changed from "Replay URL" to '
             '"Recording": senders that name it by its display name instead of its apiName '
             "must change"),
        ]),
    ],
    ids=["removed", "data-type", "primary", "deleted", "trigger", "filter", "protect",
         "likely-rename", "renamed", "display-name", "description", "primary-edited",
         "attribute-display-name"],
)
def test_each_change_is_classified_under_its_rule(
    history: Any, cli: Any, text: str, expected: list[tuple[str, str, int, str]]
) -> None:
    _on_branch(history, text)

    result = _lint(cli, history, "--format", "json")

    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(f["rule"], f["severity"], f["line"], f["message"]) for f in report["findings"]] == (
        expected
    )
    assert all(f["file"] == "activities/attendClass.yaml" for f in report["findings"])


def test_an_acknowledgement_for_this_version_lets_the_change_pass(
    history: Any, cli: Any
) -> None:
    _on_branch(history, attend_class(
        version=2, attributes=SEATS,
        extra="acknowledge:\n  - rule: attribute-removed\n    version: 2\n"
              "    reason: nothing sends replayUrl since 2025\n",
    ))

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "activities/attendClass.yaml:9: acknowledged attribute-removed: attendClass: attribute "
        f"replayUrl (link) was removed: {DROPPED}",
        "  acknowledged: nothing sends replayUrl since 2025",
    ]
    assert result.stdout.splitlines()[-1].endswith("0 failing, 1 acknowledged.")


def test_an_acknowledgement_expires_when_the_version_moves_on(history: Any, cli: Any) -> None:
    ack = "acknowledge:\n  - rule: attribute-removed\n    version: 2\n    reason: old news\n"
    history.write("attendClass", attend_class(version=2, attributes=SEATS, extra=ack))
    history.commit("v2: replayUrl removed, acknowledged")
    history.branch("feature")
    history.write("attendClass", attend_class(version=3, attributes="  []\n", extra=ack))

    result = _lint(cli, history)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "activities/attendClass.yaml:9: destructive attribute-removed: attendClass: attribute "
        "seats (integer) was removed"
    )
    assert "version: 3, reason: ...}`" in lines[1]
    assert lines[2:4] == [
        "activities/attendClass.yaml:14: warning acknowledgement-expired: attendClass: the "
        "acknowledgement of attribute-removed for version 2 expired (the file is at version 3)",
        "  fix: remove it; a change in this version needs its own acknowledgement",
    ]


def test_lint_compares_with_the_merge_base_not_the_tip_of_the_base_branch(
    history: Any, cli: Any
) -> None:
    merge_base = _on_branch(history, attend_class(version=2, filter_name="Attended A Class",
        extra="acknowledge:\n  - rule: filter-name-changed\n    version: 2\n    reason: ok\n"))
    history.commit("feature: rename the filter")
    history.checkout("main")
    # main moves on: attendClass changes there too, and a new file arrives with a bad version.
    history.write("attendClass", attend_class(version=2, trigger="Attends A Class"))
    history.write("buyBook", attend_class(version=7).replace("attendClass", "buyBook"))
    history.commit("main moves on")
    history.checkout("feature")

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"Linted 1 changed definition(s) against main (merge base {merge_base[:7]}): "
        "0 failing, 1 acknowledged."
    )


def test_a_base_given_as_a_commit_sha_works(history: Any, cli: Any) -> None:
    merge_base = _on_branch(history, attend_class(version=2, protect=False))

    result = cli("lint", "--base", merge_base, "--format", "json", cwd=history.root)

    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["baseCommit"], report["mergeBase"]) == (merge_base, merge_base)
    assert [f["rule"] for f in report["findings"]] == ["protect-removed"]


def _shallow_clone(history: Any, tmp_path: Path) -> Path:
    history.write("attendClass", attend_class())
    history.commit("attendClass v1")
    history.branch("feature")
    for version in (2, 3):
        history.write("attendClass", attend_class(version=version, trigger=f"Attends {version}"))
        history.commit(f"v{version}")
    history.checkout("main")
    history.write("notes", attend_class().replace("attendClass", "notes"))
    history.commit("main moves on")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", "--branch", "feature",
         f"file://{history.root}", str(clone)],
        check=True,
    )
    return clone


def test_a_shallow_clone_without_the_base_fails_with_the_fetch_that_fixes_it(
    history: Any, cli: Any, tmp_path: Path
) -> None:
    clone = _shallow_clone(history, tmp_path)

    result = cli("lint", "--base", "main", cwd=clone)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the base 'main' is not in this clone, which is shallow (CI checkouts "
        "fetch few commits unless told otherwise); lint cannot tell what changed and does not "
        "pass without it\n"
        "  fix: git fetch --no-tags --deepen=1000 origin +main:refs/remotes/origin/main\n"
        "  or, in the workflow: `fetch-depth: 0` under `with:` of actions/checkout (GitHub), "
        "`GIT_DEPTH: 0` in the job's `variables:` (GitLab)\n"
    )
    # The command it prints is the one that works.
    subprocess.run(fetch_command("main").split(), cwd=clone, check=True, capture_output=True)
    fetched = cli("lint", "--base", "main", cwd=clone)
    assert fetched.exit_code == 1, fetched.output  # the trigger name changed, unacknowledged
    assert "breaking trigger-name-changed" in fetched.stdout


@pytest.mark.parametrize(
    ("base", "command"),
    [
        ("main", "git fetch --no-tags --deepen=1000 origin +main:refs/remotes/origin/main"),
        ("origin/main", "git fetch --no-tags --deepen=1000 origin +main:refs/remotes/origin/main"),
        ("1a2b3c4d5e6f", "git fetch --no-tags --deepen=1000 origin 1a2b3c4d5e6f"),
    ],
)
def test_the_fetch_command_for_a_branch_and_for_a_sha(base: str, command: str) -> None:
    assert fetch_command(base) == command


def test_with_github_format_an_error_is_a_workflow_command_too(
    history: Any, cli: Any, tmp_path: Path
) -> None:
    clone = _shallow_clone(history, tmp_path)

    result = cli("lint", "--base", "main", "--format", "github", cwd=clone)

    assert result.exit_code == 1
    assert result.stdout == (
        "::error title=activities lint::the base 'main' is not in this clone, which is shallow "
        "(CI checkouts fetch few commits unless told otherwise); lint cannot tell what "
        "changed and does not pass without it%0A  fix: git fetch --no-tags --deepen=1000 "
        "origin +main:refs/remotes/origin/main%0A  or, in the workflow: `fetch-depth: 0` under "
        "`with:` of actions/checkout (GitHub), `GIT_DEPTH: 0` in the job's `variables:` "
        "(GitLab)\n"
    )
    assert result.stderr.startswith("Error: the base 'main' is not in this clone")


def test_a_shallow_clone_without_the_merge_base_fails_too(
    history: Any, cli: Any, tmp_path: Path
) -> None:
    clone = _shallow_clone(history, tmp_path)
    # The base's tip arrives, but not the history back to where feature branched off.
    subprocess.run(["git", "fetch", "-q", "--no-tags", "--depth=1", "origin",
                    "+main:refs/remotes/origin/main"], cwd=clone, check=True)

    result = cli("lint", "--base", "main", cwd=clone)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: HEAD and 'main' have no common commit in this clone, which is shallow: the "
        "merge base is beyond the history fetched; lint cannot tell what changed and does not "
        "pass without it\n  fix: git fetch --no-tags --deepen=1000 origin "
        "+main:refs/remotes/origin/main\n"
    )


def test_github_format_prints_workflow_commands_on_the_lines(history: Any, cli: Any) -> None:
    _on_branch(history, attend_class(version=2, attributes=SEATS, protect=False, extra=(
        "acknowledge:\n  - rule: protect-removed\n    version: 2\n    reason: we delete it, 50%\n"
    )))

    result = _lint(cli, history, "--format", "github")

    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "::error file=activities/attendClass.yaml,line=9,title=attribute-removed::attendClass: "
        f"attribute replayUrl (link) was removed: {DROPPED}%0Afix: keep "
        "replayUrl, or acknowledge its removal; to accept it, add under `acknowledge:` "
        "`- {rule: attribute-removed, version: 2, reason: ...}`",
        "::notice file=activities/attendClass.yaml,line=13,title=protect-removed::attendClass: "
        "protect was changed from true to false: plans may now delete or replace the type and "
        "drop its attributes%0Aacknowledged: we delete it, 50%25",
    ]


def test_a_deleted_file_leaves_the_type_unmanaged_as_a_warning(history: Any, cli: Any) -> None:
    history.write("attendClass", attend_class())
    history.commit("v1")
    history.branch("feature")
    (history.root / "activities" / "attendClass.yaml").unlink()

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "activities/attendClass.yaml:1: warning type-unmanaged: attendClass: its definition "
        "activities/attendClass.yaml was deleted: the type stays on the instance, unmanaged "
        "(nothing deletes it)"
    )


def test_a_renamed_file_is_matched_by_api_name_and_its_drop_is_caught(
    history: Any, cli: Any
) -> None:
    # Issue 16, reproduction 5: X.yaml renamed to X.yml with an attribute dropped and the
    # version reset passed as a type-unmanaged warning; plan shows the drop as destructive.
    history.write("attendClass", attend_class(version=3))
    merge_base = history.commit("attendClass v3")
    history.branch("feature")
    (history.root / "activities" / "attendClass.yaml").unlink()
    (history.root / "activities" / "attendClass.yml").write_text(
        attend_class(version=1, attributes=SEATS), encoding="utf-8"
    )

    result = _lint(cli, history)

    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "activities/attendClass.yml:1: error version-not-increased: attendClass: the definition "
        "changed but its version went down at 1 (it was 3 at the merge base)",
        "  fix: set `version: 4` (or run lint with --fix)",
        "activities/attendClass.yml:9: destructive attribute-removed: attendClass: attribute "
        f"replayUrl (link) was removed: {DROPPED}",
        "  fix: keep replayUrl, or acknowledge its removal; to accept it, add under "
        "`acknowledge:` `- {rule: attribute-removed, version: 4, reason: ...}`",
        f"Linted 2 changed definition(s) against main (merge base {merge_base[:7]}): "
        "2 failing.",
    ]


def test_a_file_moved_unchanged_has_nothing_to_report(history: Any, cli: Any) -> None:
    history.write("attendClass", attend_class(version=3))
    history.commit("attendClass v3")
    history.branch("feature")
    (history.root / "activities" / "attendClass.yaml").rename(
        history.root / "activities" / "attendClass.yml"
    )

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:-1] == []


def test_a_file_that_now_defines_another_type_leaves_the_old_one_unmanaged(
    history: Any, cli: Any
) -> None:
    history.write("attendClass", attend_class())
    history.commit("v1")
    history.branch("feature")
    history.write("attendClass", attend_class().replace("apiName: attendClass",
                                                        "apiName: attendCourse"))

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "activities/attendClass.yaml:1: warning type-unmanaged: attendClass: its definition "
        "activities/attendClass.yaml now defines another type: the type stays on the "
        "instance, unmanaged (nothing deletes it)"
    )


def test_an_invalid_definition_is_a_failing_finding(history: Any, cli: Any) -> None:
    _on_branch(history, attend_class(version=2).replace("dataType: integer", "dataType: int"))

    result = _lint(cli, history)

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "activities/attendClass.yaml:1: error definition-invalid: activities/attendClass.yaml: "
        "does not validate"
    )


def test_outside_git_lint_is_an_error(project: Path, cli: Any) -> None:
    result = cli("lint", "--base", "main", cwd=project)

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "is not in a git repository" in result.stderr


def test_an_oversized_definition_is_refused_like_validate_does(history: Any, cli: Any) -> None:
    _on_branch(history, attend_class(version=2) + "# " + "x" * 1_100_000 + "\n")

    result = _lint(cli, history)

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(
        "activities/attendClass.yaml:1: error definition-invalid: activities/attendClass.yaml: "
        "does not validate at line 1: is 1,100,"
    )


def test_an_acknowledgement_that_matches_no_change_is_a_warning(history: Any, cli: Any) -> None:
    _on_branch(history, attend_class(version=2, filter_name="Was In Class", extra=(
        "acknowledge:\n  - rule: filter-name-changed\n    version: 2\n    reason: renamed\n"
        "  - rule: type-deleted\n    version: 2\n    reason: copied from another file\n"
    )))

    result = _lint(cli, history)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:4] == [
        "activities/attendClass.yaml:22: warning acknowledgement-unused: attendClass: the "
        "acknowledgement of type-deleted for version 2 matched no change",
        "  fix: remove it, or check the rule id against the findings",
    ]
