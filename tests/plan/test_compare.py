"""compare() and the policy (judged_changes) with literal desired and live states: one test
(or table row) per Marketo rule."""

from __future__ import annotations

import pytest

from framework.errors import RefusedError
from framework.live import LiveState
from framework.plan.model import AttributeChange, Reason, TypeChange
from framework.plan.pipeline import judged_changes
from tests.plan.plan_literals import ATTRIBUTES, PRIMARY, definition, live, live_type, version

NAME = "attendWebinar"
FILE = "activities/attendWebinar.yaml"
CREATE_BODY = {
    "apiName": NAME,
    "name": "Attend Webinar",
    "description": "A person attended one of our webinars",
    "triggerName": "Attends attendWebinar",
    "filterName": "Attended attendWebinar",
    "primaryAttribute": {"apiName": "webinarName", "name": "Webinar Name", "dataType": "string"},
}
ATTRIBUTE_BODIES = [
    {"apiName": "minutesWatched", "name": "Minutes Watched", "dataType": "integer"},
    {"apiName": "replayUrl", "name": "Replay URL", "dataType": "link"},
]
THROUGH_DRAFT = (
    "edited in a draft and published by the approve; records sent before it keep their old "
    "attributes"
)
DESTRUCTIVE_NOTE = "destructive: apply refuses it unless the plan is made with --allow-destructive"


def calls(change: TypeChange) -> tuple[tuple[str, dict | None], ...]:
    """Each step as the call it makes: (op, exact request body)."""
    assert all(step.apiName == change.apiName for step in change.steps)
    return tuple((step.op, step.body()) for step in change.steps)


def texts(reasons: tuple[Reason, ...]) -> tuple[str, ...]:
    return tuple(reason.text for reason in reasons)


def one(desired: list, state: LiveState, **kwargs: object) -> TypeChange:
    changes, _ = judged_changes(desired, state, max_types=10, **kwargs)  # type: ignore[arg-type]
    assert len(changes) == 1
    return changes[0]


def attrs(*overrides: dict) -> list[dict]:
    """ATTRIBUTES with per-attribute overrides (by position), or extra attributes appended."""
    result = [dict(a) for a in ATTRIBUTES]
    for index, override in enumerate(overrides):
        if index < len(result):
            result[index].update(override)
        else:
            result.append(override)
    return result


def test_create_is_create_type_create_attributes_and_approve_with_exact_bodies() -> None:
    change = one([definition()], live())
    assert calls(change) == (
        ("create_type", CREATE_BODY),
        ("create_attributes", {"attributes": ATTRIBUTE_BODIES}),
        ("approve", None),
    )
    assert change.model_copy(update={"steps": ()}) == TypeChange(
        apiName=NAME,
        action="create",
        risk="safe",
        reasons=(
            Reason(
                code="type-created",
                text="type attendWebinar does not exist; it is created as a draft with 2 "
                "attributes besides the primary, then approved",
            ),
        ),
        file=FILE,
        after=version(),
        attributeChanges=(
            AttributeChange(
                apiName="minutesWatched", action="add",
                reason=Reason(code="attribute-added",
                              text="attribute minutesWatched (integer) is added"),
                after=ATTRIBUTE_BODIES[0] | {"description": None},
            ),
            AttributeChange(
                apiName="replayUrl", action="add",
                reason=Reason(code="attribute-added", text="attribute replayUrl (link) is added"),
                after=ATTRIBUTE_BODIES[1] | {"description": None},
            ),
        ),
    )


def test_create_without_attributes_takes_two_calls() -> None:
    change = one([definition(attributes=[], description=None)], live())
    body = {k: v for k, v in CREATE_BODY.items() if k != "description"}
    assert calls(change) == (
        ("create_type", body),
        ("approve", None),
    )
    assert texts(change.reasons) == (
        "type attendWebinar does not exist; it is created as a draft with 0 attributes besides "
        "the primary, then approved",
    )


