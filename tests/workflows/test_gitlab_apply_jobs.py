"""The apply jobs the pipeline has, against pyproject.toml's environments: read from
.gitlab-ci.yml and the files it includes from the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from framework.ci.gitlab.pipeline import (
    ApplyJobs,
    PipelineOutOfDate,
    apply_jobs,
    check_apply_jobs,
)
from framework.scaffold.files import gitlab_pipeline


def test_the_jobs_init_writes_are_its_environments(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text(gitlab_pipeline(("sandbox", "production")))

    assert apply_jobs(tmp_path) == ApplyJobs(("sandbox", "production"), (".gitlab-ci.yml",))
    check_apply_jobs(tmp_path, ["sandbox", "production"])


def test_jobs_in_files_included_from_the_repository_count(tmp_path: Path) -> None:
    (tmp_path / ".gitlab").mkdir()
    (tmp_path / ".gitlab" / "activities.yml").write_text(gitlab_pipeline(("sandbox",)))
    (tmp_path / ".gitlab" / "other.yml").write_text("lint:\n  script: [make lint]\n")
    (tmp_path / ".gitlab-ci.yml").write_text(
        "include:\n  - local: /.gitlab/activities.yml\n  - .gitlab/other.yml\n"
        "build:\n  script: [make]\n  after_script: !reference [.cleanup, script]\n")

    assert apply_jobs(tmp_path) == ApplyJobs(
        ("sandbox",), (".gitlab-ci.yml", ".gitlab/activities.yml", ".gitlab/other.yml"))
    with pytest.raises(PipelineOutOfDate) as raised:
        check_apply_jobs(tmp_path, ["sandbox", "production"])
    assert str(raised.value).startswith(
        ".gitlab-ci.yml (with .gitlab/activities.yml, .gitlab/other.yml) has no apply job for "
        "'production', an environment of pyproject.toml: after the merge nothing would apply "
        "its plans\n  fix: run `activities init --ci gitlab --force`")


@pytest.mark.parametrize("include", [
    "https://example.com/ci.yml",
    "{project: acme/ci, file: activities.yml}",
    "{template: Security/SAST.gitlab-ci.yml}",
    "{component: gitlab.example/acme/activities@1.0}",
])
def test_a_pipeline_that_includes_from_elsewhere_is_not_judged(tmp_path: Path,
                                                               include: str) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text(f"include:\n  - {include}\n")

    assert apply_jobs(tmp_path) is None
    check_apply_jobs(tmp_path, ["sandbox"])  # GitLab itself says what runs


def test_no_pipeline_or_an_unreadable_one_is_not_judged(tmp_path: Path) -> None:
    assert apply_jobs(tmp_path) is None
    (tmp_path / ".gitlab-ci.yml").write_text("jobs: [unclosed\n")
    assert apply_jobs(tmp_path) is None


def test_missing_and_extra_jobs_are_named_together(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text(gitlab_pipeline(("staging",)))

    with pytest.raises(PipelineOutOfDate) as raised:
        check_apply_jobs(tmp_path, ["sandbox", "production"])

    assert str(raised.value).split("\n")[0] == (
        ".gitlab-ci.yml has no apply job for 'sandbox', 'production', environments of "
        "pyproject.toml: after the merge nothing would apply their plans; and it has an apply "
        "job for 'staging', which pyproject.toml does not name")


def test_init_force_names_the_pipeline_whose_edits_it_replaces(tmp_path: Path) -> None:
    def init(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "framework", "init", "--ci", "gitlab",
                               *args], cwd=tmp_path, capture_output=True, text=True,
                              check=False)

    assert init().returncode == 0
    pipeline = tmp_path / ".gitlab-ci.yml"
    pipeline.write_text(pipeline.read_text() + "my-job:\n  script: [make]\n")
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.activities.environments.sandbox]\n'
                        'endpoint = "https://123-ABC-456.mktorest.com"\n')

    done = init("--force")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert ("replaced .gitlab-ci.yml: it differed from what init writes, and those differences "
            "are gone (`git diff -- .gitlab-ci.yml` shows them if it was committed)") in lines
    assert "wrote .gitlab/activities-requirements.txt" in lines  # the same text: no edit lost
    assert apply_jobs(tmp_path) == ApplyJobs(("sandbox",), (".gitlab-ci.yml",))
    assert "my-job" not in pipeline.read_text()
