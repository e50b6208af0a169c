"""What an apply stopped part way (Ctrl+C, SIGTERM) left half done, in words, and how to go on.

`Stopped` listens to the apply's own step events, as the progress display does; once the run
is cut short, `words()` says per type what was done, what was in flight and what waits for an
approve, from those events alone (nothing is read again: the instance may be unreachable).
"""

from __future__ import annotations

from framework.apply.model import FINISHED, ApplyEvent, StepEvent
from framework.plan.model import Plan, TypeChange
from framework.plan.ops import ApproveOp


class Stopped:
    """An apply's listener that remembers which steps started and finished."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.resume = ""
        self._started: dict[str, set[int]] = {}
        self._finished: dict[str, set[int]] = {}

    def start(self, plan: Plan, resume: str) -> None:
        """The plan about to be applied, and the command that resumes it (`activities apply
        plans/x.json -e sandbox`)."""
        self.plan, self.resume = plan, resume

    def __call__(self, event: ApplyEvent) -> None:
        if not isinstance(event, StepEvent):
            return
        if event.status == "started":
            self._started.setdefault(event.apiName, set()).add(event.index)
        elif event.status in FINISHED:
            self._finished.setdefault(event.apiName, set()).add(event.index)

    def words(self) -> str:
        """What the stopped run left, type by type, and the command that finishes it."""
        if self.plan is None:
            return ("Nothing was changed: apply stopped before it had a plan to apply.\n"
                    "  fix: run the same command again")
        changes = [c for c in self.plan.changes if c.action != "no-op" and c.steps]
        if not self._started:
            return ("Nothing was changed: apply stopped before its first change.\n"
                    f"  fix: run `{self.resume}` to apply the plan")
        lines = ["Apply stopped part way; nothing was rolled back:"]
        lines += [f"  {change.apiName} ({change.action}): {self._state(change)}"
                  for change in changes]
        lines.append(f"  fix: run `{self.resume}` to finish it: it re-reads the types, skips "
                     "the steps its journal records as done, and runs the rest")
        return "\n".join(lines)

    def _state(self, change: TypeChange) -> str:
        started = self._started.get(change.apiName, set())
        finished = self._finished.get(change.apiName, set())
        total = len(change.steps)
        if len(finished) == total:
            return "done"
        if not started and not finished:
            return "not started"
        done = f"{len(finished)} of {total} step(s) done"
        in_flight = sorted(started - finished)
        if in_flight:
            ops = ", ".join(change.steps[index].op for index in in_flight)
            return (f"{done}; {ops} was sent and its answer never came: it may have happened "
                    "(the next run re-reads the type to tell)")
        approve = next(
            (i for i, step in enumerate(change.steps) if isinstance(step, ApproveOp)), None
        )
        if approve is not None and approve not in finished:
            kept = ("its approved version is unchanged"
                    if change.liveStatus in ("approved", "approved with draft")
                    else "it has no approved version yet")
            return (f"{done}; its draft is staged and waits for the approve the next run "
                    f"sends ({kept})")
        return done
