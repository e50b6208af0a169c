"""Workflow tests: make the runner and the `gh` stub beside this file importable."""

from __future__ import annotations

import sys
from pathlib import Path

# Pytest runs with --import-mode=importlib, which does not put test folders on sys.path.
sys.path.insert(0, str(Path(__file__).parent))
