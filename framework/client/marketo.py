"""The Marketo client: one async object per instance, safe to share between concurrent tasks.

    async with MarketoClient(endpoint, client_id, client_secret, pacing=Pacing(50, 20.0, 5)) as c:
        types = await c.list_types()

Policy lives here and in its helpers (auth, pacing, retry, calls); I/O is the httpx transport,
which tests replace. Every method returns Marketo's `result` (list methods) or its first item
(type methods) and raises framework.errors.MarketoError subclasses.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx

from framework.client import operations as ops
from framework.client.auth import DEFAULT_CREDENTIALS, TokenProvider
from framework.client.calls import Call, CallRunner
from framework.client.endpoint import check_endpoint
from framework.client.envelope import Envelope
from framework.client.pacing import Limiter, Pacing, limiter_for
from framework.client.redact import install_log_redaction
from framework.client.retry import RetryPolicy
from framework.client.stats import ClientStats
from framework.errors import MarketoError, ReadOnlyError

__all__ = ["ClientStats", "MarketoClient", "Pacing"]


class MarketoClient:
    """Calls the custom activity type endpoints of one Marketo instance."""

    def __init__(
        self,
        endpoint: str,
        client_id: str,
        client_secret: str,
        *,
        pacing: Pacing = Pacing(),  # noqa: B008 - frozen, so one shared default is safe
        retry_budget_seconds: float = 120.0,
        timeout_seconds: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        seed: int | None = None,
        read_only: bool = False,
        credentials: str = DEFAULT_CREDENTIALS,
    ) -> None:
        self.endpoint = check_endpoint(endpoint)
        # Read-only (drift): every call that would change the instance raises ReadOnlyError
        # before anything is sent.
        self.read_only = read_only
        self.pacing = pacing
        self.stats = ClientStats()
        self._clock = clock
        self._sleep = sleep
        install_log_redaction()
        self._http = httpx.AsyncClient(
            base_url=self.endpoint,
            transport=transport,
            timeout=timeout_seconds,
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )
        policy = RetryPolicy(retry_budget_seconds, pacing.window_seconds, clock, seed)
        self._auth = TokenProvider(
            self._http, client_id, client_secret,
            clock=clock, policy=policy, stats=self.stats, sleep=sleep, credentials=credentials,
        )
        self._runner = CallRunner(
            self._http, self._auth, self._limiter, policy, self.stats,
            timeout_seconds=timeout_seconds, clock=clock, sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"MarketoClient(endpoint={self.endpoint!r}, pacing={self.pacing!r})"

    async def __aenter__(self) -> MarketoClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections (the client cannot be used afterwards)."""
        await self._http.aclose()

    def _limiter(self) -> Limiter:
        # Looked up per call: the limiter belongs to the running event loop.
        return limiter_for(self.endpoint, self.pacing, self._clock, self._sleep)

    async def _items(self, call: Call) -> list[dict[str, Any]]:
        return await self._run(call)

    async def _first(self, call: Call) -> dict[str, Any]:
        items = await self._run(call)
        if not items:
            raise MarketoError(
                f"Marketo answered success with an empty result{call.where}",
                endpoint=call.op.endpoint,
            )
        return items[0]

    async def _run(self, call: Call) -> list[dict[str, Any]]:
        if self.read_only and call.op.mutating:
            raise ReadOnlyError(call.op.endpoint)
        return await self._runner.run(call)

    # The twelve endpoints, in the order of Adobe's Activities guide.

    async def list_types(self) -> list[dict[str, Any]]:
        """Every custom activity type, draft-only ones included (endpoint 1)."""
        return await self._items(Call(ops.LIST_TYPES))

    async def describe_type(self, api_name: str, draft: bool = False) -> dict[str, Any]:
        """The approved version of a type, or its draft with `draft=True` (endpoint 2)."""
        params = {"draft": "true"} if draft else None
        return await self._first(Call(ops.DESCRIBE_TYPE, api_name, params))

    async def create_type(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a type as a draft (endpoint 3)."""
        return await self._first(Call(ops.CREATE_TYPE, _api_name(body), body=body))

    async def update_type(self, api_name: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change a type's draft: name, description, trigger/filter names, primary (endpoint 4)."""
        return await self._first(Call(ops.UPDATE_TYPE, api_name, body=body))

    async def approve_type(self, api_name: str) -> dict[str, Any]:
        """Make the draft the live version (endpoint 5)."""
        return await self._first(Call(ops.APPROVE_TYPE, api_name))

    async def discard_draft(self, api_name: str) -> dict[str, Any]:
        """Throw the draft away (endpoint 6)."""
        return await self._first(Call(ops.DISCARD_DRAFT, api_name))

    async def delete_type(self, api_name: str) -> dict[str, Any]:
        """Delete a type that no trigger or filter uses (endpoint 7)."""
        return await self._first(Call(ops.DELETE_TYPE, api_name))

    async def create_attributes(
        self, api_name: str, attributes: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Add secondary attributes to the type's draft (endpoint 8)."""
        body = {"attributes": attributes}
        return await self._first(Call(ops.CREATE_ATTRIBUTES, api_name, body=body))

    async def update_attributes(
        self, api_name: str, attributes: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Change attributes of the type's draft, keyed by attribute apiName (endpoint 9)."""
        body = {"attributes": attributes}
        return await self._first(Call(ops.UPDATE_ATTRIBUTES, api_name, body=body))

    async def delete_attributes(
        self, api_name: str, attribute_api_names: list[str]
    ) -> dict[str, Any]:
        """Remove attributes from the type's draft (endpoint 10)."""
        body = {"attributes": [{"apiName": name} for name in attribute_api_names]}
        return await self._first(Call(ops.DELETE_ATTRIBUTES, api_name, body=body))

    async def list_activity_types(self) -> list[dict[str, Any]]:
        """Every activity type, standard and custom (endpoint 11)."""
        return await self._items(Call(ops.LIST_ACTIVITY_TYPES))

    async def add_activities(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add activity records in batches of 300; one result per record, in order (endpoint 12)."""
        results: list[dict[str, Any]] = []
        for start in range(0, len(records), ops.MAX_RECORDS_PER_CALL):
            batch = records[start : start + ops.MAX_RECORDS_PER_CALL]
            try:
                results.extend(await self._items(Call(ops.ADD_ACTIVITIES, body={"input": batch})))
            except MarketoError as exc:
                if not start:
                    raise
                # Records are write-once: sending the earlier batches again would duplicate them.
                raise _with_note(exc, f"records 1-{start} of {len(records)} were already "
                                      "added; send only the rest again") from exc
        return results


    async def add_record_batch(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One call of at most 300 records (endpoint 12). A 502 or 713, which may hide a
        success, is raised with `may_have_happened` instead of being retried."""
        if len(records) > ops.MAX_RECORDS_PER_CALL:
            raise ValueError(f"at most {ops.MAX_RECORDS_PER_CALL} records a call")
        return await self._run(Call(ops.ADD_RECORD_BATCH, body={"input": records}))

    async def paging_token(self, since: str) -> str:
        """A token for reading activities from `since` (ISO 8601) on (Get Paging Token)."""
        envelope = await self._envelope(Call(ops.PAGING_TOKEN, params={"sinceDatetime": since}))
        if envelope.next_page_token is None:
            raise MarketoError("Marketo answered Get Paging Token without a nextPageToken",
                               endpoint=ops.PAGING_TOKEN.endpoint)
        return envelope.next_page_token

    async def lead_activities(
        self, token: str, type_ids: list[int], lead_ids: list[int] | None = None,
        batch_size: int | None = None,
    ) -> tuple[list[dict[str, Any]], str, bool]:
        """One page of Get Lead Activities: (items, the next token, whether more may follow)."""
        params = {"nextPageToken": token, "activityTypeIds": ",".join(map(str, type_ids))}
        if lead_ids:
            params["leadIds"] = ",".join(map(str, lead_ids))
        if batch_size is not None:
            params["batchSize"] = str(batch_size)
        envelope = await self._envelope(Call(ops.LEAD_ACTIVITIES, params=params))
        return envelope.result, envelope.next_page_token or token, envelope.more_result

    # Custom object types (Adobe's Custom Objects guide, "Custom Object Types").

    async def list_object_types(self, names: list[str] | None = None) -> list[dict[str, Any]]:
        """Every custom object type, each in its approved version or else its draft."""
        params = {"names": ",".join(names)} if names else None
        return await self._items(Call(ops.LIST_OBJECT_TYPES, params=params))

    async def describe_object_type(self, api_name: str, state: str) -> dict[str, Any]:
        """One version of a type: `state` is `approved` or `draft`."""
        return await self._first(Call(ops.DESCRIBE_OBJECT_TYPE, api_name, {"state": state}))

    async def sync_object_type(self, body: dict[str, Any]) -> None:
        """Create (`createOnly`) or change (`updateOnly`) a type's draft; answers nothing."""
        await self._items(Call(ops.SYNC_OBJECT_TYPE, _api_name(body), body=body))

    async def approve_object_type(self, api_name: str) -> None:
        """Make the draft the approved version."""
        await self._items(Call(ops.APPROVE_OBJECT_TYPE, api_name))

    async def discard_object_draft(self, api_name: str) -> None:
        """Throw the draft away; the approved version stays."""
        await self._items(Call(ops.DISCARD_OBJECT_DRAFT, api_name))

    async def delete_object_type(self, api_name: str) -> None:
        """Delete a type no asset uses, with its records."""
        await self._items(Call(ops.DELETE_OBJECT_TYPE, api_name))

    async def add_object_fields(self, api_name: str, fields: list[dict[str, Any]]) -> None:
        """Add fields to the type's draft, in one call."""
        await self._items(Call(ops.ADD_OBJECT_FIELDS, api_name, body={"input": fields}))

    async def update_object_field(
        self, api_name: str, field: str, body: dict[str, Any]
    ) -> None:
        """Change one field of the type's draft (a flat body)."""
        await self._items(Call(ops.UPDATE_OBJECT_FIELD, api_name, body=body, field=field))

    async def delete_object_fields(self, api_name: str, names: list[str]) -> None:
        """Remove fields from the type's draft."""
        body = {"input": [{"name": name} for name in names]}
        await self._items(Call(ops.DELETE_OBJECT_FIELDS, api_name, body=body))

    async def object_dependent_assets(self, api_name: str) -> list[dict[str, Any]]:
        """The smart campaigns, lists and other assets that use a type."""
        return await self._items(Call(ops.OBJECT_DEPENDENT_ASSETS, api_name))

    async def _envelope(self, call: Call) -> Envelope:
        return await self._runner.run_envelope(call)


def _with_note(exc: MarketoError, note: str) -> MarketoError:
    """The same error, of the same class, with `note` added to its message."""
    return type(exc)(
        f"{exc.marketo_message}; {note}",
        code=exc.code,
        endpoint=exc.endpoint,
        request_id=exc.request_id,
        may_have_happened=exc.may_have_happened,
    )


def _api_name(body: dict[str, Any]) -> str | None:
    name = body.get("apiName")
    return name if isinstance(name, str) else None
