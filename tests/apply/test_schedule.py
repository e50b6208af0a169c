"""The order of types: waves for trigger/filter name hand-overs, deletes before creates."""

from __future__ import annotations

import pytest

from framework.apply.schedule import plan_waves, split_phases
from framework.errors import RefusedError
from framework.live import LiveAttribute, TypeVersion
from framework.plan.model import Action, TypeChange
from framework.plan.ops import (
    ApproveOp,
    CreateAttributesOp,
    CreateTypeOp,
    DeleteTypeOp,
    Step,
    UpdateTypeOp,
)

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


def layout(changes: list[TypeChange]) -> list[dict[str, list[str]]]:
    return [
        {c.apiName: sorted(wave.waits[c.apiName]) for c in wave.changes}
        for wave in plan_waves(changes)
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
        plan_waves(changes)
    assert str(refused.value) == (
        "types alpha, beta swap trigger or filter names with each other; Marketo keeps these "
        "names unique across types, so no order of calls can apply this plan\n"
        "  fix: rename one of them to a temporary name first, plan and apply that, then plan "
        "the final names"
    )


def test_phases_split_at_the_first_approve() -> None:
    steps: tuple[Step, ...] = (
        create(version("a", "A", "A")),
        CreateAttributesOp(apiName="a", attributes=(PRIMARY,)),
        ApproveOp(apiName="a"),
    )
    assert split_phases(steps) == (steps[:2], steps[2:])
    assert split_phases(steps[2:]) == ((), steps[2:])
