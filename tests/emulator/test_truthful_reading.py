"""The emulator tells the truth about reading records back, as a busy, late Marketo does:
pages walk 300 activities of every type, background activity, late records, values as text,
per-endpoint latency, repeated parameters, and strict values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.rest import Api, errors, result
from tests.emulator.test_reading import ACTIVITIES, TYPE_ID, installed, record, token


def _walk(api: Api, **params: str) -> tuple[list[int], int]:
    """(lead ids of every item, pages) of a whole walk from the start."""
    seen: list[int] = []
    position, pages = token(api), 0
    while True:
        reply = api.get(ACTIVITIES, nextPageToken=position, activityTypeIds=str(TYPE_ID),
                        **params)
        seen += [item["leadId"] for item in result(reply)]
        position, pages = reply["nextPageToken"], pages + 1
        if not reply["moreResult"]:
            return seen, pages


def test_a_page_walks_300_activities_of_all_types(api_factory: Any) -> None:
    live = installed(api_factory(background_activities=1000, leads=50))
    result(live.add([record(7, "after the background")]))
    seen, pages = _walk(live)
    # 1,001 activities: four pages of 300 walked, whatever the type asked for.
    assert (seen, pages) == ([7], 4)
    background = live.get(ACTIVITIES, nextPageToken=token(live), activityTypeIds="1,2")
    assert len(result(background)) == 150  # a quarter each of types 1, 2, 3 and 6 in 300


def test_background_activity_is_seeded_by_an_introspection_call(api_factory: Any) -> None:
    live = installed(api_factory(leads=50))
    reply = live.http.post("/_emulator/background", json={"count": 600})
    assert reply.json() == {"added": 600, "lastId": 600, "background": 600}
    result(live.add([record(7, "x")]))
    assert _walk(live) == ([7], 3)
    assert live.http.post("/_emulator/background", json={"count": -1}).status_code == 400


def test_a_record_is_readable_only_after_the_visibility_delay(api_factory: Any) -> None:
    now = [1_800_000_000.0]
    live = installed(api_factory(record_visibility_delay=30.0, wall=lambda: now[0]))
    result(live.add([record(7, "late")]))
    early = token(live)
    assert result(live.get(ACTIVITIES, nextPageToken=early, activityTypeIds=str(TYPE_ID))) == []
    now[0] += 31
    # The token taken early did not move past the late record.
    assert [i["leadId"] for i in result(live.get(ACTIVITIES, nextPageToken=early,
                                                 activityTypeIds=str(TYPE_ID)))] == [7]


def test_repeated_parameters_are_arrays_never_the_last_value(api_factory: Any) -> None:
    live = installed(api_factory())
    result(live.add([record(1, "a"), record(2, "b"), record(3, "c")]))
    reply = live.http.get(ACTIVITIES, headers=live.auth, params=[
        ("nextPageToken", token(live)), ("activityTypeIds", str(TYPE_ID)),
        ("leadIds", "1"), ("leadIds", "3")]).json()
    assert [item["leadId"] for item in result(reply)] == [1, 3]


@pytest.mark.parametrize("name", ["listId", "assetIds"])
def test_filters_the_emulator_cannot_apply_are_refused(api_factory: Any, name: str) -> None:
    live = installed(api_factory())
    reply = live.get(ACTIVITIES, nextPageToken=token(live), activityTypeIds=str(TYPE_ID),
                     **{name: "5"})
    assert errors(reply) == [("1003", f"Invalid data: {name} is not supported by the emulator "
                                      "(it keeps no lists or assets); filter by leadIds")]


@pytest.mark.parametrize(("when", "minutes", "strict_ok"), [
    ("2026-09-26", 1, False),  # a date alone is not a W3C datetime with an offset
    ("2026-09-26T06:56:35", 1, False),  # no offset
    ("2026-09-26T06:56:35Z", 2**31, False),  # over 32 bits
    ("2026-09-26T06:56:35Z", -(2**31), True),
])
def test_values_are_strict_by_default_and_lenient_on_request(
    api_factory: Any, when: str, minutes: int, strict_ok: bool
) -> None:
    for lenient in (False, True):
        live = installed(api_factory(strict_values=not lenient))
        given = {**record(7, "x", minutes=minutes), "activityDate": when}
        [answer] = result(live.add([given]))
        assert (answer["status"] == "added") == (lenient or strict_ok), (lenient, answer)


def test_an_infinite_number_is_refused(api_factory: Any) -> None:
    live = installed(api_factory())
    result(live.attributes("attendConference", "create", [
        {"apiName": "score", "name": "Score", "dataType": "float"}]))
    result(live.approve("attendConference"))
    body = ('{"input": [{"leadId": 7, "activityDate": "2026-09-26T06:56:35Z", '
            f'"activityTypeId": {TYPE_ID}, "primaryAttributeValue": "x", '
            '"attributes": [{"apiName": "score", "value": 1e400}]}]}')
    reply = live.http.post("/rest/v1/activities/external.json", content=body,
                           headers={**live.auth, "Content-Type": "application/json"}).json()
    assert result(reply)[0]["status"] == "skipped"


def test_the_same_attribute_twice_in_a_record_is_refused(api_factory: Any) -> None:
    live = installed(api_factory())
    twice = record(7, "x", minutes=1)
    twice["attributes"].append({"apiName": "minutes", "value": 2})
    [answer] = result(live.add([twice]))
    assert answer["status"] == "skipped"
    assert answer["reasons"] == [{"code": "1003", "message":
                                  "Invalid data: attribute 'minutes' is given twice"}]


def test_one_endpoint_can_be_slow_alone(api_factory: Any) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    live = installed(api_factory(sleep=sleep, endpoint_latency_ms=(
        ("GET /rest/v1/activities/pagingtoken.json", 120_000.0),)))
    slept.clear()
    position = token(live)
    live.get(ACTIVITIES, nextPageToken=position, activityTypeIds=str(TYPE_ID))
    assert slept == [120.0]


def test_an_unknown_endpoint_latency_is_refused_by_the_command(cli: Any) -> None:
    # Through the command line, as typed: click keeps a command's help option as the first
    # context that asked made it, so invoking the bare command object (where --help has no -h)
    # changed `-h, --help` in the reference pages generated later in the same process.
    result_ = cli("emulator", "--endpoint-latency", "nothing=5")
    assert result_.exit_code == 2
    assert "'nothing=5' is not ENDPOINT=MS with one known endpoint" in result_.output
