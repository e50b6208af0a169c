"""Run jobs of a .gitlab-ci.yml as a GitLab runner would, on this machine.

A job runs when the pipeline's `workflow: rules` and its own `rules` let it, with GitLab's
predefined variables for the pipeline, the file's and the job's `variables:`, and the CI/CD
variables the test gives (a protected one only on the default branch, an environment-scoped one
only in a job of that environment). Its `before_script` and `script` lines run in one
`bash -eo pipefail`, as GitLab's shell executor runs them, in the workspace. The install line is
checked (it must install the requirements file init wrote) and not run: this virtualenv has the
tool. After the job, its artifact paths are looked up. `rules: if:` expressions are evaluated
for the forms GitLab documents that the file uses: `$VAR == "text"`, `$VAR` (set and not
empty), `&&`, `||`, parentheses; the first rule that holds decides, `when: never` leaving the
job out.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

PROJECT_URL = "https://gitlab.example/acme/marketing"
INSTALL = "python -P -m pip install --quiet -r .gitlab/activities-requirements.txt"


@dataclass(frozen=True)
class Variable:
    """A CI/CD variable of the project's settings."""

    value: str
    protected: bool = False
    scope: str = "*"  # the environment it is scoped to


@dataclass
class JobRun:
    name: str
    code: int | None  # None: the job's rules left it out
    output: str = ""
    artifacts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code == 0


def load_pipeline(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def matches(rule: str, variables: dict[str, str]) -> bool:
    """Whether a `rules: if:` expression holds for VARIABLES."""
    python = re.sub(r"\$(\w+)", lambda m: repr(variables.get(m[1], "")), rule)
    python = python.replace("&&", " and ").replace("||", " or ")
    assert re.fullmatch(r"[\s()'\"\w:/.,=!-]*", python), f"unsupported rule: {rule}"
    return bool(eval(python, {"__builtins__": {}}, {}))  # noqa: S307 - our own file's rules


class Pipeline:
    """One pipeline (one source, one commit) of a .gitlab-ci.yml in a workspace."""

    job_id = 7000  # GitLab numbers jobs across the instance

    def __init__(self, workspace: Path, predefined: dict[str, str],
                 settings: dict[str, Variable]) -> None:
        self.workspace = workspace
        self.config = load_pipeline(workspace / ".gitlab-ci.yml")
        self.predefined = predefined
        self.settings = settings

    @property
    def jobs(self) -> list[str]:
        """The jobs of the file in stage order, then file order."""
        stages = self.config["stages"]
        names = [name for name, job in self.config.items()
                 if isinstance(job, dict) and "script" in job]
        return sorted(names, key=lambda name: stages.index(self.config[name]["stage"]))

    def created(self) -> bool:
        """Whether `workflow: rules` create this pipeline at all."""
        return self._ruled_in(self.config.get("workflow", {}).get("rules", []))

    def selected(self) -> list[str]:
        """The jobs this pipeline has (their rules let them in), in order."""
        if not self.created():
            return []
        return [name for name in self.jobs
                if self._ruled_in(self.config[name].get("rules", [{"if": "true"}]))]

    def _ruled_in(self, rules: list[dict[str, str]]) -> bool:
        """GitLab's `rules`: the first whose `if` holds decides (`when: never` leaves out)."""
        for rule in rules:
            if matches(rule["if"], self.predefined):
                return rule.get("when", "on_success") != "never"
        return False

    def run(self, name: str, tmp: Path) -> JobRun:
        """Run job NAME: its before_script and script lines in one shell."""
        job = self.config[name]
        if name not in self.selected():
            return JobRun(name, None)
        environment = str(job.get("environment", {}).get("name", ""))
        protected = self.predefined.get("CI_COMMIT_BRANCH") == self.predefined.get(
            "CI_DEFAULT_BRANCH")
        cicd = {key: var.value for key, var in self.settings.items()
                if (not var.protected or protected) and var.scope in ("*", environment)}
        Pipeline.job_id += 1
        variables = {**cicd, **self.predefined, **self.config.get("variables", {}),
                     **job.get("variables", {}), "CI_JOB_NAME": name,
                     "CI_JOB_ID": str(Pipeline.job_id),
                     "CI_JOB_URL": f"{PROJECT_URL}/-/jobs/{Pipeline.job_id}"}
        if environment:
            variables["CI_ENVIRONMENT_NAME"] = environment
        before = self.config.get("default", {}).get("before_script", [])
        assert before == [INSTALL], before
        requirements = self.workspace / ".gitlab" / "activities-requirements.txt"
        assert requirements.read_text().startswith("marketo-activities==")
        tmp.mkdir(parents=True, exist_ok=True)
        script = tmp / f"{name.replace(':', '-')}.sh"
        script.write_text("\n".join(job["script"]) + "\n")
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CI_", "GITLAB_", "ACTIVITIES_", "MARKETO_"))}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env={**env, **variables, "PATH": path},
            capture_output=True, text=True, check=False,
        )
        artifacts = sorted(
            found for pattern in job.get("artifacts", {}).get("paths", [])
            for found in glob.glob(pattern.rstrip("/") + "/*", root_dir=self.workspace)
        )
        return JobRun(name, done.returncode, done.stdout + done.stderr, artifacts)
