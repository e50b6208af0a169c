"""Run the `run:` steps of a workflow's job in order, as a GitHub runner would, on this machine.

Each step runs with `bash -e` in the workspace, with the variables GitHub sets (GITHUB_*,
a fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY per step), the workflow's, the job's and the
step's `env:`, and
`gh` resolved to the stub on PATH. `uses:` steps are not run: checkout and setup-python are what
the test arranged (a git workspace, this virtualenv's python), and upload-artifact is checked to
find the files it would upload. Expressions are resolved from a table the test gives, so an
expression the test does not know fails it: the workflows stay simple enough to be tested.
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

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEP_OUTPUT = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)")
SECRET = re.compile(r"secrets\[format\('([\w{}]+)', matrix\.environment\)\]")
INSTALL = "Install activities"  # this virtualenv has it: the step would pip-install it again


@dataclass
class StepResult:
    name: str
    code: int | None  # None: not run (a `uses:` step, the install step, or skipped by `if:`)
    note: str = ""


@dataclass
class JobResult:
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # step id -> outputs
    summary: str = ""
    uploaded: list[str] = field(default_factory=list)
    artifacts: dict[str, list[str]] = field(default_factory=dict)  # name -> files uploaded
    job_outputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.code in (None, 0) for step in self.steps)

    def codes(self) -> dict[str, int | None]:
        return {step.name: step.code for step in self.steps}


def load_workflow(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


class Runner:
    """Runs jobs of one workflow for one event, in one workspace."""

    def __init__(
        self,
        workflow: Path,
        workspace: Path,
        github_env: dict[str, str],
        expressions: dict[str, str],
        path_prefix: list[Path],
        secrets: dict[str, str] | None = None,
    ) -> None:
        self.workflow = load_workflow(workflow)
        self.workspace = workspace
        self.github_env = github_env
        self.expressions = expressions
        # GitHub's secret names are not case-sensitive; a missing secret is an empty string.
        self.secrets = {k.upper(): v for k, v in (secrets or {}).items()}
        self.path = os.pathsep.join(
            [*map(str, path_prefix), str(Path(sys.executable).parent), os.environ["PATH"]]
        )

    def job_if(self, job_id: str, needs: dict[str, str]) -> bool:
        condition = self.workflow["jobs"][job_id].get("if")
        return True if condition is None else self._condition(condition, {}, needs)

    def run_job(
        self, job_id: str, matrix: dict[str, str] | None = None,
        needs: dict[str, str] | None = None, tmp: Path | None = None,
    ) -> JobResult:
        job = self.workflow["jobs"][job_id]
        matrix, needs = matrix or {}, needs or {}
        result = JobResult()
        failed = False
        scratch = tmp or self.workspace.parent / "runner"
        scratch.mkdir(parents=True, exist_ok=True)
        for number, step in enumerate(job["steps"]):
            name = step.get("name") or step.get("uses") or f"step {number}"
            resolve = lambda text: self._resolve(text, result.outputs, matrix, needs)  # noqa: E731
            condition = step.get("if", "success()")
            if failed and "always()" not in condition:
                result.steps.append(StepResult(name, None, "skipped: an earlier step failed"))
                continue
            if "if" in step and not self._condition(condition, result.outputs, needs, matrix):
                result.steps.append(StepResult(name, None, "skipped by if"))
                continue
            if "uses" in step:
                result.steps.append(StepResult(name, None, self._uses(step, resolve, result)))
                continue
            if name == INSTALL:
                result.steps.append(StepResult(name, None, "already installed"))
                continue
            code = self._run(step, job, resolve, result, scratch / f"{job_id}-{number}")
            result.steps.append(StepResult(name, code))
            failed = failed or code != 0
        for key, value in (job.get("outputs") or {}).items():
            result.job_outputs[key] = resolve(value)
        return result

    def _run(self, step: dict[str, Any], job: dict[str, Any], resolve: Any,
             result: JobResult, scratch: Path) -> int:
        scratch.mkdir(parents=True, exist_ok=True)
        output, summary = scratch / "output", scratch / "summary"
        output.write_text("")
        summary.write_text("")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
            **self.github_env,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "PATH": self.path,
        }
        scopes = (self.workflow.get("env") or {}, job.get("env") or {}, step.get("env") or {})
        for scope in scopes:
            env.update({k: resolve(str(v)) for k, v in scope.items()})
        script = scratch / "script.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, check=False,
        )
        if "id" in step:
            result.outputs[step["id"]] = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
        result.summary += summary.read_text()
        (scratch / "log").write_text(done.stdout + done.stderr)
        return done.returncode

    def _uses(self, step: dict[str, Any], resolve: Any, result: JobResult) -> str:
        action = step["uses"]
        if action.startswith("actions/upload-artifact@"):
            patterns = [line.strip() for line in resolve(step["with"]["path"]).splitlines()]
            found = sorted({f for pattern in patterns if pattern
                            for f in glob.glob(pattern, root_dir=self.workspace)})
            assert found, f"upload-artifact would find nothing at {patterns}"
            result.uploaded += found
            result.artifacts[resolve(step["with"]["name"])] = found
            return f"would upload {', '.join(found)}"
        assert action.split("@")[0] in ("actions/checkout", "actions/setup-python"), action
        return "arranged by the test"

    def _resolve(self, text: str, outputs: dict[str, dict[str, str]],
                 matrix: dict[str, str], needs: dict[str, str]) -> str:
        return EXPRESSION.sub(
            lambda m: self._value(m[1], outputs, needs, matrix), text
        )

    def _value(self, expression: str, outputs: dict[str, dict[str, str]],
               needs: dict[str, str], matrix: dict[str, str] | None = None) -> str:
        matrix = matrix or {}
        expression = expression.strip()
        if m := STEP_OUTPUT.fullmatch(expression):
            return outputs.get(m[1], {}).get(m[2], "")
        if expression.startswith("matrix."):
            return matrix[expression.removeprefix("matrix.")]
        if expression.startswith("needs."):
            return needs[expression]
        if expression.startswith("'") and expression.endswith("'"):
            return expression[1:-1]
        if m := SECRET.fullmatch(expression):
            return self.secrets.get(m[1].format(matrix["environment"]).upper(), "")
        assert expression in self.expressions, f"the test does not know ${{{{ {expression} }}}}"
        return self.expressions[expression]

    def _condition(self, condition: str, outputs: dict[str, dict[str, str]],
                   needs: dict[str, str], matrix: dict[str, str] | None = None) -> bool:
        """`a && b && ...` of always(), success(), `X == Y` and `X != Y` (all the workflows use)."""
        for term in (t.strip() for t in condition.split("&&")):
            if term in ("always()", "success()"):
                continue
            m = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", term)
            assert m, f"the runner does not know the condition {term!r}"
            left = self._value(m[1], outputs, needs, matrix)
            right = self._value(m[3], outputs, needs, matrix)
            if (left == right) != (m[2] == "=="):
                return False
        return True
