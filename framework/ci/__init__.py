"""The steps of the GitHub workflows that `activities init` writes, one subcommand each.

`python -P -m framework.ci STEP ...` runs one workflow step: it reads the variables GitHub sets
(GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, ...), runs `activities`
commands as a user would, and talks to GitHub only through the `gh` CLI. Keeping the logic
here, not in the workflows' shell, makes it testable and lets a tool upgrade fix every
repository's workflows at once.

Always the installed tool: the workflows run `python -P` (and set PYTHONSAFEPATH=1), and the
steps start `activities` the same way, so a `framework/` folder in the repository under
review is never imported: plain `python -m` puts the working folder first on `sys.path`.

    environments   the environments to plan, apply or check for drift (a JSON list output)
    plan ENV       the pull request's plan: comment body with a hidden header, summary, JSON;
                   fails (a red check) when apply would refuse the plan
    comment N FILE post the comment on pull request N, or update the plan step's own one
    apply ENV      apply on main only a plan equal to the one reviewed on the merged pull
                   request (its review record: framework/ci/record.py)
    queue ENV      in a merge queue: fail unless the queued merge plans what was reviewed
    commit-lock ENV  commit and push the environment's lock file written by apply
    drift ENV      report drift: open/update one issue per environment, or fail
"""
