"""Shipped text cites Adobe's public documentation, never a reference that does not ship."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SHIPPED = [REPOSITORY / "README.md", *(REPOSITORY / "docs").rglob("*.md"),
           *(p for p in (REPOSITORY / "framework").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts)]
UNSHIPPED = re.compile(r"custom-activities-api\.md|§\s?\d|/work/shared")


def test_no_shipped_file_cites_the_unshipped_reference() -> None:
    found = [
        f"{path.relative_to(REPOSITORY)}:{number}"
        for path in SHIPPED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSHIPPED.search(line)
    ]
    assert found == []


# A path into the manual (docs/...), not part of an address: a user's repository has no docs/
# and the wheel ships none, so what the tool prints or writes names a page by its address.
MANUAL_PATH = re.compile(r"(?<![\w/.-])docs/[\w/.-]*\.md")


def _user_facing_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module (its docstring aside), or every line of a template."""
    if path.suffix != ".py":
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree, clean=False)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value != docstring]


def test_what_the_tool_prints_or_writes_names_manual_pages_by_their_address() -> None:
    package = REPOSITORY / "framework"
    shipped = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
               and p.suffix in (".py", ".j2", ".md", ".yml", ".yaml", ".toml", ".txt")
               and p.name != "reference.py"]  # writes docs/reference/ of this repository
    found = [f"{path.relative_to(REPOSITORY)}:{number}: {MANUAL_PATH.findall(text)}"
             for path in shipped for number, text in _user_facing_strings(path)
             if MANUAL_PATH.search(text)]
    assert found == []


def test_every_manual_page_the_tool_names_exists() -> None:
    named = {match for path in (REPOSITORY / "framework").rglob("*.py")
             for match in re.findall(r"\bpage\(\s*[\"']([^\"'#]+)", path.read_text("utf-8"))}
    assert named, "framework.manual.page is used"
    assert [name for name in sorted(named) if not (REPOSITORY / "docs" / name).is_file()] == []
