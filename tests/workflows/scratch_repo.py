"""A user's repository for workflow tests: `activities init`, a sandbox on the emulator, git."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.workflows.workflow_runner import JobResult, Runner

REPOSITORY = "acme/marketing"
TOKEN = "ghs_workflow-test-token"
RUN_ID = "4242"  # the first workflow run's id; each later run takes the next one
PLAN_WORKFLOW = "activities-pull-request.yml"
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
        self.runs = 0  # workflow runs so far: ids and event times follow from it
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
        state["pulls"][str(number)].update(merged=True, merge_commit_sha=sha)
        self.save(state)
        return sha

    def fresh_checkout(self) -> None:
        """What actions/checkout gives each job: the commit, and nothing a job left behind."""
        git(self.work, "reset", "--quiet", "--hard")
        git(self.work, "clean", "-fdxq")

    # --- the stub GitHub ---------------------------------------------------------------------

    def gh(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "calls": [], "comments": {}, "issues": [], "merged": {}, "pulls": {}, "runs": [],
            "next_id": 1000,
        }
        if self.gh_state.is_file():
            state.update(json.loads(self.gh_state.read_text()))
        return state

    def save(self, state: dict[str, Any]) -> None:
        self.gh_state.write_text(json.dumps(state, indent=1))

    def comments(self, number: int) -> list[dict[str, Any]]:
        return list(self.gh()["comments"].get(str(number), []))

    def add_comment(self, number: int, body: str, author: str, oldest: bool = False) -> int:
        """Someone (or another workflow, as the bot) comments on pull request NUMBER; OLDEST:
        before every comment there (as if made earlier)."""
        state = self.gh()
        comments = state["comments"].setdefault(str(number), [])
        state["next_id"] += 1
        comment = {"id": state["next_id"] - (10_000 if oldest else 0), "body": body,
                   "author": author}
        comments.insert(0, comment) if oldest else comments.append(comment)
        self.save(state)
        return int(comment["id"])

    def edit_comment(self, comment_id: int, body: str) -> None:
        """Someone edits a comment in GitHub's page (a maintainer may edit any comment)."""
        state = self.gh()
        for comments in state["comments"].values():
            for comment in comments:
                if comment["id"] == comment_id:
                    comment["body"] = body
        self.save(state)

    def set_labels(self, number: int, *labels: str) -> None:
        """Someone sets the labels of pull request NUMBER (no workflow runs by itself)."""
        state = self.gh()
        state["pulls"].setdefault(str(number), {
            "head": "", "labels": [], "merged": False, "merge_commit_sha": None,
        })["labels"] = list(labels)
        self.save(state)

    def run_url(self, run_id: int) -> str:
        return f"https://github.com/{REPOSITORY}/actions/runs/{run_id}"

    def _next_run(self) -> int:
        self.runs += 1
        return int(RUN_ID) + self.runs - 1

    def _record_run(self, run_id: int, head: str, plans: dict[str, JobResult]) -> None:
        """What GitHub keeps of a plan run: its workflow, event, commit, time and artifacts."""
        artifacts = {}
        for plan in plans.values():
            for name, files in plan.artifacts.items():
                folder = self.root / "artifacts" / str(run_id) / name
                folder.mkdir(parents=True, exist_ok=True)
                for file in files:  # the artifact's root is the files' common folder: plans/
                    shutil.copy(self.work / file, folder / Path(file).name)
                artifacts[name] = str(folder)
        state = self.gh()
        state["runs"].append({
            "id": run_id, "workflow": PLAN_WORKFLOW, "event": "pull_request", "head_sha": head,
            "created_at": f"2026-12-03T10:{self.runs:02d}:00Z", "status": "completed",
            "conclusion": "success" if all(p.ok for p in plans.values()) else "failure",
            "html_url": self.run_url(run_id), "artifacts": artifacts,
        })
        self.save(state)

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

    def github_env(self, event: str, run_id: int, **extra: str) -> dict[str, str]:
        event_path = self.root / f"event-{event}.json"
        event_path.write_text(json.dumps({"repository": {"full_name": REPOSITORY}}))
        return {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": str(run_id),
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
        self, number: int, branch: str, fork: bool = False, merged_as: str | None = None
    ) -> tuple[JobResult, dict[str, JobResult]]:
        """Run the pull-request workflow for BRANCH against main (from a fork: no secrets);
        for a merged pull request (a label changed after the merge), on its merge commit."""
        base = git(self.work, "rev-parse", "main")
        head = git(self.work, "rev-parse", branch)
        state = self.gh()
        pull = state["pulls"].setdefault(str(number), {
            "head": head, "labels": [], "merged": False, "merge_commit_sha": None})
        if merged_as is None:
            pull["head"] = head
        self.save(state)
        git(self.work, "checkout", "--quiet", merged_as or branch)
        run_id = self._next_run()
        env = self.github_env("pull_request", run_id, GITHUB_REF=f"refs/pull/{number}/merge",
                              GITHUB_BASE_REF="main", GITHUB_HEAD_REF=branch)
        runner = self.runner("activities-pull-request.yml", env, {
            "github.event_name": "pull_request",
            "github.event.pull_request.number": str(number),
            "github.event.pull_request.base.sha || github.event.merge_group.base_sha": base,
            "github.event.pull_request.head.repo.full_name": "octo/fork" if fork else REPOSITORY,
            "github.event.pull_request.head.repo.full_name != github.repository": str(
                fork
            ).lower(),
            # What older workflows read the label from (kept so they can be run, to compare).
            "contains(github.event.pull_request.labels.*.name, "
            "'activities:allow-destructive')": str(
                "activities:allow-destructive" in pull["labels"]).lower(),
        }, {} if fork else None)
        self.fresh_checkout()
        check = runner.run_job("check", tmp=self.root / f"runner-{run_id}")
        assert check.ok, check.codes()
        environments = check.job_outputs["environments"]
        needs = {"needs.check.outputs.environments": environments}
        plans = {}
        for name in json.loads(environments):
            self.fresh_checkout()
            plans[name] = runner.run_job(
                "plan", {"environment": name}, needs, self.root / f"runner-{run_id}"
            )
        self._record_run(run_id, pull["head"], plans)
        if merged_as is not None:
            git(self.work, "checkout", "--quiet", "main")
        return check, plans

    def merge_group(self, number: int, branch: str) -> dict[str, JobResult]:
        """Run the pull-request workflow as a merge queue does for pull request NUMBER: on the
        commit it would push to main (BRANCH merged onto main's head), on gh-readonly-queue/."""
        base = git(self.work, "rev-parse", "main")
        head = git(self.work, "rev-parse", branch)
        queue = f"gh-readonly-queue/main/pr-{number}-{head}"
        git(self.work, "checkout", "--quiet", "-b", queue, "main")
        git(self.work, "merge", "--quiet", "--no-ff", branch, "-m", f"Merge pull request #{number}")
        run_id = self._next_run()
        env = self.github_env("merge_group", run_id, GITHUB_REF=f"refs/heads/{queue}")
        runner = self.runner("activities-pull-request.yml", env, {
            "github.event_name": "merge_group",
            "github.event.pull_request.base.sha || github.event.merge_group.base_sha": base,
            "github.event.merge_group.head_ref": f"refs/heads/{queue}",
        })
        self.fresh_checkout()
        check = runner.run_job("check", tmp=self.root / f"runner-{run_id}")
        assert check.ok, check.codes()
        needs = {"needs.check.outputs.environments": check.job_outputs["environments"]}
        plans = {}
        for name in json.loads(check.job_outputs["environments"]):
            self.fresh_checkout()
            plans[name] = runner.run_job("plan", {"environment": name}, needs,
                                         self.root / f"runner-{run_id}")
        git(self.work, "checkout", "--quiet", "main")
        git(self.work, "branch", "--quiet", "-D", queue)
        return plans

    def push_to_main(self, tag: str) -> tuple[JobResult, dict[str, JobResult]]:
        """Run the apply workflow for main's head, as a push event would."""
        return self._apply_workflow("push", "", tag)

    def dispatch_apply(self, number: int, tag: str) -> tuple[JobResult, dict[str, JobResult]]:
        """Run the apply workflow on main by hand, naming pull request NUMBER."""
        return self._apply_workflow("workflow_dispatch", str(number), tag)

    def _apply_workflow(
        self, event: str, pull_request: str, tag: str
    ) -> tuple[JobResult, dict[str, JobResult]]:
        git(self.work, "checkout", "--quiet", "main")
        env = self.github_env(event, self._next_run(), GITHUB_REF="refs/heads/main",
                              GITHUB_REF_NAME="main")
        runner = self.runner("activities-apply.yml", env, {
            "github.ref": "refs/heads/main", "inputs.pull-request": pull_request})
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
        env = self.github_env("schedule", self._next_run(), GITHUB_REF="refs/heads/main")
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