def test_a_type_that_matches_is_a_no_op_without_steps() -> None:
    change = one([definition()], live(live_type("approved", version())))
    assert (change.action, change.risk, change.steps, change.attributeChanges) == (
        "no-op", "safe", (), ()
    )
    assert texts(change.reasons) == (
        "type attendWebinar already matches activities/attendWebinar.yaml",
    )
    assert change.liveStatus == "approved"


# Issue 22, item 8: what Marketo does with a dropped attribute's history, in the words every
# message uses (Adobe's Activities guide, "Custom Activity Type Attributes").
DROPPED = (
    "records sent before the approve keep their old attributes, values included, but the "
    "type's Smart List filters can no longer use it, and records sent after the approve "
    "cannot carry it"
)
IN_USE_UNKNOWN = (
    "Marketo freezes it once the type is approved and in use, and no API call says whether a "
    "smart list or campaign uses the type, so this plan cannot know: if one does, Marketo "
    "refuses the edit (709) and apply stops at this step, approving nothing of its wave, so "
    "the published types stay as they were; then remove the type from those smart lists and "
    "campaigns, or keep the old value (https://experienceleague.adobe.com/en/docs/"
    "marketo-developer/marketo/rest/lead-database/activities)"
)


def test_description_change_of_an_approved_type_is_breaking_through_the_draft() -> None:
    # Repro 9 of issue 9: Adobe's guide freezes the description once the type is in use.
    state = live(live_type("approved", version(description="Old")))
    change = one([definition()], state)
    assert (change.action, change.risk) == ("update", "breaking")
    assert texts(change.reasons) == (
        THROUGH_DRAFT,
        f"description changes from 'Old' to 'A person attended one of our webinars'; "
        f"{IN_USE_UNKNOWN}",
    )
    assert calls(change) == (
        ("update_type", {"description": "A person attended one of our webinars"}),
        ("approve", None),
    )
    assert change.before == version(description="Old")
    assert change.after == version()


def test_a_cleared_description_is_sent_as_empty_text() -> None:
    change = one([definition(description=None)], live(live_type("approved", version())))
    assert calls(change)[0] == ("update_type", {"description": ""})


@pytest.mark.parametrize(
    ("field", "old", "reason"),
    [
        ("triggerName", "Attends Old",
         "trigger name changes from 'Attends Old' to 'Attends attendWebinar'; Smart Lists and "
         f"campaigns that use it by its old name must be checked; {IN_USE_UNKNOWN}"),
        ("filterName", "Attended Old",
         "filter name changes from 'Attended Old' to 'Attended attendWebinar'; Smart Lists and "
         f"campaigns that use it by its old name must be checked; {IN_USE_UNKNOWN}"),
        ("name", "Old Name",
         f"display name changes from 'Old Name' to 'Attend Webinar'; {IN_USE_UNKNOWN}"),
    ],
)
def test_renaming_a_frozen_field_of_an_approved_type_is_breaking(
    field: str, old: str, reason: str
) -> None:
    change = one([definition()], live(live_type("approved", version(**{field: old}))))
    assert (change.action, change.risk) == ("update", "breaking")
    assert texts(change.reasons) == (THROUGH_DRAFT, reason)
    new = getattr(version(), field)
    assert calls(change) == (
        ("update_type", {field: new}),
        ("approve", None),
    )


def test_renaming_the_trigger_of_a_draft_never_approved_is_safe() -> None:
    state = live(live_type("draft", draft=version(triggerName="Attends Old")))
    change = one([definition()], state)
    assert (change.action, change.risk) == ("update", "safe")
    assert texts(change.reasons) == (
        "triggerName changes from 'Attends Old' to 'Attends attendWebinar'",
        "the type is a draft never approved; it differs from the desired state in triggerName; "
        "the draft is updated, then approved",
    )


