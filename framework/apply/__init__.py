"""Apply: run a reviewed plan's steps against Marketo, journaled, resumable and verified.

guard      refuse before any mutating call: wrong target, destructive without allowance
preflight  re-read the touched types; decide per type: pending, done, resuming or stale
schedule   order the types in waves (trigger/filter names freed before they are claimed)
executor   run each wave: drafts staged for every type first, then the approves
reconcile  what part of a step is not yet live (after a lost answer, a kill, a race)
journal    every step and its outcome, appended and fsynced as it happens
verify     re-read the touched types and compare them with the plan's target
"""

from framework.apply.executor import apply_plan
from framework.apply.model import ApplyResult, TypeOutcome

__all__ = ["ApplyResult", "TypeOutcome", "apply_plan"]
