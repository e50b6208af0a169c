"""The names users' branch protections and own steps refer to stay as they are."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML

from framework.scaffold.files import template_text


def workflow(name: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(template_text("github", "workflows", name))
    return data


def test_jobs_steps_and_outputs_keep_their_names() -> None:
    pull_request = workflow("activities-pull-request.yml")
    apply = workflow("activities-apply.yml")
    drift = workflow("activities-drift.yml")
    assert {k: j.get("name") for k, j in pull_request["jobs"].items()} == {
        "check": "validate, fmt, lint", "plan": "plan ${{ matrix.environment }}"}
    assert apply["jobs"]["apply"]["name"] == "apply ${{ matrix.environment }}"
    assert drift["jobs"]["drift"]["name"] == "drift ${{ matrix.environment }}"
    [plan] = [s for s in pull_request["jobs"]["plan"]["steps"] if s.get("id") == "plan"]
    assert plan["run"] == 'python -P -m framework.ci plan "$ENVIRONMENT"'
    later = str(pull_request["jobs"]["plan"]["steps"])
    assert "steps.plan.outputs.plan-file" in later
    assert "steps.plan.outputs.comment-file" in later
    for data in (pull_request, apply, drift):
        for job in data["jobs"].values():
            for step in job["steps"]:
                # A tool step is a `run:` step; `uses:` only for GitHub's own actions.
                assert "run" in step or step["uses"].startswith("actions/"), step