def test_attribute_edits_add_update_and_create_in_one_call_each() -> None:
    live_attributes = [
        {"apiName": "minutesWatched", "name": "Minutes", "dataType": "integer"},
        {"apiName": "replayUrl", "name": "Replay URL", "description": "old", "dataType": "link"},
    ]
    desired = attrs({}, {}, {"apiName": "seats", "name": "Seats", "dataType": "integer"})
    state = live(live_type("approved", version(attributes=live_attributes)))
    change = one([definition(attributes=desired)], state)
    assert (change.action, change.risk) == ("update", "breaking")
    assert [(a.apiName, a.action, a.risk, a.reason.text) for a in change.attributeChanges] == [
        ("minutesWatched", "update", "breaking",
         "attribute minutesWatched: display name changes from 'Minutes' to 'Minutes Watched'; "
         "senders that refer to the attribute by its display name instead of its apiName must "
         "change"),
        ("replayUrl", "update", "safe",
         "attribute replayUrl: description changes from 'old' to None"),
        ("seats", "add", "safe", "attribute seats (integer) is added"),
    ]
    assert calls(change) == (
        ("update_attributes", {"attributes": [
            {"apiName": "minutesWatched", "name": "Minutes Watched", "description": "",
             "dataType": "integer"},
            {"apiName": "replayUrl", "name": "Replay URL", "description": "",
             "dataType": "link"},
        ]}),
        ("create_attributes", {"attributes": [
            {"apiName": "seats", "name": "Seats", "dataType": "integer"},
        ]}),
        ("approve", None),
    )


def test_removing_an_approved_attribute_is_destructive() -> None:
    desired = [dict(ATTRIBUTES[0])]
    change = one([definition(attributes=desired)], live(live_type("approved", version())))
    assert (change.action, change.risk) == ("update", "destructive")
    assert change.attributeChanges == (
        AttributeChange(
            apiName="replayUrl", action="remove",
            reason=Reason(
                code="attribute-removed",
                text=f"attribute replayUrl is removed; {DROPPED}",
                risk="destructive",
            ),
            before=ATTRIBUTE_BODIES[1] | {"description": None},
        ),
    )
    assert calls(change) == (
        ("delete_attributes", {"attributes": [{"apiName": "replayUrl"}]}),
        ("approve", None),
    )
    assert texts(change.reasons) == (THROUGH_DRAFT, DESTRUCTIVE_NOTE)


def test_allow_destructive_is_stated_on_the_change() -> None:
    desired = [dict(ATTRIBUTES[0])]
    state = live(live_type("approved", version()))
    change = one([definition(attributes=desired)], state, allow_destructive=True)
    assert texts(change.reasons) == (
        THROUGH_DRAFT,
        "destructive: allowed because the plan was made with --allow-destructive",
    )


def test_renamed_from_is_a_delete_and_a_create_flagged_destructive() -> None:
    desired = attrs({}, {"apiName": "recordingUrl", "name": "Recording URL",
                         "renamedFrom": "replayUrl"})
    change = one([definition(attributes=desired)], live(live_type("approved", version())))
    assert (change.action, change.risk) == ("update", "destructive")
    assert change.attributeChanges == (
        AttributeChange(
            apiName="recordingUrl", action="rename",
            reason=Reason(
                code="attribute-renamed",
                text="attribute replayUrl is renamed to recordingUrl; Marketo cannot rename an "
                "attribute's apiName, so replayUrl is deleted and recordingUrl is created; "
                f"for replayUrl, {DROPPED}",
                risk="destructive",
            ),
            before=ATTRIBUTE_BODIES[1] | {"description": None},
            after={"apiName": "recordingUrl", "name": "Recording URL", "description": None,
                   "dataType": "link"},
            renamedFrom="replayUrl",
        ),
    )
    assert calls(change) == (
        ("delete_attributes", {"attributes": [{"apiName": "replayUrl"}]}),
        ("create_attributes", {"attributes": [
            {"apiName": "recordingUrl", "name": "Recording URL", "dataType": "link"}]}),
        ("approve", None),
    )


