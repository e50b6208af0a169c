"""The order plan computes: waves for trigger/filter name hand-overs, deletes before creates."""

from __future__ import annotations

import pytest

from framework.errors import RefusedError
from framework.live import LiveAttribute, LiveState, LiveType, TypeVersion
from framework.plan.model import Action, TypeChange
from framework.plan.ops import (
    ApproveOp,
    CreateAttributesOp,
    CreateTypeOp,
    DeleteTypeOp,
    DiscardDraftOp,
    Step,
    UpdateTypeOp,
)
from framework.plan.order import plan_order, split_phases

PRIMARY = LiveAttribute(apiName="title", name="Title")


def version(api_name: str, trigger: str, filter_name: str) -> TypeVersion:
    return TypeVersion(
        apiName=api_name,
        name=api_name,
        triggerName=trigger,
        filterName=filter_name,
        primaryAttribute=PRIMARY,
    )


def change(
    api_name: str, action: Action, before: TypeVersion | None, after: TypeVersion | None
) -> TypeChange:
    steps: list[Step] = []
    if action in ("replace", "delete"):
        steps.append(DeleteTypeOp(apiName=api_name))
    if action in ("create", "replace"):
        assert after is not None
        steps.append(create(after))
    if action == "update":
        steps.append(UpdateTypeOp(apiName=api_name, name="changed"))
    if after is not None:
        steps.append(ApproveOp(apiName=api_name))
    return TypeChange(
        apiName=api_name,
        file=f"activities/{api_name}.yaml",
        action=action,
        risk="safe",
        reasons=(),
        before=before,
        after=after,
        steps=tuple(steps),
    )


def create(after: TypeVersion) -> CreateTypeOp:
    return CreateTypeOp(
        apiName=after.apiName,
        name=after.name,
        triggerName=after.triggerName,
        filterName=after.filterName,
        primaryAttribute=after.primaryAttribute,
    )


def live_of(changes: list[TypeChange], drafts: dict[str, TypeVersion] | None = None) -> LiveState:
    """The live state the changes were planned from: `before` approved, with pending drafts."""
    drafts = drafts or {}
    types = {
        c.apiName: LiveType(
            apiName=c.apiName,
            status="approved with draft" if c.apiName in drafts else "approved",
            approved=c.before,
            draft=drafts.get(c.apiName),
        )
        for c in changes
        if c.before is not None
    }
    return LiveState(types=types)


def layout(
    changes: list[TypeChange], drafts: dict[str, TypeVersion] | None = None
) -> list[dict[str, list[str]]]:
    return [
        {name: list(wave.after.get(name, ())) for name in wave.types}
        for wave in plan_order(changes, live_of(changes, drafts))
    ]


def test_independent_types_run_in_one_wave() -> None:
    changes = [
        change("alpha", "create", None, version("alpha", "Does Alpha", "Did Alpha")),
        change(
            "beta",
            "update",
            version("beta", "Does Beta", "Did Beta"),
            version("beta", "Does B", "Did B"),
        ),
    ]
    assert layout(changes) == [{"alpha": [], "beta": []}]


def test_a_name_given_up_by_an_update_is_claimed_after_its_approve() -> None:
    changes = [
        change(
            "alpha",
            "update",
            version("alpha", "Does Alpha", "Did Alpha"),
            version("alpha", "Does A", "Did Alpha"),
        ),
        change("beta", "create", None, version("beta", "Does Alpha", "Did Beta")),
    ]
    assert layout(changes) == [{"alpha": []}, {"beta": []}]


def test_a_name_given_up_by_a_delete_is_claimed_after_the_delete_in_the_same_wave() -> None:
    changes = [
        change("alpha", "delete", version("alpha", "Does Alpha", "Did Alpha"), None),
        change(
            "beta",
            "update",
            version("beta", "Does Beta", "Did Beta"),
            version("beta", "Does Alpha", "Did Beta"),
        ),
    ]
    assert layout(changes) == [{"alpha": [], "beta": ["alpha"]}]


