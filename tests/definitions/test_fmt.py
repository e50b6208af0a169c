"""`activities fmt`: canonical order and indentation, comments kept, idempotent, --check."""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework.definitions.document import read_document
from framework.definitions.formatting import canonical_text
from tests.definitions.texts import MODELINE, Writer, definition

REPOSITORY = Path(__file__).resolve().parents[2]

MESSY = (
    MODELINE
    + """\
# Owned by the web team.

apiName: buyCar   # never rename: records reference it
version: 3
name: 'Buy Car'
# Shown in Smart Lists:
triggerName: Buys Car
filterName: "Bought Car"
primaryAttribute:
    dataType: string
    apiName: vehicleModel  # make and model
    name: Vehicle Model
attributes:
- name: Purchase Price
  # what the customer paid
  apiName: purchasePrice
  dataType: currency   # USD
- dataType: integer
  apiName: modelYear
  name: Model Year
ensure: present
protect: true
# end of file
"""
)

CANONICAL = (
    MODELINE
    + """\
# Owned by the web team.

version: 3
apiName: buyCar   # never rename: records reference it
name: 'Buy Car'
# Shown in Smart Lists:
triggerName: Buys Car
filterName: "Bought Car"
primaryAttribute:
  apiName: vehicleModel    # make and model
  name: Vehicle Model
  dataType: string
attributes:
  # what the customer paid
  - apiName: purchasePrice
    name: Purchase Price
    dataType: currency # USD
  - apiName: modelYear
    name: Model Year
    dataType: integer
protect: true
ensure: present
# end of file
"""
)


def formatted(folder: Path, name: str) -> str:
    return canonical_text(read_document(folder / name, name))


