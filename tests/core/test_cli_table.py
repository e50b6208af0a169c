"""The command table of `framework.cli`: lazy, and true to each command's own help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from framework.cli import COMMANDS, load_command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_help_is_the_command_help(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(10_000)


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from framework.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('framework.commands.')"
        " and m != 'framework.commands.common')\n"
        "heavy = sorted(m for m in ('httpx', 'jinja2', 'git', 'pydantic') if m in sys.modules)\n"
        "print(loaded, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[] []"
    assert "validate" in result.stdout
