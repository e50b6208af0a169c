"""Shipped text cites Adobe's public documentation, never a reference that does not ship."""

from __future__ import annotations

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
