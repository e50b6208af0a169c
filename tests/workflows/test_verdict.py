"""The merge rule both platforms share (framework/ci/verdict.py), with literal plans."""

from __future__ import annotations

import pytest

from framework.ci.header import plan_digest
from framework.ci.verdict import Reviewed, allow_destructive, refusal
from framework.plan.model import Plan
from framework.plan.pipeline import derive_plan
from framework.plan.planfile import document
from tests.plan.plan_literals import (
    ATTRIBUTES,
    PROVENANCE,
    definition,
    live,
    live_type,
    version,
)


def dropping_an_attribute(allowed: bool) -> Plan:
    state = live(live_type("approved", version()), calls=2)
    provenance = PROVENANCE.model_copy(update={"allowDestructive": allowed})
    return derive_plan(provenance, [definition(attributes=[ATTRIBUTES[0]])], state, max_types=10)


def creating() -> Plan:
    return derive_plan(PROVENANCE, [definition()], live(calls=1), max_types=10)


def digest(plan: Plan) -> str:
    return plan_digest(document(plan))


def test_the_reviewed_plan_passes_and_any_other_is_refused() -> None:
    plan = creating()
    assert refusal(plan, Reviewed(digest(plan), False), labelled=False) is None
    assert refusal(plan, Reviewed("sha256:other", False), labelled=False) == "differs"


@pytest.mark.parametrize(
    ("reviewed_with_label", "labelled", "why"),
    [(False, False, "destructive-unlabelled"),
     (False, True, "planned-before-label"),
     (True, False, "label-removed")],
)
def test_a_destructive_plan_needs_the_label_when_planned_and_now(
    reviewed_with_label: bool, labelled: bool, why: str
) -> None:
    reviewed = Reviewed(digest(dropping_an_attribute(reviewed_with_label)), reviewed_with_label)
    allowed = allow_destructive(reviewed, labelled)
    assert allowed is False
    assert refusal(dropping_an_attribute(allowed), reviewed, labelled) == why


def test_with_the_label_then_and_now_the_reviewed_destructive_plan_passes() -> None:
    reviewed = Reviewed(digest(dropping_an_attribute(True)), True)
    assert allow_destructive(reviewed, labelled=True) is True
    assert refusal(dropping_an_attribute(True), reviewed, labelled=True) is None
