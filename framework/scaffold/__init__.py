"""`activities init`: start a user's repository laid out like this one.

templates   package data: the GitHub workflows (the very files this repository ships under
            .github/workflows, checked by a test) and the definitions folder's README
pins        what it pins: the distribution and tag a release publishes (or a warning)
files       what init writes, where, and whether it is there already
pyproject   [tool.activities] merged into pyproject.toml, comments and other tables kept
precommit   the hooks' entry merged into .pre-commit-config.yaml, comments kept
init        the whole of it: check everything, then write
"""
