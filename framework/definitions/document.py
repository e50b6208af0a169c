"""Reading one definition file: bytes → UTF-8 text → YAML with the line and column of every node.

Every way a file can fail before it is even a mapping (too big, not UTF-8, tabs, YAML syntax,
duplicate keys, empty, a list or a scalar at the top, YAML no definition needs) becomes a
Problem here, with a position.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.parser import Parser
from ruamel.yaml.scanner import Scanner

from framework.definitions.composer import DefinitionComposer, RefusedYAML
from framework.definitions.messages import describe
from framework.errors import Problem
from framework.manual import page

FILE_FIELD = "(file)"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMAT_HINT = f"see {page('definitions.md')}, or `activities schema`"
# Marketo answers 413 to a request body over 1 MB, so no definition comes near it; larger files
# are refused unread (413 in
# https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
MAX_FILE_BYTES = 1_000_000


@dataclass
class Document:
    """A parsed file: `data` is the top-level mapping, or None when `problems` says why not."""

    path: str
    data: CommentedMap | None = None
    text: str = ""
    problems: list[Problem] = field(default_factory=list)


def new_yaml(comments: bool = True) -> YAML:
    """A round-trip YAML instance: keeps the position of every key and item, and comments.

    `comments=False` reads the same data without collecting comments, a quarter faster: for
    checking files (validate, plan), never for rewriting them (fmt, lint --fix, import)."""
    yaml = YAML(typ="rt")
    # Duplicates are found on the node tree instead, so that every one of them is reported.
    yaml.allow_duplicate_keys = True
    yaml.Composer = DefinitionComposer
    if not comments:
        yaml.Scanner, yaml.Parser = Scanner, Parser
    return yaml


def read_document(path: Path, display: str, comments: bool = True) -> Document:
    """Read and parse `path`; `display` is how messages name the file. Without `comments`,
    the data holds none (see new_yaml): for reading, never for writing the file back."""
    document = Document(display)
    raw = _read_bytes(path, document)
    if raw is None:
        return document
    text = _decode(raw, document)
    if text is None:
        return document
    document.text = text
    if _has_control_character(text, document):
        return document
    yaml = new_yaml(comments)
    node = _compose(yaml, text, document)
    if node is None or document.problems:
        return document
    _check_duplicate_keys(node, document)
    try:
        data = yaml.constructor.construct_document(node)
    except MarkedYAMLError as exc:
        document.problems.append(_syntax_problem(display, text, exc))
        return document
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
        # ruamel converts explicitly tagged values (`!!int abc`) with plain Python calls.
        document.problems.append(
            Problem(display, 1, 1, FILE_FIELD, f"a tagged value cannot be read: {exc}",
                    "remove the `!!tag` before the value, or fix the value it tags")
        )
        return document
    if not isinstance(data, CommentedMap):
        document.problems.append(_not_a_mapping(display, data, node))
        return document
    document.data = data
    return document


def _read_bytes(path: Path, document: Document) -> bytes | None:
    """The file's bytes; a file over MAX_FILE_BYTES is refused before it is read."""
    try:
        with path.open("rb") as stream:
            size = path.stat().st_size
            raw = b"" if size > MAX_FILE_BYTES else stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        document.problems.append(
            Problem(document.path, 1, 1, FILE_FIELD, f"cannot be read: {exc.strerror}",
                    "check the file's permissions")
        )
        return None
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        document.problems.append(
            Problem(document.path, 1, 1, FILE_FIELD,
                    f"is {max(size, len(raw)):,} bytes, over the {MAX_FILE_BYTES:,} bytes a "
                    "definition file may have (Marketo refuses requests over 1 MB)",
                    "a definition is a few hundred bytes: check that this is the right file")
        )
        return None
    return raw


def _decode(raw: bytes, document: Document) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        document.problems.append(
            Problem(
                document.path, line, column, FILE_FIELD,
                f"byte 0x{raw[exc.start]:02X} is not valid UTF-8",
                "save the file with UTF-8 encoding (most editors: 'Save with Encoding' → UTF-8)",
            )
        )
        return None


def _has_control_character(text: str, document: Document) -> bool:
    # The YAML reader stops at a NUL byte as if the file ended there: say so instead.
    found = _CONTROL.search(text)
    if found is None:
        return False
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    document.problems.append(
        Problem(document.path, line, column, FILE_FIELD,
                f"contains the control character U+{ord(found.group()):04X}, "
                "which YAML does not allow",
                "remove it; if the file is binary or saved as UTF-16, save it as UTF-8 text")
    )
    return True


def _compose(yaml: YAML, text: str, document: Document) -> Node | None:
    try:
        node: Node | None = yaml.compose(text)
    except RefusedYAML as exc:
        mark = exc.problem_mark
        document.problems.append(
            Problem(document.path, mark.line + 1, mark.column + 1, FILE_FIELD,
                    str(exc.problem), exc.fix)
        )
        return None
    except MarkedYAMLError as exc:
        document.problems.append(_syntax_problem(document.path, text, exc))
        return None
    except YAMLError as exc:  # unmarked errors are rare; still a message, never a traceback
        document.problems.append(
            Problem(document.path, 1, 1, FILE_FIELD, f"is not valid YAML: {exc}", FORMAT_HINT)
        )
        return None
    if node is None:
        document.problems.append(
            Problem(document.path, 1, 1, FILE_FIELD, "is empty: a definition needs at least "
                    "version, apiName, name, triggerName, filterName and primaryAttribute",
                    f"write the definition or delete the file; {FORMAT_HINT}")
        )
    return node


def _syntax_problem(path: str, text: str, exc: MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or exc.context or "is not valid YAML"
    problem = problem.replace("'<stream end>'", "the end of the file")
    if "another document" in problem:
        return Problem(path, line, column, FILE_FIELD,
                       "holds a second YAML document (after a `---` line)",
                       "keep one definition per file: move the second one to its own file")
    lines = text.splitlines()
    at = lines[line - 1][column - 1:column] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem or at == "\t":
        return Problem(path, line, column, FILE_FIELD,
                       "a tab character is used for indentation; YAML allows only spaces",
                       "replace the tab with spaces (2 per indentation level)")
    return Problem(path, line, column, FILE_FIELD, f"YAML syntax error: {problem}",
                   "fix the YAML syntax at this position (check indentation, colons and quotes)")


def _check_duplicate_keys(node: Node, document: Document, prefix: str = "") -> None:
    """Report every key that appears twice in one mapping, at its second appearance."""
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                mark = key.start_mark
                document.problems.append(
                    Problem(document.path, mark.line + 1, mark.column + 1, prefix + name,
                            f"duplicate key: '{name}' is already set on line {seen[name]}",
                            "keep one of the two and delete the other")
                )
            else:
                seen[name] = key.start_mark.line + 1
            _check_duplicate_keys(value, document, f"{prefix}{name}.")
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(item, document, f"{prefix.removesuffix('.')}[{index}].")


def _not_a_mapping(path: str, data: Any, node: Node) -> Problem:
    several = isinstance(data, list | AbstractSet)
    kind = describe(data) if several else f"a single value, {describe(data)}"
    mark = node.start_mark
    return Problem(path, mark.line + 1, mark.column + 1, FILE_FIELD,
                   f"holds {kind} at the top; a definition is a mapping of keys",
                   f"write one activity type per file as `key: value` lines; {FORMAT_HINT}")
