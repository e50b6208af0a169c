"""A user's repository for workflow tests: `activities init`, a sandbox on the emulator, git."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.workflows.workflow_runner import JobResult, Runner

REPOSITORY = "acme/marketing"
TOKEN = "ghs_workflow-test-token"
RUN_ID = "4242"
STUB = Path(__file__).with_name("gh_stub.py")

WEBINAR = """\
version: {version}
apiName: attendWebinar
name: Attend Webinar
description: {description}
triggerName: Attends Webinar
filterName: Attended Webinar
primaryAttribute:
  apiName: webinarName
  name: Webinar Name
  dataType: string
attributes:
  - apiName: minutesWatched
    name: Minutes Watched
    dataType: integer
"""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


class ScratchRepo:
    """An origin (bare) and a workspace clone of a repository started with `activities init`."""

    def __init__(self, root: Path, emulator: Any) -> None:
        self.root = root
        self.origin = root / "origin.git"
        self.work = root / "work"
        self.emulator = emulator
        self.gh_state = root / "gh-state.json"
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.origin))
        git(root, "clone", "--quiet", str(self.origin), str(self.work))
        git(self.work, "checkout", "--quiet", "-b", "main")
        git(self.work, "config", "user.name", "Dana Developer")
        git(self.work, "config", "user.email", "dana@example.com")
        done = subprocess.run([sys.executable, "-m", "framework", "init"], cwd=self.work,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        with (self.work / "pyproject.toml").open("a") as pyproject:
            pyproject.write(
                "\n[tool.activities.environments.sandbox]\n"
                f'endpoint = "{emulator.url}"\n'
                'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"\n'
                'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"\n'
            )
        self.commit("Start managing custom activity types")
        git(self.work, "push", "--quiet", "-u", "origin", "main")
        bin_dir = root / "bin"
        bin_dir.mkdir()
        gh = bin_dir / "gh"
        gh.write_text(f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(STUB)!r}, "
                      "run_name='__main__')\n")
        gh.chmod(0o755)
        self.bin = bin_dir

    # --- git -------------------------------------------------------------------------------

    def commit(self, message: str) -> str:
        # What a developer commits: not the files a workflow job left in the workspace.
        git(self.work, "add", "-A", "--", ".", ":(exclude)plans/*.*")
        git(self.work, "commit", "--quiet", "-m", message)
        return git(self.work, "rev-parse", "HEAD")

    def write_definition(self, version: int, description: str) -> None:
        path = self.work / "activities" / "attendWebinar.yaml"
        path.write_text(WEBINAR.format(version=version, description=description))

    def merge(self, branch: str, number: int) -> str:
        """Merge BRANCH into main as pull request NUMBER, push, and tell the stub GitHub."""
        git(self.work, "checkout", "--quiet", "main")
        git(self.work, "merge", "--quiet", "--no-ff", branch, "-m",
            f"Merge pull request #{number} from {branch}")
        git(self.work, "push", "--quiet", "origin", "main")
        sha = git(self.work, "rev-parse", "HEAD")
        state = self.gh()
        state["merged"][sha] = number
        self.gh_state.write_text(json.dumps(state))
        return sha

    def fresh_checkout(self) -> None:
        """What actions/checkout gives each job: the commit, and nothing a job left behind."""
        git(self.work, "reset", "--quiet", "--hard")
        git(self.work, "clean", "-fdxq")

    # --- the stub GitHub ---------------------------------------------------------------------

    def gh(self) -> dict[str, Any]:
        if not self.gh_state.is_file():
            return {"calls": [], "comments": {}, "issues": [], "merged": {}, "next_id": 1000}
        state: dict[str, Any] = json.loads(self.gh_state.read_text())
        return state

    def comments(self, number: int) -> list[dict[str, Any]]:
        return list(self.gh()["comments"].get(str(number), []))

    # --- workflows ---------------------------------------------------------------------------

    @property
    def secrets(self) -> dict[str, str]:
        config = self.emulator.config
        return {
            "ACTIVITIES_SANDBOX_READ_CLIENT_ID": config.client_id,
            "ACTIVITIES_SANDBOX_READ_CLIENT_SECRET": config.client_secret,
            "ACTIVITIES_SANDBOX_CLIENT_ID": config.client_id,
            "ACTIVITIES_SANDBOX_CLIENT_SECRET": config.client_secret,
        }

    def github_env(self, event: str, **extra: str) -> dict[str, str]:
        event_path = self.root / f"event-{event}.json"
        event_path.write_text(json.dumps({"repository": {"full_name": REPOSITORY}}))
        return {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": RUN_ID,
            "GITHUB_WORKSPACE": str(self.work),
            "GITHUB_SHA": git(self.work, "rev-parse", "HEAD"),
            "RUNNER_TEMP": str(self.root / "runner-temp"),
            "GH_STUB_STATE": str(self.gh_state),
            **extra,
        }

    def runner(self, workflow: str, env: dict[str, str], expressions: dict[str, str],
               secrets: dict[str, str] | None = None) -> Runner:
        return Runner(
            self.work / ".github" / "workflows" / workflow, self.work, env,
            {"github.token": TOKEN, "github.repository": REPOSITORY, **expressions},
            [self.bin], self.secrets if secrets is None else secrets,
        )

    def pull_request(
        self, number: int, branch: str, fork: bool = False
    ) -> tuple[JobResult, dict[str, JobResult]]:
        """Run the pull-request workflow for BRANCH against main (from a fork: no secrets)."""
        base = git(self.work, "rev-parse", "main")
        git(self.work, "checkout", "--quiet", branch)
        env = self.github_env("pull_request", GITHUB_REF=f"refs/pull/{number}/merge",
                              GITHUB_BASE_REF="main", GITHUB_HEAD_REF=branch)
        runner = self.runner("activities-pull-request.yml", env, {
            "github.event.pull_request.number": str(number),
            "github.event.pull_request.base.sha": base,
            "github.event.pull_request.head.repo.full_name": "octo/fork" if fork else REPOSITORY,
            "github.event.pull_request.head.repo.full_name != github.repository": str(
                fork
            ).lower(),
            "contains(github.event.pull_request.labels.*.name, "
            "'activities:allow-destructive')": "false",
        }, {} if fork else None)
        self.fresh_checkout()
        check = runner.run_job("check", tmp=self.root / f"runner-pr{number}")
        assert check.ok, check.codes()
        environments = check.job_outputs["environments"]
        needs = {"needs.check.outputs.environments": environments}
        plans = {}
        for name in json.loads(environments):
            self.fresh_checkout()
            plans[name] = runner.run_job(
                "plan", {"environment": name}, needs, self.root / f"runner-pr{number}"
            )
        return check, plans

    def push_to_main(self, tag: str) -> tuple[JobResult, dict[str, JobResult]]:
        """Run the apply workflow for main's head, as a push event would."""
        git(self.work, "checkout", "--quiet", "main")
        env = self.github_env("push", GITHUB_REF="refs/heads/main", GITHUB_REF_NAME="main")
        runner = self.runner("activities-apply.yml", env, {})
        self.fresh_checkout()
        listed = runner.run_job("environments", tmp=self.root / f"runner-{tag}")
        assert listed.ok, listed.codes()
        needs = {"needs.environments.outputs.environments": listed.job_outputs["environments"]}
        if not runner.job_if("apply", needs):
            return listed, {}
        applies = {}
        for name in json.loads(listed.job_outputs["environments"]):
            self.fresh_checkout()
            applies[name] = runner.run_job(
                "apply", {"environment": name}, needs, self.root / f"runner-{tag}"
            )
        return listed, applies


    def scheduled(self, on_drift: str, tag: str) -> dict[str, JobResult]:
        """Run the drift workflow, as its schedule would, with ACTIVITIES_ON_DRIFT=ON_DRIFT."""
        git(self.work, "checkout", "--quiet", "main")
        env = self.github_env("schedule", GITHUB_REF="refs/heads/main")
        runner = self.runner("activities-drift.yml", env,
                             {"vars.ACTIVITIES_ON_DRIFT || 'issue'": on_drift})
        self.fresh_checkout()
        listed = runner.run_job("environments", tmp=self.root / f"runner-{tag}")
        needs = {"needs.environments.outputs.environments": listed.job_outputs["environments"]}
        results = {}
        for name in json.loads(listed.job_outputs["environments"]):
            self.fresh_checkout()
            results[name] = runner.run_job(
                "drift", {"environment": name}, needs, self.root / f"runner-{tag}"
            )
        return results
