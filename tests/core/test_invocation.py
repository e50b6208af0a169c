"""How a command was typed reaches its hints as a value (framework.invocation): the module
keeps no state, so two commands run in one process each word their hints with their own
`-e`, `--endpoint` and `--dir`, and nothing of one is left for the next."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import Result

import framework.invocation as invocation_module
from framework.invocation import Invocation

IMMUTABLE = (str, int, float, bool, tuple, frozenset, type(None), Invocation)


def test_the_invocation_module_keeps_no_state() -> None:
    tree = ast.parse(Path(invocation_module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"contextvars", "ContextVar", "threading", "local"}
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global | ast.Nonlocal)]
    for name, value in vars(invocation_module).items():
        if name.startswith("__") or inspect.ismodule(value) or inspect.isroutine(value) \
                or inspect.isclass(value) or type(value).__module__ == "__future__":
            continue
        assert isinstance(value, IMMUTABLE), f"{name} = {value!r} is module-level state"
    assert Invocation.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert [f.name for f in fields(Invocation)] == ["env", "endpoint", "directory"]
    for gone in ("remember", "forget", "again", "remember_plan"):
        assert not hasattr(invocation_module, gone), gone


@pytest.fixture
def two_environments(project: Path) -> Path:
    (project / "pyproject.toml").write_text(
        "[tool.activities]\nmax_types = 10\n"
        '[tool.activities.environments.staging]\nendpoint = "https://111-AAA-111.mktorest.com"\n'
        '[tool.activities.environments.production]\n'
        'endpoint = "https://222-BBB-222.mktorest.com"\n'
    )
    return project


def test_two_commands_in_one_process_each_repeat_their_own_options(
    two_environments: Path, cli: Callable[..., Result]
) -> None:
    staging = cli("lock", "show", "-e", "staging", cwd=two_environments)
    production = cli("lock", "show", "-e", "production", cwd=two_environments)
    bare = cli("lock", "show", cwd=two_environments)

    fixes = [result.stdout.splitlines()[-1] for result in (staging, production, bare)]
    assert fixes == [
        "  fix: `activities lock repair -e staging` rebuilds it",
        "  fix: `activities lock repair -e production` rebuilds it",
        "  fix: `activities lock repair` rebuilds it",
    ]
    assert [r.exit_code for r in (staging, production, bare)] == [1, 1, 1]
