"""`activities emulator` as a subprocess: URL first, options applied, clean stop on signals."""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.rest import conference_body

TOKEN = "/identity/oauth/token"


def token(url: str, client_id: str = "local-client", secret: str = "local-secret") -> str:
    reply = httpx.get(f"{url}{TOKEN}", params={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    return str(reply.json()["access_token"])


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_it_prints_the_url_first_and_stops_cleanly_saving_state(
    emulator_process: Any, tmp_path: Path, stop_with: int
) -> None:
    state = tmp_path / "state.json"
    running = emulator_process("--state", str(state))
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", running.url)
    auth = {"Authorization": f"Bearer {token(running.url)}"}
    reply = httpx.post(f"{running.url}/rest/v1/activities/external/type.json",
                       json=conference_body(), headers=auth).json()
    assert reply["success"] is True
    code, out, err = running.stop(stop_with)
    assert (code, out) == (0, "")
    assert err == ("Serving the Marketo emulator; stop with Ctrl+C.\n"
                   f"Stopped; state saved to {state}.\n")
    saved = json.loads(state.read_text())
    assert [t["apiName"] for t in saved["instance"]["catalog"]["types"]] == ["attendConference"]


def test_options_reach_the_instance(emulator_process: Any) -> None:
    running = emulator_process(
        "--client-id", "cid", "--client-secret", "csecret", "--rate-limit", "3/60",
        "--max-types", "1", "--leads", "5", "--reject-query-token", "--token-ttl", "100")
    reply = httpx.get(f"{running.url}{TOKEN}", params={
        "grant_type": "client_credentials", "client_id": "cid", "client_secret": "csecret"}).json()
    assert reply["expires_in"] == 100
    auth = {"Authorization": f"Bearer {reply['access_token']}"}
    types = f"{running.url}/rest/v1/activities/external/types.json"
    assert httpx.get(types, params={"access_token": reply["access_token"]}).json()[
        "errors"][0]["code"] == "601"
    assert httpx.get(types, headers=auth).json()["success"] is True
    create = f"{running.url}/rest/v1/activities/external/type.json"
    assert httpx.post(create, json=conference_body("one"), headers=auth).json()["success"] is True
    assert httpx.post(create, json=conference_body("two"), headers=auth).json()["errors"][0][
        "code"] == "1027"
    assert httpx.get(types, headers=auth).json()["errors"][0]["code"] == "606"
    assert running.stop()[0] == 0


def test_secrets_never_appear_in_its_output(emulator_process: Any) -> None:
    running = emulator_process("--client-id", "cid-visible", "--client-secret", "s3cr3t-value")
    token(running.url, "cid-visible", "s3cr3t-value")
    code, out, err = running.stop()
    assert "s3cr3t-value" not in out + err + running.url


@pytest.mark.parametrize(("args", "message"), [
    (["--rate-limit", "100"], "'100' is not CALLS/SECONDS with both positive, e.g. 100/20"),
    (["--fault-rate", "2"], "2.0 is not in the range 0<=x<=1"),
])
def test_bad_options_are_refused(cli: Any, args: list[str], message: str) -> None:
    result = cli("emulator", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_busy_port_is_a_clear_error(cli: Any, emulator_process: Any) -> None:
    running = emulator_process()
    port = running.url.rsplit(":", 1)[1]
    result = cli("emulator", "--port", port)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the emulator cannot listen on 127.0.0.1:{port}: ")
    assert result.output.endswith("  fix: pass another --port, or stop what uses this one\n")