def test_a_rename_already_applied_is_a_no_op() -> None:
    desired = attrs({}, {"apiName": "recordingUrl", "name": "Recording URL",
                         "renamedFrom": "replayUrl"})
    state = live(live_type("approved", version(attributes=desired)))
    assert one([definition(attributes=desired)], state).action == "no-op"


REPLACE_CALLS = (
    ("delete_type", None),
    ("create_type", CREATE_BODY),
    ("create_attributes", {"attributes": ATTRIBUTE_BODIES}),
    ("approve", None),
)


@pytest.mark.parametrize(
    ("live_overrides", "why"),
    [
        ({"primaryAttribute": {"apiName": "title", "name": "Title"}},
         "the primary attribute changes from title to webinarName, which Marketo does not allow "
         "once a type was approved"),
        ({"primaryAttribute": PRIMARY | {"dataType": "text"}},
         "the primary attribute webinarName changes data type from text to string, which "
         "Marketo does not allow once a type was approved"),
        ({"attributes": attrs({"dataType": "float"})},
         "attribute minutesWatched changes data type from float to integer, which is "
         "replace-only once a type was approved"),
    ],
)
@pytest.mark.parametrize("status", ["approved", "approved with draft"])
def test_primary_or_data_type_change_after_approval_is_a_replace(
    live_overrides: dict, why: str, status: str
) -> None:
    approved = version(**live_overrides)
    draft = approved.model_copy(update={"description": "draft"}) if "draft" in status else None
    change = one([definition()], live(live_type(status, approved, draft)))  # type: ignore[arg-type]
    assert (change.action, change.risk, calls(change)) == ("replace", "destructive", REPLACE_CALLS)
    expected = [
        why,
        "type attendWebinar is deleted and created again: its history and Smart List use are "
        "lost",
    ]
    if draft is not None:
        expected.append("its pending draft is lost with it")
    assert texts(change.reasons) == (*expected, DESTRUCTIVE_NOTE)


def test_data_type_and_primary_changes_on_a_draft_never_approved_are_done_in_the_draft() -> None:
    draft = version(
        primaryAttribute={"apiName": "title", "name": "Title"},
        attributes=attrs({"dataType": "float"}, {}, {"apiName": "webinarName", "name": "W",
                                                     "dataType": "string"}),
    )
    change = one([definition()], live(live_type("draft", draft=draft)))
    assert (change.action, change.risk) == ("update", "safe")
    assert [(a.apiName, a.action, a.risk) for a in change.attributeChanges] == [
        ("webinarName", "replace", "safe"),
        ("minutesWatched", "replace", "safe"),
    ]
    assert change.attributeChanges[1].reason.text == (
        "attribute minutesWatched changes data type from float to integer; it is deleted and "
        "created again in the draft; the type was never approved, so nothing published is lost"
    )
    assert calls(change) == (
        ("delete_attributes", {"attributes": [
            {"apiName": "minutesWatched"}, {"apiName": "webinarName"}]}),
        ("update_type", {"primaryAttribute": {
            "apiName": "webinarName", "name": "Webinar Name", "description": "",
            "dataType": "string"}}),
        ("create_attributes", {"attributes": [ATTRIBUTE_BODIES[0]]}),
        ("approve", None),
    )


def test_a_draft_never_approved_that_matches_is_approved() -> None:
    change = one([definition()], live(live_type("draft", draft=version())))
    assert (change.action, change.risk, calls(change)) == (
        "approve-draft", "safe", (("approve", None),)
    )
    assert texts(change.reasons) == (
        "a pending draft already equals the desired state; approving it publishes it",
    )


def test_a_pending_draft_equal_to_the_target_is_approved_with_the_risk_of_publishing_it() -> None:
    state = live(live_type("approved with draft", version(triggerName="Old"), version()))
    change = one([definition()], state)
    assert (change.action, change.risk, calls(change)) == (
        "approve-draft", "breaking", (("approve", None),)
    )
    assert change.reasons[-1].text == (
        "a pending draft already equals the desired state; approving it publishes it"
    )


