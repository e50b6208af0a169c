"""The files init writes from templates, and the lines it adds to files it only extends."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

from framework.scaffold.pins import GITLAB_REQUIREMENTS, REQUIREMENTS, requirement

# Where the tool lives; the pre-commit hooks are installed from its tags.
REPOSITORY = "https://github.com/activities-as-code/activities"
WORKFLOWS = ("activities-pull-request.yml", "activities-apply.yml", "activities-drift.yml")
GITLAB_PIPELINE = ".gitlab-ci.yml"
# The CI systems init writes a pipeline for (`--ci`), GitHub's by default.
CI_SYSTEMS = ("github", "gitlab")
# What init adds to .gitignore: blocks of a comment and rules, each rule added when missing.
# In plans/, a plan saved for review (`activities plan --out plans/NAME.json`) is committed;
# what apply and the workflows leave there is one machine's or one run's: apply journals (for
# resuming on that machine), the plans an interactive apply saved and applied at once (never
# reviewed; the lock file records what they did), and the workflows' plans and comments
# (uploaded as the run's artifact).
GITIGNORE_BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("# activities: the state of the embedded `local` instance (and its lock)",
     (".activities/",)),
    ("# activities: what apply and the workflows leave in plans/ (a plan saved for review,\n"
     '# plans/NAME.json, is committed; README.md, "What goes in git")',
     ("plans/*.journal.jsonl", "plans/apply-*.json", "plans/*.plan.json", "plans/*.comment.md")),
)


@dataclass(frozen=True)
class TemplateFile:
    """A file init owns: written whole, refused when present unless --force."""

    path: PurePosixPath  # relative to the repository's root
    text: str


def template_text(*parts: str) -> str:
    """A template shipped as package data, e.g. ("github", "workflows", NAME)."""
    node = resources.files("framework.scaffold").joinpath("templates", *parts)
    return node.read_text(encoding="utf-8")


def owned_files(definitions: str, version: str, ci: str = "github",
                environments: tuple[str, ...] = ()) -> list[TemplateFile]:
    """Every file init writes whole, in the order it reports them: the definitions folder's
    README, plans/, and CI's pipeline with the requirements file it installs."""
    files = [
        TemplateFile(
            PurePosixPath(definitions, "README.md"), template_text("activities", "README.md")
        ),
        TemplateFile(PurePosixPath("plans", ".gitkeep"), ""),
    ]
    if ci == "gitlab":
        files.append(TemplateFile(PurePosixPath(GITLAB_PIPELINE), gitlab_pipeline(environments)))
        files.append(TemplateFile(PurePosixPath(GITLAB_REQUIREMENTS), requirements(version)))
        return files
    files += [
        TemplateFile(PurePosixPath(".github", "workflows", name),
                     template_text("github", "workflows", name))
        for name in WORKFLOWS
    ]
    files.append(TemplateFile(PurePosixPath(REQUIREMENTS), requirements(version)))
    return files


def gitlab_pipeline(environments: tuple[str, ...]) -> str:
    """The .gitlab-ci.yml for these ENVIRONMENTS (pyproject.toml's, in order): one apply job
    each, so each can be a GitLab environment of its own (a protected `production`)."""
    import jinja2

    template = jinja2.Template(template_text("gitlab", "gitlab-ci.yml.j2"),
                               keep_trailing_newline=True, trim_blocks=True,
                               undefined=jinja2.StrictUndefined)
    text: str = template.render(environments=list(environments))
    return text


def requirements(version: str) -> str:
    """What the workflows pip-install: exactly VERSION (the user's), so CI runs what they run.

    One line and nothing else, `marketo-activities==X.Y.Z`, which Dependabot can bump.
    """
    return requirement(version) + "\n"
