"""State survives a restart, is written atomically, and a bad file is a clear error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer
from framework.emulator.store import load_state, save_state
from framework.errors import ConfigError
from tests.emulator.rest import Api, conference_body, result

# 12:00 US Central on 2026-01-02: the test cannot straddle the quota day's midnight.
CENTRAL_NOON = 1767376800.0


def test_state_survives_a_restart(api_factory: Any, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = api_factory(state_file=state, wall=lambda: CENTRAL_NOON)
    result(first.create(conference_body()))
    result(first.approve("attendConference"))
    result(first.update("attendConference", {"name": "Renamed"}))
    result(first.add([{"leadId": 1, "activityDate": "2026-01-01T00:00:00Z",
                       "activityTypeId": 100001, "primaryAttributeValue": "x",
                       "attributes": []}]))
    first.running.mark_in_use("attendConference")
    before = result(first.describe("attendConference", draft=True))
    first.running.server.stop()
    second = api_factory(state_file=state, wall=lambda: CENTRAL_NOON)
    assert result(second.describe("attendConference", draft=True)) == before
    assert result(second.create(conference_body("other")))[0]["id"] == 100002
    assert second.delete("attendConference")["errors"][0]["code"] == "1022"
    [added] = result(second.add([{"leadId": 1, "activityDate": "2026-01-01T00:00:00Z",
                                  "activityTypeId": 100001, "primaryAttributeValue": "x",
                                  "attributes": []}]))
    assert added["id"] == 2
    [usage] = result(second.get("/rest/v1/stats/usage.json"))
    assert usage["total"] == 10  # the day's quota use survives the restart too


def test_every_mutation_is_saved_at_once(tmp_path: Path, api_factory: Any) -> None:
    state = tmp_path / "state.json"
    live = api_factory(state_file=state)
    result(live.create(conference_body()))
    saved = json.loads(state.read_text())
    assert [t["apiName"] for t in saved["instance"]["catalog"]["types"]] == ["attendConference"]


def test_a_crash_mid_write_leaves_the_old_state(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.json"
    save_state(path, {"instance": {"v": 1}})

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_state(path, {"instance": {"v": 2}})
    assert load_state(path) == {"format": 1, "instance": {"v": 1}}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_missing_file_is_an_empty_instance(tmp_path: Path) -> None:
    assert load_state(tmp_path / "nope.json") is None


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "emulator state {path} is not valid JSON (line 1): it was not written by this "
                  "emulator\n  fix: delete the file to start from an empty instance"),
    ('{"format": 99}', "emulator state {path} has an unknown format\n"
                       "  fix: delete the file to start from an empty instance"),
])
def test_a_bad_state_file_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        EmulatorServer(EmulatorConfig(state_file=path))
    assert str(caught.value) == message.format(path=path)


def test_reset_forgets_everything_and_saves(api_factory: Any, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    api = api_factory(state_file=state)
    result(api.create(conference_body()))
    api.running.reset()
    assert result(api.list_types()) == []
    assert json.loads(state.read_text())["instance"]["catalog"]["types"] == []
    stats = api.running.stats()
    assert (stats["total_calls"], stats["calls_by_endpoint"]) == (1, {
        "GET /rest/v1/activities/external/types.json": 1})


def test_in_use_of_an_unknown_type_is_404(api: Api) -> None:
    reply = httpx.post(f"{api.running.url}/_emulator/types/ghost/in-use")
    assert (reply.status_code, reply.json()) == (404, {"error": "no activity type 'ghost'"})


def test_config_repr_hides_credentials() -> None:
    text = repr(EmulatorConfig(client_id="id-123", client_secret="secret-456"))
    assert "id-123" not in text and "secret-456" not in text
