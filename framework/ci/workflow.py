"""What a workflow step sees of GitHub Actions: its variables, outputs and job summary."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepContext:
    """The variables GitHub sets for a step (empty outside Actions)."""

    environ: Mapping[str, str]

    @classmethod
    def current(cls) -> StepContext:
        return cls(os.environ)

    def get(self, name: str) -> str:
        return self.environ.get(name, "")

    @property
    def repository(self) -> str:
        return self.get("GITHUB_REPOSITORY")

    @property
    def sha(self) -> str:
        return self.get("GITHUB_SHA")

    @property
    def run_url(self) -> str:
        """The link to this workflow run, for comments and issues."""
        server = self.get("GITHUB_SERVER_URL") or "https://github.com"
        run = self.get("GITHUB_RUN_ID")
        return f"{server}/{self.repository}/actions/runs/{run}" if run else ""

    def flag(self, name: str) -> bool:
        """A variable a workflow set from an expression: `true` or `false`."""
        return self.get(name).strip().lower() == "true"

    def set_output(self, name: str, value: str) -> None:
        """Write a step output (a single line) to GITHUB_OUTPUT."""
        _append(self.get("GITHUB_OUTPUT"), f"{name}={value}\n")

    def add_summary(self, markdown: str) -> None:
        """Append Markdown to the job summary (GITHUB_STEP_SUMMARY)."""
        _append(self.get("GITHUB_STEP_SUMMARY"), markdown.rstrip("\n") + "\n\n")


def _append(path: str, text: str) -> None:
    # Outside Actions (a developer trying a step by hand) there is no file: nothing to write.
    if path:
        with Path(path).open("a", encoding="utf-8") as file:
            file.write(text)