def test_canonical_order_and_indentation_with_comments_kept(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": MESSY})

    assert formatted(folder, "buyCar.yaml") == CANONICAL


def test_formatting_is_idempotent(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": CANONICAL})

    assert formatted(folder, "buyCar.yaml") == CANONICAL


def test_flow_mappings_are_reordered_too(write_files: Writer) -> None:
    text = definition().replace(
        "primaryAttribute:\n  apiName: vehicleModel\n  name: Vehicle Model\n  dataType: string\n",
        "primaryAttribute: {name: Vehicle Model, apiName: vehicleModel}\n",
    )
    folder = write_files({"buyCar.yaml": text})

    assert formatted(folder, "buyCar.yaml") == text.replace(
        "{name: Vehicle Model, apiName: vehicleModel}",
        "{apiName: vehicleModel, name: Vehicle Model}",
    )


def test_unknown_keys_are_kept_after_the_known_ones(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": "owner: web team\n" + definition()})

    assert formatted(folder, "buyCar.yaml") == definition() + "owner: web team\n"


def test_comment_lines_are_indented_like_the_key_below_them(write_files: Writer) -> None:
    text = definition().replace(
        "    dataType: currency\n", "          # in USD\n    dataType: currency\n"
    )
    folder = write_files({"buyCar.yaml": text + "# end\n"})

    assert formatted(folder, "buyCar.yaml") == (
        definition().replace("    dataType: currency\n", "    # in USD\n    dataType: currency\n")
        + "# end\n"
    )


def test_block_scalars_are_kept_verbatim(write_files: Writer) -> None:
    block = "description: |\n  Line one\n    # not a comment: text of the description\n"
    folder = write_files({"buyCar.yaml": block + definition()})

    assert formatted(folder, "buyCar.yaml") == definition().replace(
        "name: Buy Car\n", "name: Buy Car\n" + block
    )


def test_windows_line_endings_and_no_final_newline(write_files: Writer) -> None:
    text = "apiName: buyCar\r\nversion: 1"
    folder = write_files({"buyCar.yaml": text.encode()})

    assert formatted(folder, "buyCar.yaml") == "version: 1\napiName: buyCar\n"


def test_examples_are_formatted() -> None:
    examples = sorted((REPOSITORY / "activities").glob("*.yaml"))
    assert examples, "no example definitions in activities/"
    for path in examples:
        assert canonical_text(read_document(path, path.name)) == path.read_text(), path


def test_fmt_rewrites_files_and_reports_them(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    folder = write_files({"buyCar.yaml": MESSY, "sellCar.yaml": definition("sellCar")})

    result = cli("fmt")

    assert (result.exit_code, result.output) == (
        0,
        "reformatted activities/buyCar.yaml\n1 file reformatted, 1 file already formatted\n",
    )
    assert (folder / "buyCar.yaml").read_text() == CANONICAL


def test_fmt_check_lists_files_and_changes_nothing(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    folder = write_files({"buyCar.yaml": MESSY, "sellCar.yaml": definition("sellCar")})

    result = cli("fmt", "--check")

    assert (result.exit_code, result.output) == (
        1,
        "would reformat activities/buyCar.yaml\n"
        "1 file would be reformatted, 1 file already formatted\n",
    )
    assert (folder / "buyCar.yaml").read_text() == MESSY


def test_fmt_check_passes_on_formatted_files(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files({"buyCar.yaml": CANONICAL})

    result = cli("fmt", "--check")

    assert (result.exit_code, result.output) == (
        0,
        "0 files would be reformatted, 1 file already formatted\n",
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "apiName: [buyCar\n",
            "activities/broken.yaml:2:1: (file): YAML syntax error: expected ',' or ']', "
            "but got the end of the file\n"
            "  fix: fix the YAML syntax at this position (check indentation, colons and quotes)",
        ),
        (
            "name: A\nname: B\n",
            "activities/broken.yaml:2:1: name: duplicate key: 'name' is already set on line 1\n"
            "  fix: keep one of the two and delete the other",
        ),
        (
            b"name: \xff\n",
            "activities/broken.yaml:1:7: (file): byte 0xFF is not valid UTF-8\n"
            "  fix: save the file with UTF-8 encoding (most editors: 'Save with Encoding' → UTF-8)",
        ),
    ],
    ids=["syntax", "duplicate-key", "not-utf8"],
)
def test_fmt_refuses_files_that_do_not_parse(
    write_files: Writer, cli: Callable[..., Result], content: str | bytes, problem: str
) -> None:
    folder = write_files({"broken.yaml": content, "buyCar.yaml": MESSY})

    result = cli("fmt")

    assert (result.exit_code, result.output) == (
        1,
        f"reformatted activities/buyCar.yaml\n{problem}\n"
        "1 file reformatted, 0 files already formatted, "
        "1 file not formatted: fix the problems above, then run fmt again\n",
    )
    raw = (folder / "broken.yaml").read_bytes()
    assert raw == (content if isinstance(content, bytes) else content.encode())


def test_fmt_on_a_missing_folder(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("fmt", "--dir", str(tmp_path / "nowhere"), cwd=tmp_path)

    assert result.exit_code == 1
    assert result.output == (
        "Error: the definitions folder nowhere does not exist\n"
        "  fix: create it, pass --dir PATH, or set `definitions` under [tool.activities] "
        "in pyproject.toml\n"
    )


def test_fmt_diff_prints_the_change_and_writes_nothing(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    folder = write_files({"buyCar.yaml": MESSY, "sellCar.yaml": definition("sellCar")})

    result = cli("fmt", "--diff")

    expected = "".join(difflib.unified_diff(
        MESSY.splitlines(keepends=True), CANONICAL.splitlines(keepends=True),
        "a/activities/buyCar.yaml", "b/activities/buyCar.yaml",
    ))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, expected,
        "would reformat activities/buyCar.yaml\n"
        "1 file would be reformatted, 1 file already formatted\n",
    )
    assert (folder / "buyCar.yaml").read_text() == MESSY


def test_fmt_check_diff_fails_and_the_diff_applies_with_git(
    write_files: Writer, cli: Callable[..., Result], tmp_path: Path
) -> None:
    folder = write_files({"buyCar.yaml": MESSY.rstrip("\n"), "sellCar.yaml": definition("sellCar")})

    result = cli("fmt", "--check", "--diff")

    assert result.exit_code == 1
    assert result.stdout.endswith("-# end of file\n\\ No newline at end of file\n+# end of file\n")
    assert (folder / "buyCar.yaml").read_text() == MESSY.rstrip("\n")
    patch = tmp_path / "fmt.patch"
    patch.write_text(result.stdout)
    subprocess.run(["git", "apply", str(patch)], cwd=folder.parent, check=True)
    assert (folder / "buyCar.yaml").read_text() == CANONICAL
    assert cli("fmt", "--check").exit_code == 0


def test_fmt_diff_of_formatted_files_is_empty(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files({"buyCar.yaml": CANONICAL})

    result = cli("fmt", "--check", "--diff")

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "0 files would be reformatted, 1 file already formatted\n"
