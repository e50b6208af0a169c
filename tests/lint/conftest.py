"""Lint tests: real git repositories made in the test's folder."""

from __future__ import annotations

from pathlib import Path

import git
import pytest


class History:
    """A repository at `project`: write definition files, commit them, branch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = git.Repo.init(root, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "Test")
            config.set_value("user", "email", "test@example.com")

    def write(self, name: str, text: str) -> Path:
        path = self.root / "activities" / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str) -> str:
        self.repo.git.add("-A")
        self.repo.git.commit("-q", "--allow-empty", "-m", message)
        return self.repo.head.commit.hexsha

    def branch(self, name: str) -> None:
        self.repo.git.checkout("-q", "-b", name)

    def checkout(self, name: str) -> None:
        self.repo.git.checkout("-q", name)


@pytest.fixture
def history(project: Path) -> History:
    (project / ".gitignore").write_text(".activities/\nplans/\n")
    return History(project)
