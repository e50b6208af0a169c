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