def test_a_pending_draft_nobody_made_is_discarded_when_the_approved_version_matches() -> None:
    foreign = version(name="Someone Else", attributes=attrs({}, {}, {
        "apiName": "extra", "name": "Extra", "dataType": "string"}))
    state = live(live_type("approved with draft", version(), foreign))
    change = one([definition()], state)
    # Issue 22, item 7: throwing away a colleague's work in progress is shown to the reviewer.
    assert (change.action, change.risk, change.attributeChanges) == (
        "discard-draft", "breaking", ()
    )
    assert calls(change) == (("discard_draft", None),)
    assert [(r.code, r.risk, r.text) for r in change.reasons] == [(
        "stray-draft-discarded", "breaking",
        "a pending draft nobody in the repository made differs in name, attribute extra (only "
        "in the draft); the approved version already matches the desired state, so the draft "
        "is discarded: the work it holds is lost",
    )]
    assert change.pendingDraft == foreign


def test_a_pending_draft_equal_to_the_approved_version_is_discarded() -> None:
    state = live(live_type("approved with draft", version(), version()))
    change = one([definition()], state)
    assert (change.action, calls(change)) == (
        "discard-draft", (("discard_draft", None),)
    )


def test_a_pending_draft_nobody_made_is_overwritten_from_the_draft_then_approved() -> None:
    approved = version(description="Old")
    foreign = version(
        description="Old",
        attributes=[ATTRIBUTES[0], {"apiName": "extra", "name": "Extra", "dataType": "string"},
                    ATTRIBUTES[1] | {"dataType": "link", "name": "Replay"}],
    )
    state = live(live_type("approved with draft", approved, foreign))
    change = one([definition()], state)
    assert (change.action, change.risk) == ("update", "breaking")
    assert texts(change.reasons) == (
        THROUGH_DRAFT,
        f"description changes from 'Old' to 'A person attended one of our webinars'; "
        f"{IN_USE_UNKNOWN}",
        "a pending draft nobody in the repository made differs in description, attribute extra "
        "(only in the draft), attribute replayUrl; it is overwritten with the desired state, "
        "then approved: the work it holds is lost",
    )
    assert change.pendingDraft == foreign
    # Measured against the approved version, nothing but the description changes.
    assert change.attributeChanges == ()
    assert calls(change) == (
        ("delete_attributes", {"attributes": [{"apiName": "extra"}]}),
        ("update_type", {"description": "A person attended one of our webinars"}),
        ("update_attributes", {"attributes": [
            {"apiName": "replayUrl", "name": "Replay URL", "description": "",
             "dataType": "link"}]}),
        ("approve", None),
    )


def test_a_foreign_draft_attribute_with_another_data_type_is_recreated_and_flagged() -> None:
    desired = attrs({}, {}, {"apiName": "seats", "name": "Seats", "dataType": "string"})
    foreign = version(attributes=attrs({}, {}, {"apiName": "seats", "name": "Seats",
                                                 "dataType": "integer"}))
    state = live(live_type("approved with draft", version(), foreign))
    change = one([definition(attributes=desired)], state)
    # Nothing published changes; the colleague's draft is lost (issue 22, item 7).
    assert (change.action, change.risk) == ("update", "breaking")
    assert [(r.code, r.risk) for r in change.reasons] == [
        ("update-through-draft", "safe"), ("stray-draft-overwritten", "breaking")
    ]
    assert calls(change) == (
        ("delete_attributes", {"attributes": [{"apiName": "seats"}]}),
        ("create_attributes", {"attributes": [
            {"apiName": "seats", "name": "Seats", "dataType": "string"}]}),
        ("approve", None),
    )


def test_staging_stays_within_twenty_attributes_by_deleting_first() -> None:
    full = [{"apiName": f"a{i}", "name": f"A {i}", "dataType": "string"} for i in range(20)]
    desired = [*full[1:], {"apiName": "b", "name": "B", "dataType": "string"}]
    change = one([definition(attributes=desired)], live(live_type("approved", version(
        attributes=full))))
    assert [s.op for s in change.steps] == ["delete_attributes", "create_attributes", "approve"]


