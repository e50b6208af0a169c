"""The generated reference pages (docs/reference/) match the code they are generated from."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from framework import reference
from framework.plan.reason_codes import REASONS

REPOSITORY = Path(__file__).resolve().parents[2]
FOLDER = REPOSITORY / "docs" / "reference"


def test_every_reference_page_is_current() -> None:
    stale = [
        f"docs/reference/{name}"
        for name, text in reference.pages().items()
        if not (FOLDER / name).is_file()
        or (FOLDER / name).read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"stale reference pages {stale}: run make docs"


def test_no_generated_page_is_left_over() -> None:
    left = [
        f"docs/reference/{path.name}"
        for path in sorted(FOLDER.glob("*.md"))
        if path.name not in reference.pages()
    ]
    assert left == [], f"pages no longer generated {left}: run make docs"


def test_make_docs_writes_the_pages_and_reports_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reference.main([str(tmp_path)]) == 0
    first = capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(reference.pages())
    assert first.endswith(f"{len(reference.pages())} reference pages changed\n")
    (tmp_path / "exit-codes.md").write_text("edited by hand\n")
    (tmp_path / "old.md").write_text(reference.HEADER + "a page no longer made\n")
    (tmp_path / "notes.md").write_text("# not generated\n")
    assert reference.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"wrote {tmp_path / 'exit-codes.md'}\nwrote {tmp_path / 'old.md'}\n"
        "2 reference pages changed\n"
    )
    assert not (tmp_path / "old.md").exists()
    assert (tmp_path / "notes.md").exists()  # only pages it wrote are removed


def test_the_reference_lists_every_command_and_option() -> None:
    from framework.cli import COMMANDS, load_command

    page = reference.pages()["commands.md"]
    for name in COMMANDS:
        assert f"\n## activities {name}\n" in page
        for parameter in load_command(name).params:
            if isinstance(parameter, click.Option):
                assert all(option in page for option in parameter.opts), (name, parameter.opts)


def _sections(page: str) -> dict[str, str]:
    """Each command's section of the page, by its heading's command path."""
    parts = re.split(r"^#{2,} (activities .+)$", page, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _every_command(
    command: click.Command, context: click.Context
) -> Iterator[tuple[str, click.Command, click.Context]]:
    yield context.command_path, command, context
    if isinstance(command, click.Group):
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None
            yield from _every_command(sub, click.Context(sub, info_name=name, parent=context))


def test_a_command_group_s_subcommands_each_have_their_section() -> None:
    # `activities lock` was listed without `lock show` and `lock repair`, their options and
    # arguments: the generator did not walk into groups.
    sections = _sections(reference.pages()["commands.md"])
    root, context = reference._root()
    walked = list(_every_command(root, context))

    assert {"activities lock show", "activities lock repair"} <= {path for path, _, _ in walked}
    for path, command, context in walked[1:]:
        assert path in sections, path
        for parameter in command.get_params(context):
            if isinstance(parameter, click.Argument):
                assert f"`{parameter.make_metavar(context)}`" in sections[path], (path, parameter)
            elif isinstance(parameter, click.Option) and not parameter.hidden:
                assert all(option in sections[path] for option in parameter.opts), (
                    path, parameter.opts)
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                assert f"(#{path.replace(' ', '-')}-{name})" in sections[path], (path, name)


def test_a_pipe_or_an_angle_bracket_cannot_break_a_table() -> None:
    assert reference._row(["`a|b`", "x <y> `<z>`"]) == "| `a\\|b` | x &lt;y&gt; `<z>` |"


def _codes_given(root: Path) -> dict[str, str]:
    """Every literal reason code the modules under ROOT give: `Reason(code="...")`, or a local
    `code` assigned a literal (alone, in a tuple, or as a conditional's branches)."""
    found: dict[str, str] = {}

    def literals(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return literals(node.body) + literals(node.orelse)
        return []

    for path in sorted(root.rglob("*.py")):
        where = str(path.relative_to(root.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[str] = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Reason":
                values = [v for k in node.keywords if k.arg == "code" for v in literals(k.value)]
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "code":
                        values += literals(node.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        names = [getattr(e, "id", None) for e in target.elts]
                        if "code" in names:
                            values += literals(node.value.elts[names.index("code")])
            for value in values:
                found.setdefault(value, f"{where}:{node.lineno}")
    return found


def test_every_reason_code_the_plan_gives_is_described() -> None:
    given = _codes_given(REPOSITORY / "framework")
    missing = [f"{code} ({where})" for code, where in sorted(given.items()) if code not in REASONS]
    assert missing == [], (
        f"reason codes without a line in framework/plan/reason_codes.py: {missing}; add one for "
        "each, then run make docs"
    )
    unused = sorted(set(REASONS) - set(given))
    assert unused == [], f"framework/plan/reason_codes.py describes codes no plan gives: {unused}"


def test_the_code_finder_sees_each_way_a_code_is_given(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        'a = Reason(code="one", text="")\n'
        'code = "two"\n'
        'action, code = "x", "three"\n'
        'code = "four" if risk else "five"\n'
        'other = "not-a-code"\n'
    )
    assert sorted(_codes_given(tmp_path)) == ["five", "four", "one", "three", "two"]
