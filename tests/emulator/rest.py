"""Raw REST calls to a running emulator, for the emulator's own tests (no client of ours)."""

from __future__ import annotations

from typing import Any

import httpx

TYPE_BASE = "/rest/v1/activities/external/type"


class Api:
    """Raw calls to an emulator, token included; returns parsed JSON envelopes."""

    def __init__(self, running: Any) -> None:
        self.running = running
        self.http = httpx.Client(base_url=running.url, timeout=10)
        self.token = self.fetch_token()

    def fetch_token(self) -> str:
        reply = self.http.get("/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": self.running.config.client_id,
            "client_secret": self.running.config.client_secret})
        return str(reply.json()["access_token"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: str) -> dict[str, Any]:
        return self.http.get(path, params=params, headers=self.auth).json()  # type: ignore[no-any-return]

    def post(self, path: str, body: Any = None) -> dict[str, Any]:
        if body is None:
            return self.http.post(path, headers=self.auth).json()  # type: ignore[no-any-return]
        return self.http.post(path, json=body, headers=self.auth).json()  # type: ignore[no-any-return]

    # the endpoints, by number
    def list_types(self) -> dict[str, Any]:
        return self.get("/rest/v1/activities/external/types.json")

    def describe(self, api_name: str, draft: bool = False) -> dict[str, Any]:
        if draft:
            return self.get(f"{TYPE_BASE}/{api_name}/describe.json", draft="true")
        return self.get(f"{TYPE_BASE}/{api_name}/describe.json")

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}.json", body)

    def update(self, api_name: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}/{api_name}.json", body)

    def approve(self, api_name: str) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}/{api_name}/approve.json")

    def discard(self, api_name: str) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}/{api_name}/discardDraft.json")

    def delete(self, api_name: str) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}/{api_name}/delete.json")

    def attributes(self, api_name: str, action: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return self.post(f"{TYPE_BASE}/{api_name}/attributes/{action}.json", {"attributes": items})

    def activity_types(self) -> dict[str, Any]:
        return self.get("/rest/v1/activities/types.json")

    def add(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        return self.post("/rest/v1/activities/external.json", {"input": records})

    def close(self) -> None:
        self.http.close()


def conference_body(api_name: str = "attendConference", **overrides: Any) -> dict[str, Any]:
    """Adobe's example body for Create Custom Activity Type (attendConference), with overrides:
    the emulator tests check the example's own words (tests.support.bodies has the plain one)."""
    body: dict[str, Any] = {
        "apiName": api_name,
        "name": "Attend Conference",
        "description": "Attend the conference",
        "triggerName": f"Attends {api_name}",
        "filterName": f"Attended {api_name}",
        "primaryAttribute": {"apiName": "conferenceName", "name": "Conference Name",
                             "description": "Name of the conference"},
    }
    body.update(overrides)
    return body


def errors(reply: dict[str, Any]) -> list[tuple[str, str]]:
    """A failed envelope's errors as (code, message) pairs; asserts it did fail."""
    assert reply["success"] is False, reply
    return [(e["code"], e["message"]) for e in reply["errors"]]


def result(reply: dict[str, Any]) -> list[dict[str, Any]]:
    assert reply["success"] is True, reply
    return reply["result"]  # type: ignore[no-any-return]
