"""README is an entrance, and the manual has a page for every command."""

from __future__ import annotations

from pathlib import Path

from framework.cli import COMMANDS

REPOSITORY = Path(__file__).resolve().parents[2]
MANUAL = REPOSITORY / "docs"


def test_the_readme_is_an_entrance() -> None:
    size = len((REPOSITORY / "README.md").read_bytes())
    assert size <= 12_000, f"README.md is {size:,} bytes: move the detail into docs/"


def test_every_command_has_a_page_in_the_manual() -> None:
    index = (MANUAL / "commands" / "README.md").read_text(encoding="utf-8")
    pages = MANUAL / "commands"
    missing = [name for name in sorted(COMMANDS) if not (pages / f"{name}.md").is_file()]
    unlisted = [name for name in sorted(COMMANDS) if f"]({name}.md)" not in index]
    assert (missing, unlisted) == ([], []), (
        "each command needs docs/commands/NAME.md, listed in docs/commands/README.md"
    )


def test_every_command_page_starts_with_its_name() -> None:
    wrong = [
        name for name in sorted(COMMANDS)
        if not (MANUAL / "commands" / f"{name}.md").read_text(encoding="utf-8")
        .startswith(f"# activities {name}\n")
    ]
    assert wrong == []
