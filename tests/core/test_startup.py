"""Start-up: `validate` (the pre-commit hook) loads only what checking files needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
# What only talking to Marketo or rendering plans needs; `validate` must load none of it.
NEEDLESS = ("httpx", "httpcore", "h11", "anyio", "jinja2", "git", "jsonschema", "logging")
NEEDLESS_OWN = ("framework.client", "framework.emulator", "framework.environment",
                "framework.plan", "framework.apply", "framework.importer")

PROBE = """
import sys
from framework.cli import main
try:
    main(["validate", "--dir", "activities"])
except SystemExit as exc:
    code = exc.code
print(code, file=sys.stderr)
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_validate_imports_no_client_emulator_or_renderer() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
        cwd=REPOSITORY,
    )
    code, modules = result.stderr.splitlines()[-2:]
    loaded = modules.split()
    assert code == "0", result.stderr
    assert [m for m in loaded if m.split(".")[0] in NEEDLESS] == []
    assert [m for m in loaded if m.startswith(NEEDLESS_OWN)] == []


PLUGIN_PROBE = """
import os, sys
import framework.cli
from pydantic.plugin._loader import get_plugins
print(os.environ["PYDANTIC_DISABLE_PLUGINS"], len(list(get_plugins())), file=sys.stderr)
"""


def test_the_command_line_skips_pydantic_plugin_discovery_unless_the_user_set_it() -> None:
    def probe(**env: str) -> str:
        environment = {k: v for k, v in __import__("os").environ.items()
                       if k != "PYDANTIC_DISABLE_PLUGINS"}
        result = subprocess.run(
            [sys.executable, "-c", PLUGIN_PROBE], capture_output=True, text=True, check=True,
            cwd=REPOSITORY, env={**environment, **env},
        )
        return result.stderr.strip()

    assert probe() == "__all__ 0"
    # A user who wants their pydantic plugins keeps them.
    assert probe(PYDANTIC_DISABLE_PLUGINS="some_other_plugin").startswith("some_other_plugin ")