def test_tombstone_deletes_a_live_type_and_is_a_no_op_when_absent() -> None:
    tombstone = definition(ensure="absent")
    change = one([tombstone], live(live_type("approved", version())))
    assert calls(change) == (("delete_type", None),)
    assert change.model_copy(update={"steps": ()}) == TypeChange(
        apiName=NAME, action="delete", risk="destructive",
        reasons=(
            Reason(
                code="type-deleted",
                text="ensure: absent; type attendWebinar is deleted with its Smart List trigger "
                "and filter; Marketo refuses (1022) while a smart list or campaign still uses "
                "it, and its history is lost",
                risk="destructive",
            ),
            Reason(code="destructive-not-allowed", text=DESTRUCTIVE_NOTE),
        ),
        file=FILE, before=version(), liveStatus="approved",
    )
    absent = one([tombstone], live())
    assert (absent.action, absent.steps, texts(absent.reasons)) == (
        "no-op", (), ("type attendWebinar is already absent (ensure: absent)",)
    )


def test_a_type_listed_as_deleted_is_absent() -> None:
    state = LiveState(types={NAME: live_type("approved", version()).model_copy(
        update={"status": "deleted", "approved": None})})
    assert one([definition()], state).action == "create"
    assert judged_changes([], state, max_types=10) == ([], [])


def test_unmanaged_live_types_are_listed_sorted_and_never_touched() -> None:
    state = live(
        live_type("approved", version("zeta", triggerName="Tz", filterName="Fz")),
        live_type("draft", draft=version("alpha", triggerName="Ta", filterName="Fa")),
        live_type("approved", version()),
    )
    changes, unmanaged = judged_changes([definition()], state, max_types=10)
    assert unmanaged == ["alpha", "zeta"]
    assert [c.apiName for c in changes] == [NAME]


def test_changes_sort_by_api_name() -> None:
    desired = [definition(n) for n in ("zed", "alpha", "mid")]
    changes, _ = judged_changes(desired, live(), max_types=10)
    assert [c.apiName for c in changes] == ["alpha", "mid", "zed"]


PROTECT_FIX = (
    "  fix: revert this change, or first merge a reviewed change that sets `protect: false` in "
    "activities/attendWebinar.yaml"
)


@pytest.mark.parametrize(
    ("desired", "approved", "what"),
    [
        (definition(ensure="absent", protect=True), version(), "delete the type"),
        (definition(protect=True), version(primaryAttribute={"apiName": "t", "name": "T"}),
         "replace the type"),
        (definition(protect=True, attributes=[ATTRIBUTES[0]]), version(),
         "drop attribute replayUrl"),
        (definition(protect=True, attributes=[]), version(),
         "drop attributes minutesWatched, replayUrl"),
        (definition(protect=True, attributes=attrs({}, {
            "apiName": "recordingUrl", "renamedFrom": "replayUrl"})), version(),
         "drop attribute replayUrl"),
    ],
)
def test_protect_refuses_deletes_replaces_and_dropped_attributes(
    desired: object, approved: object, what: str
) -> None:
    state = live(live_type("approved", approved))  # type: ignore[arg-type]
    with pytest.raises(RefusedError) as raised:
        judged_changes([desired], state, max_types=10)  # type: ignore[list-item]
    assert str(raised.value) == (
        "plan refused: 1 problem\n"
        f"activities/attendWebinar.yaml: type attendWebinar is protected (protect: true) and the "
        f"plan would {what}\n{PROTECT_FIX}"
    )


def test_protect_allows_safe_and_breaking_updates() -> None:
    state = live(live_type("approved", version(triggerName="Old", description="Old")))
    change = one([definition(protect=True)], state)
    assert (change.action, change.risk, change.protected) == ("update", "breaking", True)


