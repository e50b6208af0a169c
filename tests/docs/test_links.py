"""Every manual page is reachable from README.md, and no link inside the repository is broken."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# Markdown that is not this repository's documentation: outputs compared by tests, the
# templates `activities init` writes into a user's repository (their links are the user's).
NOT_DOCUMENTATION = ("tests", "framework/scaffold/templates")
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                   ".activities", "build", "dist"}

FENCE = re.compile(r"^ {0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def documentation() -> list[Path]:
    """The repository's Markdown files, this repository's own documentation only."""
    found = []
    for path in sorted(REPOSITORY.rglob("*.md")):
        relative = path.relative_to(REPOSITORY)
        if SKIPPED_FOLDERS & set(relative.parts) or any(p.endswith(".egg-info")
                                                         for p in relative.parts):
            continue
        if relative.as_posix().startswith(NOT_DOCUMENTATION):
            continue
        found.append(path)
    return found


def outside_fences(text: str) -> list[tuple[int, str]]:
    """The lines of TEXT outside fenced code blocks, numbered from 1."""
    lines: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if match and (fence is None or match.group(1) == fence):
            fence = match.group(1) if fence is None else None
        elif fence is None:
            lines.append((number, line))
    return lines


def prose(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks with their code spans blanked: where links are."""
    return [(number, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
            for number, line in outside_fences(text)]


def links(path: Path) -> list[tuple[int, str]]:
    """Each link target in the Markdown file PATH, with its line number."""
    found = []
    for number, line in prose(path.read_text(encoding="utf-8")):
        found += [(number, target) for target in INLINE.findall(line)]
        if definition := DEFINITION.match(line):
            found.append((number, definition.group(1)))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces dashed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text stays
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of PATH (a repeated one gets -1, -2...)."""
    seen: dict[str, int] = {}
    result: set[str] = set()
    for _, line in outside_fences(path.read_text(encoding="utf-8")):
        result.update(HTML_ANCHOR.findall(line))
        if heading := HEADING.match(line):
            base = slug(heading.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f"{base}-{count}")
    return result


def resolve(source: Path, target: str) -> tuple[Path, str]:
    """The file and anchor a relative link in SOURCE points at."""
    where, _, anchor = target.partition("#")
    path = source if not where else (source.parent / unquote(where)).resolve()
    return path, unquote(anchor)


def broken(source: Path, target: str) -> str | None:
    """Why the link TARGET in SOURCE is broken, or None."""
    if SCHEME.match(target) or target.startswith("//"):
        return None  # a web address: not this repository's to check
    path, anchor = resolve(source, target)
    if not path.is_relative_to(REPOSITORY):
        return "points outside the repository"
    if not path.exists():
        return "no such file"
    if anchor and path.suffix == ".md" and anchor not in anchors(path):
        return f"no heading #{anchor} in {path.relative_to(REPOSITORY)}"
    return None


def test_no_link_inside_the_repository_is_broken() -> None:
    problems = [
        f"{source.relative_to(REPOSITORY)}:{number}: {target}: {why}"
        for source in documentation()
        for number, target in links(source)
        if (why := broken(source, target))
    ]
    assert problems == []


def reachable(start: Path) -> set[Path]:
    """The Markdown files reached from START by following links inside the repository."""
    seen: set[Path] = set()
    todo = [start]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for _, target in links(page):
            if SCHEME.match(target) or target.startswith("//"):
                continue
            path, _ = resolve(page, target)
            if path.is_dir():
                path = path / "README.md"
            if path.suffix == ".md" and path.is_file():
                todo.append(path)
    return seen


def test_every_manual_page_is_reachable_from_the_readme() -> None:
    pages = sorted((REPOSITORY / "docs").rglob("*.md"))
    assert pages, "the manual (docs/) has no page"
    unreached = set(pages) - reachable(REPOSITORY / "README.md")
    assert sorted(str(p.relative_to(REPOSITORY)) for p in unreached) == []


@pytest.mark.parametrize(("heading", "anchor"), [
    ("### activities init", "activities-init"),
    ("### Targeting: --target and --exclude", "targeting---target-and---exclude"),
    ("## `activities plan`: the saved plan", "activities-plan-the-saved-plan"),
    ("## Marketo's [limits](https://example.com)", "marketos-limits"),
])
def test_anchors_are_github_s(heading: str, anchor: str) -> None:
    assert slug(HEADING.match(heading).group(2)) == anchor  # type: ignore[union-attr]


def test_the_checker_finds_a_broken_link_and_a_missing_heading(tmp_path: Path) -> None:
    page = REPOSITORY / "docs" / "reference" / "README.md"
    assert broken(page, "commands.md#activities-plan") is None
    assert broken(page, "commands.md#no-such-heading") == (
        "no heading #no-such-heading in docs/reference/commands.md"
    )
    assert broken(page, "missing.md") == "no such file"
    assert broken(page, "../../../outside.md") == "points outside the repository"
    assert broken(page, "https://experienceleague.adobe.com/") is None
    text = tmp_path / "t.md"
    text.write_text("[a](one.md) `[b](two.md)`\n```\n[c](three.md)\n```\n[d]: four.md\n")
    assert links(text) == [(1, "one.md"), (5, "four.md")]
