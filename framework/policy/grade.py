"""Grade differences under a kind's rule book: the one answer to "how risky is this change?"."""

from __future__ import annotations

from collections.abc import Iterable

from framework.plan.model import Risk
from framework.policy.model import Difference, RuleBook, Standing

RISK_ORDER: dict[Risk, int] = {"safe": 0, "breaking": 1, "destructive": 2}


def grade(difference: Difference, standing: Standing, book: RuleBook) -> Risk:
    """The risk of `difference` on a type that stands as `standing` on the instance."""
    return book[difference.rule].risk(standing)


def worst(risks: Iterable[Risk]) -> Risk:
    """The highest of several risks (safe when there are none)."""
    return max(risks, key=RISK_ORDER.__getitem__, default="safe")
