"""What part of a step is still to do, given the live type (pure, from literals)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from framework.apply.reconcile import at_target, residual
from framework.live import LiveAttribute, LiveType, TypeVersion
from framework.plan.model import TypeChange
from framework.plan.ops import Step

PRIMARY = LiveAttribute(apiName="title", name="Title", dataType="string")
SEATS = LiveAttribute(apiName="seats", name="Seats", dataType="integer")
VENUE = LiveAttribute(apiName="venue", name="Venue", dataType="string")


def version(*attributes: LiveAttribute, name: str = "Attend Class") -> TypeVersion:
    return TypeVersion(
        apiName="attendClass",
        name=name,
        triggerName="Attends Class",
        filterName="Attended Class",
        primaryAttribute=PRIMARY,
        attributes=tuple(attributes),
    )


def approved(v: TypeVersion) -> LiveType:
    return LiveType(apiName="attendClass", status="approved", approved=v)


def with_draft(a: TypeVersion, d: TypeVersion) -> LiveType:
    return LiveType(apiName="attendClass", status="approved with draft", approved=a, draft=d)


def draft_only(d: TypeVersion) -> LiveType:
    return LiveType(apiName="attendClass", status="draft", draft=d)


STEP: TypeAdapter[Step] = TypeAdapter(Step)


def op(kind: str, /, **fields: Any) -> Step:
    """A typed step on attendClass, from its fields."""
    return STEP.validate_python({"op": kind, "apiName": "attendClass", **fields})


CREATE = op(
    "create_type",
    name="Attend Class",
    triggerName="Attends Class",
    filterName="Attended Class",
    primaryAttribute={"apiName": "title", "name": "Title", "dataType": "string"},
)


def attrs(name: str, *items: dict[str, Any]) -> Step:
    if name == "delete_attributes":
        return op(name, attributes=[item["apiName"] for item in items])
    return op(name, attributes=list(items))


SEATS_BODY = {"apiName": "seats", "name": "Seats", "dataType": "integer"}
VENUE_BODY = {"apiName": "venue", "name": "Venue", "dataType": "string"}
APPROVE = op("approve")
DELETE = op("delete_type")
TARGET = version(SEATS, VENUE)

CASES: list[tuple[str, Step, LiveType | None, Step | None]] = [
    ("create on an absent type is still to do", CREATE, None, CREATE),
    ("create whose draft exists is done", CREATE, draft_only(version()), None),
    (
        "create over a different type is sent (Marketo answers 1017)",
        CREATE,
        draft_only(version(name="Other")),
        CREATE,
    ),
    (
        "attribute batch fully live is done",
        attrs("create_attributes", SEATS_BODY, VENUE_BODY),
        draft_only(TARGET),
        None,
    ),
    (
        "attribute batch partly live shrinks to the rest",
        attrs("create_attributes", SEATS_BODY, VENUE_BODY),
        draft_only(version(SEATS)),
        attrs("create_attributes", VENUE_BODY),
    ),
    (
        "attribute batch not live is sent whole",
        attrs("create_attributes", SEATS_BODY),
        draft_only(version()),
        attrs("create_attributes", SEATS_BODY),
    ),
    (
        "an existing attribute that differs stays in the batch",
        attrs("create_attributes", {**SEATS_BODY, "dataType": "float"}),
        draft_only(version(SEATS)),
        attrs("create_attributes", {**SEATS_BODY, "dataType": "float"}),
    ),
    (
        "attribute update already live is done",
        attrs("update_attributes", SEATS_BODY),
        with_draft(version(), version(SEATS)),
        None,
    ),
    (
        "attribute delete shrinks to what is left",
        attrs("delete_attributes", {"apiName": "seats"}, {"apiName": "venue"}),
        with_draft(TARGET, version(VENUE)),
        attrs("delete_attributes", {"apiName": "venue"}),
    ),
    (
        "attribute delete of gone attributes is done",
        attrs("delete_attributes", {"apiName": "seats"}),
        with_draft(TARGET, version()),
        None,
    ),
    ("approve that published the target is done", APPROVE, approved(TARGET), None),
    (
        "approve with the draft still there is to do",
        APPROVE,
        with_draft(version(), TARGET),
        APPROVE,
    ),
    ("approve of another version is to do", APPROVE, approved(version()), APPROVE),
    ("delete of an absent type is done", DELETE, None, None),
    ("delete of a present type is to do", DELETE, approved(TARGET), DELETE),
    (
        "update on an absent type is sent (Marketo answers 702)",
        op("update_type", name="X"),
        None,
        op("update_type", name="X"),
    ),
    (
        "update already in the draft is done",
        op("update_type", name="New"),
        with_draft(TARGET, version(name="New")),
        None,
    ),
    (
        "discard with no draft left is done",
        op("discard_draft"),
        approved(TARGET),
        None,
    ),
]


@pytest.mark.parametrize(("case", "step", "live", "expected"), CASES, ids=[c[0] for c in CASES])
def test_residual(case: str, step: Step, live: LiveType | None, expected: Step | None) -> None:
    assert residual(step, live, TARGET) == expected


def change(after: TypeVersion | None) -> TypeChange:
    return TypeChange(apiName="attendClass", action="create", risk="safe", reasons=(), after=after)


@pytest.mark.parametrize(
    ("live", "after", "expected"),
    [
        (approved(TARGET), TARGET, True),
        (with_draft(TARGET, TARGET), TARGET, False),
        (draft_only(TARGET), TARGET, False),
        (approved(version()), TARGET, False),
        (None, TARGET, False),
        (None, None, True),
        (approved(TARGET), None, False),
    ],
)
def test_at_target(live: LiveType | None, after: TypeVersion | None, expected: bool) -> None:
    assert at_target(change(after), live) is expected