def test_a_plan_over_the_type_limit_is_refused_naming_the_new_files() -> None:
    state = live(*(live_type("approved", version(f"t{i}", triggerName=f"T{i}",
                                                  filterName=f"F{i}")) for i in range(9)))
    desired = [definition("newA"), definition("newB")]
    with pytest.raises(RefusedError) as raised:
        judged_changes(desired, state, max_types=10)
    assert str(raised.value) == (
        "plan refused: 1 problem\n"
        "activities/newA.yaml, activities/newB.yaml: the plan would leave 11 custom activity "
        "types on the instance, over the limit of 10 (max_types; Marketo error 1027)\n"
        "  fix: delete types with `ensure: absent` tombstones first, or raise max_types in "
        "[tool.activities] of pyproject.toml if the subscription allows more"
    )
    # A tombstone makes room; at the limit exactly the plan is fine.
    tombstone = definition("t0", ensure="absent")
    changes, unmanaged = judged_changes([*desired, tombstone], state, max_types=10)
    assert [(c.apiName, c.action) for c in changes] == [
        ("newA", "create"), ("newB", "create"), ("t0", "delete")]
    assert unmanaged == [f"t{i}" for i in range(1, 9)]


def test_more_than_twenty_attributes_is_refused() -> None:
    many = [{"apiName": f"a{i}", "name": f"A {i}", "dataType": "string"} for i in range(21)]
    with pytest.raises(RefusedError) as raised:
        judged_changes([definition(attributes=many)], live(), max_types=10)
    assert str(raised.value) == (
        "plan refused: 1 problem\n"
        "activities/attendWebinar.yaml: type attendWebinar has 21 attributes, over Marketo's "
        "limit of 20 besides the primary (error 1028)\n"
        "  fix: remove attributes until there are at most 20"
    )


def test_a_trigger_name_taken_by_an_unmanaged_type_is_refused() -> None:
    other = version("other", triggerName="attends  ATTENDWEBINAR", filterName="Other")
    with pytest.raises(RefusedError) as raised:
        judged_changes([definition()], live(live_type("approved", other)), max_types=10)
    assert str(raised.value) == (
        "plan refused: 1 problem\n"
        "activities/attendWebinar.yaml: the Smart List name 'Attends attendWebinar' would be "
        "held by attendWebinar (triggerName) and other (unmanaged, triggerName); Marketo "
        "requires trigger and filter names to be unique across all custom activity types, the "
        "two kinds together (error 709)\n"
        "  fix: give each type its own trigger and filter names, or change other in Marketo (or "
        "import it with `activities import other` and change its file)"
    )


def test_refusals_are_all_reported_at_once() -> None:
    desired = [definition("a", ensure="absent", protect=True),
               definition("b", ensure="absent", protect=True)]
    state = live(live_type("approved", version("a", triggerName="A", filterName="A")),
                 live_type("approved", version("b", triggerName="B", filterName="B")))
    with pytest.raises(RefusedError) as raised:
        judged_changes(desired, state, max_types=10)
    assert str(raised.value).splitlines()[0] == "plan refused: 2 problems"


def test_approving_a_pending_draft_that_drops_an_attribute_is_a_destructive_step() -> None:
    state = live(live_type("approved with draft", version(),
                           version(attributes=[ATTRIBUTES[0]])))
    change = one([definition(attributes=[ATTRIBUTES[0]])], state)
    assert (change.action, change.risk) == ("approve-draft", "destructive")
    assert calls(change) == (("approve", None),)
    assert [(a.apiName, a.action) for a in change.attributeChanges] == [("replayUrl", "remove")]


def test_reasons_carry_a_stable_code_and_the_risk_they_bring() -> None:
    state = live(live_type("approved", version(triggerName="Old")))
    change = one([definition(attributes=[ATTRIBUTES[0]])], state)
    assert [(r.code, r.risk) for r in change.reasons] == [
        ("update-through-draft", "safe"),
        ("frozen-field-changed", "breaking"),
        ("destructive-not-allowed", "safe"),
    ]
    assert [r.text for r in change.destructive_reasons()] == [
        f"attribute replayUrl is removed; {DROPPED}"
    ]
