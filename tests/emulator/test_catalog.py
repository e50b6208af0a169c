"""The catalog is pure domain: the lifecycle without HTTP, a fixed clock, literals in and out."""

from __future__ import annotations

import pytest

from framework.emulator.attributes import create_attributes
from framework.emulator.catalog import Catalog
from framework.emulator.refusal import Refusal

BODY = {"apiName": "buysCar", "name": "Buys Car", "triggerName": "Buys Car",
        "filterName": "Bought Car", "primaryAttribute": {"apiName": "model", "name": "Model"}}


def stamps() -> Catalog:
    ticks = iter(f"2026-01-01T00:00:{s:02d}Z" for s in range(60))
    return Catalog(max_types=10, now=lambda: next(ticks))


def test_versions_and_timestamps_follow_the_lifecycle() -> None:
    catalog = stamps()
    assert catalog.create(BODY) == {
        "id": 100001, "apiName": "buysCar", "name": "Buys Car", "triggerName": "Buys Car",
        "filterName": "Bought Car", "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z", "status": "draft",
        "primaryAttribute": {"apiName": "model", "name": "Model", "dataType": "string"}}
    create_attributes(catalog, "buysCar", {"attributes": [{"apiName": "price", "name": "Price",
                                                           "dataType": "currency"}]})
    approved = catalog.approve("buysCar")
    assert (approved["status"], approved["updatedAt"]) == ("approved", "2026-01-01T00:00:02Z")
    catalog.update("buysCar", {"description": "New"})
    found = catalog.get("buysCar")
    assert (found.status, found.approved and found.approved.description,
            found.draft and found.draft.description) == ("approved with draft", None, "New")
    assert catalog.describe("buysCar", draft=False)["status"] == "approved with draft"
    assert "description" not in catalog.describe("buysCar", draft=False)
    catalog.discard_draft("buysCar")
    assert catalog.get("buysCar").status == "approved"


def test_a_refusal_changes_nothing() -> None:
    catalog = stamps()
    catalog.create(BODY)
    before = catalog.to_json()
    with pytest.raises(Refusal) as caught:
        catalog.update("buysCar", {"name": "Bad/Name"})
    assert caught.value.code == "1003"
    assert catalog.to_json() == before


def test_the_catalog_round_trips_through_json() -> None:
    catalog = stamps()
    catalog.create(BODY)
    catalog.approve("buysCar")
    catalog.mark_in_use("buysCar")
    copy = stamps()
    copy.load_json(catalog.to_json())
    assert copy.to_json() == catalog.to_json()
    assert copy.next_id == 100002
