"""What a GitLab CI job sees: its predefined variables, and where outputs and summaries go.

GitLab has no step outputs and no job summary: an output is a line of a dotenv file
(ACTIVITIES_OUTPUT_FILE, a `reports: dotenv` artifact, so later jobs get it as a variable), and
a summary is printed to the job log and appended to ACTIVITIES_SUMMARY_FILE (an artifact).
https://docs.gitlab.com/ci/variables/predefined_variables/
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from framework.ci.workflow import StepContext


@dataclass(frozen=True)
class JobContext(StepContext):
    """The variables GitLab sets for a job, with GitHub's step interface for the shared steps."""

    @classmethod
    def current(cls) -> JobContext:
        return cls(os.environ)

    @property
    def repository(self) -> str:
        return self.get("CI_PROJECT_PATH")

    @property
    def sha(self) -> str:
        return self.get("CI_COMMIT_SHA")

    @property
    def run_url(self) -> str:
        return self.get("CI_JOB_URL")

    @property
    def merge_request(self) -> int | None:
        """The merge request of a merge-request pipeline, else None."""
        iid = self.get("CI_MERGE_REQUEST_IID")
        return int(iid) if iid.isdigit() else None

    def get(self, name: str) -> str:
        value = self.environ.get(name, "")
        if not value and name == "ON_DRIFT":  # the shared drift step's name for the setting
            value = self.environ.get("ACTIVITIES_ON_DRIFT", "")
        return value

    def secret(self, environment: str, kind: str) -> str:
        """ACTIVITIES_<ENV>_<KIND>: the CI/CD variable of an environment's credential."""
        name = re.sub(r"[^A-Z0-9]", "_", environment.upper())
        return self.get(f"ACTIVITIES_{name}_{kind}")

    def set_output(self, name: str, value: str) -> None:
        """A dotenv line ACTIVITIES_<NAME>=VALUE for the jobs that need this one."""
        key = "ACTIVITIES_" + re.sub(r"[^A-Z0-9]", "_", name.upper())
        _append(self.get("ACTIVITIES_OUTPUT_FILE"), f"{key}={value}\n")

    def add_summary(self, markdown: str) -> None:
        """The job log, and the summary artifact when the pipeline keeps one."""
        sys.stdout.write(markdown.rstrip("\n") + "\n\n")
        _append(self.get("ACTIVITIES_SUMMARY_FILE"), markdown.rstrip("\n") + "\n\n")


def _append(path: str, text: str) -> None:
    if path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as file:
            file.write(text)
