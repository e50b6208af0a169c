"""The jobs of the GitLab CI pipeline that `activities init --ci gitlab` writes.

`python -P -m framework.ci.gitlab JOB` runs one job's step, as `python -P -m framework.ci STEP`
does for GitHub: the plan, digest, merge rule, apply and drift are the shared ones
(framework/ci), and this package is GitLab's adapter: its predefined variables, merge-request
notes, labels, issues and commits through the REST API (httpx), dotenv outputs, and the job
log as the summary.

    api       GitLab's REST API v4: notes, merge requests, issues, commits
    context   the job's variables; outputs as dotenv lines, summaries to the log
    steps     plan (a note per environment), apply (the reviewed plan only), lock commit

    plan           plan every environment for the merge request, one note each, in place
    apply ENV      apply on the default branch only the plan reviewed on the merged request
    drift          report drift of every environment: open/update one issue each, or fail
"""