def test_new_types_wait_for_the_deletes_that_free_their_slots() -> None:
    changes = [
        change("alpha", "delete", version("alpha", "Does Alpha", "Did Alpha"), None),
        change("beta", "create", None, version("beta", "Does Beta", "Did Beta")),
        change("gamma", "create", None, version("gamma", "Does Gamma", "Did Gamma")),
    ]
    assert layout(changes) == [{"alpha": [], "beta": ["alpha"], "gamma": ["alpha"]}]


def test_a_replace_waits_for_the_approve_of_the_type_it_takes_a_name_from() -> None:
    changes = [
        change(
            "alpha",
            "update",
            version("alpha", "Does Alpha", "Did Alpha"),
            version("alpha", "Does A", "Did A"),
        ),
        change(
            "beta",
            "replace",
            version("beta", "Does Beta", "Did Beta"),
            version("beta", "Does Alpha", "Did Beta"),
        ),
        change(
            "gamma",
            "update",
            version("gamma", "Does Gamma", "Did Gamma"),
            version("gamma", "Does Beta", "Did Gamma"),
        ),
    ]
    # gamma takes beta's name, which beta's delete frees: same wave as beta, after its staging.
    assert layout(changes) == [{"alpha": []}, {"beta": [], "gamma": ["beta"]}]


def test_a_swap_of_names_is_refused() -> None:
    changes = [
        change(
            "alpha",
            "update",
            version("alpha", "Does Alpha", "Did Alpha"),
            version("alpha", "Does Beta", "Did Alpha"),
        ),
        change(
            "beta",
            "update",
            version("beta", "Does Beta", "Did Beta"),
            version("beta", "Does Alpha", "Did Beta"),
        ),
    ]
    with pytest.raises(RefusedError) as refused:
        layout(changes)
    assert str(refused.value) == (
        "plan refused: activities/alpha.yaml and activities/beta.yaml swap trigger or filter "
        "names ('Did Alpha', 'Did Beta', 'Does Alpha', 'Does Beta') with each other; Marketo "
        "keeps these names unique across types at every call, so no order of calls can make "
        "this change in one plan; nothing was planned\n"
        "  fix: split it into two pull requests: first give alpha a temporary name (for "
        "example 'Does Beta (old)') and apply that, then set the final names in a second one"
    )


def test_phases_split_at_the_first_approve() -> None:
    steps: tuple[Step, ...] = (
        create(version("a", "A", "A")),
        CreateAttributesOp(apiName="a", attributes=(PRIMARY,)),
        ApproveOp(apiName="a"),
    )
    assert split_phases(steps) == 2
    assert split_phases(steps[2:]) == 0
    assert split_phases(steps[:2]) == 2


def test_a_draft_holding_a_name_is_discarded_before_another_type_takes_it() -> None:
    # Reproduction 4: a draft made in the UI holds the name the repository gives beta.
    alpha = version("alpha", "Does Alpha", "Did Alpha")
    discard = TypeChange(
        apiName="alpha", action="discard-draft", risk="safe", reasons=(), before=alpha,
        after=alpha, steps=(DiscardDraftOp(apiName="alpha"),),
    )
    changes = [
        discard,
        change("beta", "update", version("beta", "Does Beta", "Did Beta"),
               version("beta", "Does New", "Did Beta")),
    ]
    drafts = {"alpha": version("alpha", "Does New", "Did Alpha")}
    assert layout(changes, drafts) == [{"alpha": [], "beta": ["alpha"]}]


def test_a_draft_name_overwritten_by_an_update_is_free_after_its_staging() -> None:
    alpha = version("alpha", "Does Alpha", "Did Alpha")
    changes = [
        change("alpha", "update", alpha, version("alpha", "Does Alpha", "Did A")),
        change("beta", "create", None, version("beta", "Does New", "Did Beta")),
    ]
    drafts = {"alpha": version("alpha", "Does New", "Did Alpha")}
    assert layout(changes, drafts) == [{"alpha": [], "beta": ["alpha"]}]
