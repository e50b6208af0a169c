"""Hostile definition files: each is one positioned problem for its file, never a crash, and
the other files are still checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework.definitions.formatting import format_directory
from framework.definitions.loader import check_definitions
from framework.settings import Settings
from tests.definitions.texts import Writer, definition

SETTINGS = Settings(max_types=10)
FILE_FIX_ALIAS = "write the value out in full where the alias is, and remove the `&anchor`"
# Nine levels of nine: 387 million strings once expanded, from 900 bytes of YAML.
LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9)
)


def problems_of(folder: Path, name: str) -> list[str]:
    """Every problem of file NAME, as printed; checks that buyCar.yaml was still checked."""
    result = check_definitions(folder, SETTINGS)
    assert [file.path for file in result.files] == ["activities/buyCar.yaml"]
    return [str(problem) for problem in result.problems if problem.path == f"activities/{name}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            LAUGHS,
            "activities/bomb.yaml:2:10: (file): uses the alias *a0; a definition needs no "
            f"anchors or aliases\n  fix: {FILE_FIX_ALIAS}",
            id="billion-laughs",
        ),
        pytest.param(
            "a: &a [*a]\n",
            "activities/bomb.yaml:1:8: (file): uses the alias *a; a definition needs no anchors "
            f"or aliases\n  fix: {FILE_FIX_ALIAS}",
            id="self-reference",
        ),
        pytest.param(
            "a: " + "[" * 300 + "]" * 300 + "\n",
            "activities/bomb.yaml:1:23: (file): is nested more than 20 levels deep; a definition "
            "needs 4\n  fix: remove the extra levels of lists or mappings",
            id="nesting-300",
        ),
        pytest.param(
            "a:\n" + "".join("  " * depth + "- x:\n" for depth in range(1, 260)),
            "activities/bomb.yaml:11:23: (file): is nested more than 20 levels deep; a "
            "definition needs 4\n  fix: remove the extra levels of lists or mappings",
            id="block-nesting-260",
        ),
        pytest.param(
            "name: 0x" + "f" * 3580 + "\n",
            "activities/bomb.yaml:1:7: (file): holds a number written with 3,582 characters, "
            "too long to be a definition's value\n  fix: shorten it; if it is text, put it in "
            "quotes",
            id="huge-integer",
        ),
        pytest.param(
            "!!omap [a: 1]\n",
            "activities/bomb.yaml:1:1: (file): the tag !!omap makes a value no definition "
            "holds\n  fix: remove the tag; a definition holds text, numbers, true/false, "
            "mappings and lists",
            id="omap",
        ),
        pytest.param(
            definition("bomb").replace("name: Buy Car", "name: !!python/object:os.system ls"),
            "activities/bomb.yaml:3:7: (file): the tag !!python/object:os.system makes a value "
            "no definition holds\n  fix: remove the tag; a definition holds text, numbers, "
            "true/false, mappings and lists",
            id="python-tag",
        ),
        pytest.param(
            definition("bomb").replace("  apiName: vehicleModel\n", "  <<: {apiName: x}\n"),
            "activities/bomb.yaml:7:3: (file): uses a merge key (`<<:`); a definition writes "
            "every key out\n  fix: replace `<<:` with the keys it would merge",
            id="merge-key",
        ),
    ],
)
def test_hostile_yaml_is_one_positioned_problem(
    write_files: Writer, text: str, expected: str
) -> None:
    folder = write_files({"buyCar.yaml": definition(), "bomb.yaml": text})

    assert problems_of(folder, "bomb.yaml") == [expected]


def test_the_billion_laughs_is_refused_at_once_in_a_fresh_process(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition(), "bomb.yaml": LAUGHS})
    # Without the refusal this takes minutes and gigabytes; the timeout only guards the suite.
    result = subprocess.run(
        [sys.executable, "-m", "framework", "validate"], cwd=folder.parent,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "uses the alias *a0" in result.stdout


def test_a_file_over_1_mb_is_refused_unparsed(write_files: Writer) -> None:
    big = definition("bomb", extra="description: " + "x" * 1_000_000 + "\n")
    folder = write_files({"buyCar.yaml": definition(), "bomb.yaml": big})

    assert problems_of(folder, "bomb.yaml") == [
        f"activities/bomb.yaml:1:1: (file): is {len(big):,} bytes, over the 1,000,000 bytes a "
        "definition file may have (Marketo refuses requests over 1 MB)\n"
        "  fix: a definition is a few hundred bytes: check that this is the right file"
    ]


def test_a_3_gb_file_is_never_read(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition()})
    with (folder / "bomb.yaml").open("wb") as stream:
        stream.truncate(3 * 1024**3)  # sparse: takes no room on disk

    assert problems_of(folder, "bomb.yaml") == [
        "activities/bomb.yaml:1:1: (file): is 3,221,225,472 bytes, over the 1,000,000 bytes a "
        "definition file may have (Marketo refuses requests over 1 MB)\n"
        "  fix: a definition is a few hundred bytes: check that this is the right file"
    ]


def test_a_link_out_of_the_folder_is_refused_unread(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition()})
    secret = folder.parent / "credentials"
    secret.write_text("https://user:hunter2@example.com\n")
    (folder / "sellCar.yaml").symlink_to(secret)

    problems = problems_of(folder, "sellCar.yaml")

    assert problems == [
        "activities/sellCar.yaml:1:1: (file): is a symbolic link to a file outside the "
        "definitions folder; it is neither read nor written\n"
        "  fix: copy the definition into the folder, or remove the link"
    ]


def test_fmt_never_writes_through_a_link_out_of_the_folder(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition()})
    outside = folder.parent / "elsewhere.yaml"
    outside.write_text("apiName: sellCar\nversion: 1\n")
    (folder / "sellCar.yaml").symlink_to(outside)

    result = format_directory(folder, write=True)

    assert outside.read_text() == "apiName: sellCar\nversion: 1\n"
    assert [problem.path for problem in result.refused] == ["activities/sellCar.yaml"]


def test_a_link_inside_the_folder_is_read_and_formatted_through(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": "apiName: buyCar\n" + definition().split("\n", 2)[2]
                          .replace("version: 1\n", "") + "version: 1\n"})
    (folder / "store").mkdir()
    (folder / "store" / "sellCar.yaml").write_text(definition("sellCar").replace(
        "version: 1\napiName: sellCar\n", "apiName: sellCar\nversion: 1\n"))
    (folder / "sellCar.yaml").symlink_to(Path("store") / "sellCar.yaml")

    result = format_directory(folder, write=True)

    assert sorted(result.changed) == ["activities/buyCar.yaml", "activities/sellCar.yaml"]
    assert (folder / "sellCar.yaml").is_symlink()
    assert (folder / "store" / "sellCar.yaml").read_text() == definition("sellCar")


def test_broken_links_and_loops_are_reported(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition()})
    (folder / "gone.yaml").symlink_to(folder / "nothing.yaml")
    (folder / "loopA.yaml").symlink_to(folder / "loopB.yaml")
    (folder / "loopB.yaml").symlink_to(folder / "loopA.yaml")

    result = check_definitions(folder, SETTINGS)

    assert [str(problem) for problem in result.problems] == [
        "activities/gone.yaml:1:1: (file): is a broken symbolic link: the file it points to "
        "does not exist\n  fix: remove the link, or point it at a definition in this folder",
        "activities/loopA.yaml:1:1: (file): is a symbolic link that loops\n"
        "  fix: remove the link, or point it at a definition in this folder",
        "activities/loopB.yaml:1:1: (file): is a symbolic link that loops\n"
        "  fix: remove the link, or point it at a definition in this folder",
    ]
    assert result.checked == 4


def test_an_upper_case_extension_is_reported(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition(), "sellCar.YAML": definition("sellCar")})

    assert problems_of(folder, "sellCar.YAML") == [
        "activities/sellCar.YAML:1:1: (file): is named .YAML: only .yaml and .yml files are "
        "definitions\n  fix: rename it to sellCar.yaml"
    ]


def test_fmt_refuses_a_merge_key_instead_of_crashing(write_files: Writer) -> None:
    text = definition().replace("  apiName: vehicleModel\n", "  <<: {apiName: vehicleModel}\n")
    folder = write_files({"buyCar.yaml": text})

    result = format_directory(folder, write=True)

    assert [problem.message for problem in result.refused] == [
        "uses a merge key (`<<:`); a definition writes every key out"
    ]
    assert (folder / "buyCar.yaml").read_text() == text


@pytest.mark.parametrize("as_json", [False, True])
def test_a_file_name_that_is_not_utf8_prints_under_strict_utf8(
    write_files: Writer, as_json: bool
) -> None:
    folder = write_files({"buyCar.yaml": definition()})
    with open(os.fsencode(folder) + b"/\xffCar.yaml", "w", encoding="utf-8") as stream:
        stream.write(definition())

    result = subprocess.run(
        [sys.executable, "-m", "framework", "validate", *(["--json"] if as_json else [])],
        cwd=folder.parent, capture_output=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"},
    )

    assert result.returncode == 1, result.stderr
    output = result.stdout.decode("utf-8")  # strict: valid UTF-8 or this fails
    assert "Unexpected error" not in result.stderr.decode()
    if as_json:
        paths = {problem["path"] for problem in json.loads(output)["problems"]}
        assert "activities/\\xffCar.yaml" in paths
    else:
        assert "activities/\\xffCar.yaml:" in output


def test_an_unreadable_endpoint_is_an_error_that_repeats_no_credentials(
    project: Path, cli: Callable[..., Result]
) -> None:
    result = cli("plan", "--endpoint", "http://u:hunter2@[::1", cwd=project,
                 env={"MARKETO_CLIENT_ID": "id", "MARKETO_CLIENT_SECRET": "secret"})

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: the endpoint URL cannot be read (Invalid IPv6 URL); nothing was sent\n"
        "  fix: pass the REST base, e.g. --endpoint https://123-ABC-456.mktorest.com "
        "(an IPv6 host in brackets: http://[::1]:8787)\n"
    )
