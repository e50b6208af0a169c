"""The jobs of the GitLab CI pipeline that `activities init --ci gitlab` writes.

`python -P -m framework.ci.gitlab JOB` runs one job's step, as `python -P -m framework.ci STEP`
does for GitHub: the plan, digest, merge rule, apply and drift are the shared ones
(framework/ci), and this package is GitLab's adapter: its predefined variables, merge-request
notes, labels, issues and commits through the REST API (httpx), dotenv outputs, and the job
log as the summary.

    api          GitLab's REST API v4: notes, merge requests, issues, files, commits
    context      the job's variables; outputs as dotenv lines, summaries to the log
    pipeline     the apply jobs of .gitlab-ci.yml against pyproject.toml's environments
    steps        plan (a note per environment), apply (the reviewed plan only)
    lock_commit  the lock file, replayed onto the branch's and committed through the API
    train        a merge train's pipeline: the merged result plans what the notes show

    check          every environment of pyproject.toml has its apply job in the pipeline
    plan           plan every environment for the merge request, one note each, in place
    apply ENV      apply on the default branch only the plan reviewed on the merged request
    drift          report drift of every environment: open/update one issue each, or fail
"""
