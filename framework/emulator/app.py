"""The request pipeline: introspection, identity, then each REST call through Marketo's checks.

Order for a REST call: route (610/605) → token (601/602) → concurrency (615) → window and day
(606/607) → latency → injected fault → body (612/609) → the endpoint. Every answer is an
envelope on HTTP 200 except 502 faults, identity's 401 and the HTTP-level 413/414.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from framework.emulator.config import EmulatorConfig
from framework.emulator.custom_objects.introspection import OBJECTS_PATH, introspect_objects
from framework.emulator.faults import Fault, FaultPlan
from framework.emulator.identity import Identity, OAuthError
from framework.emulator.instance import Instance
from framework.emulator.pacing import Pacer
from framework.emulator.reading import Answer
from framework.emulator.refusal import Refusal
from framework.emulator.routes import Context, Route, match
from framework.emulator.stats import UNKNOWN_ENDPOINT, Stats
from framework.emulator.store import load_state, save_state
from framework.emulator.wire import Query, Reply, Request, plain

TOKEN_PATH = "/identity/oauth/token"


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


class Emulator:
    """One emulated instance behind HTTP: state, limits, faults and the counters."""

    def __init__(
        self,
        config: EmulatorConfig,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.sleep = sleep  # the latency's; tests inject one that waits for an event instead
        self.instance = Instance(config.max_types, config.leads, iso_now, wall,
                                 config.strict_values, config.custom_objects)
        self.instance.visibility_delay = config.record_visibility_delay
        self.instance.string_values = config.string_values
        self.latency = dict(config.endpoint_latency_ms)
        self.identity = Identity(config.client_id, config.client_secret, config.token_ttl, clock)
        self.pacer = Pacer(config.rate_limit_calls, config.rate_limit_seconds,
                           config.max_concurrent, config.daily_quota, clock, wall)
        self.faults = FaultPlan(config.fault_rate, config.seed, config.fault_kinds)
        self.stats = Stats()
        self.context = Context(self.instance, self.pacer.usage)
        self.wall = wall
        self.sequence = 0
        if config.state_file is not None:
            self._load()
        if config.background_activities and not self.instance.background:
            self.instance.add_background(config.background_activities)

    # -- state ---------------------------------------------------------------------------

    def _load(self) -> None:
        assert self.config.state_file is not None
        data = load_state(self.config.state_file)
        if data is None:
            self.save()  # the new instance's lineage is its identity from its first start
            return
        had_lineage = self.instance.load_json(data["instance"])
        day, calls = data["usage"]
        if day == self.pacer.day:
            self.pacer.day_calls = int(calls)
        if not had_lineage:
            self.save()

    def save(self) -> None:
        """Persist the instance (and the day's quota use) when a state file is configured."""
        if self.config.state_file is not None:
            save_state(self.config.state_file,
                       {"instance": self.instance.to_json(), "usage": list(self.pacer.usage())})

    def reset(self) -> None:
        """Forget every type, record, counter and window; the fault sequence starts again."""
        self.instance.clear()
        self.pacer.reset()
        self.faults = FaultPlan(self.config.fault_rate, self.config.seed,
                                 self.config.fault_kinds)
        self.stats = Stats()
        self.save()

    # -- dispatch ------------------------------------------------------------------------

    async def handle(self, request: Request) -> Reply:
        """Answer one HTTP request; never raises for anything a client sends."""
        try:
            if request.path.startswith("/_emulator/"):
                return self._introspect(request)
            if request.path == TOKEN_PATH:
                return self._token(request)
            return await self._rest(request)
        except Exception as exc:  # noqa: BLE001 - a bug must not become a 500 or a hang
            return self._envelope_error(Refusal("611", f"System error: {type(exc).__name__}"))

    def _introspect(self, request: Request) -> Reply:
        if request.path == "/_emulator/stats" and request.method == "GET":
            body = self.stats.to_json()
            body["in_flight"] = self.pacer.in_flight
            body["types"] = len(self.instance.catalog.types)
            body["customObjectTypes"] = len(self.instance.objects.types)
            return Reply(200, dumps(body))
        if request.path == "/_emulator/reset" and request.method == "POST":
            self.reset()
            return Reply(200, dumps({"reset": True}))
        if request.path == "/_emulator/state" and request.method == "GET":
            return Reply(200, dumps(self.instance.to_json()))
        if request.path == "/_emulator/records" and request.method == "GET":
            return self._records(request.query.get("type", ""))
        if request.path.startswith(OBJECTS_PATH):
            status, answer = introspect_objects(self.instance.objects, request)
            if status == 200 and request.method == "POST":
                self.save()
            return Reply(status, dumps(answer))
        if request.path == "/_emulator/background" and request.method == "POST":
            return self._background(request)
        parts = request.path.split("/")
        if (request.method == "POST" and len(parts) == 5 and parts[2] == "types"
                and parts[4] == "in-use"):
            try:
                self.instance.catalog.mark_in_use(parts[3])
            except Refusal:
                return Reply(404, dumps({"error": f"no activity type {parts[3]!r}"}))
            self.save()
            return Reply(200, dumps({"apiName": parts[3], "inUse": True}))
        return Reply(404, dumps({"error": f"no introspection endpoint {request.method} "
                                          f"{request.path}"}))

    def _records(self, api_name: str) -> Reply:
        """Every stored record of one type, for tests and benchmarks to count."""
        found = self.instance.catalog.types.get(api_name)
        if found is None:
            return Reply(404, dumps({"error": f"no activity type {api_name!r}"}))
        keys = ("id", "leadId", "activityDate", "primaryAttributeValue", "attributes")
        records = [{key: stored[key] for key in keys} for stored in found.records]
        return Reply(200, dumps({"records": records}))

    def _background(self, request: Request) -> Reply:
        """Store activities of standard types on the leads now: `{"count": N}`."""
        try:
            count = json.loads(request.body or b"{}").get("count")
        except (ValueError, AttributeError):
            count = None
        if type(count) is not int or not 0 <= count <= 10_000_000:
            return Reply(400, dumps({"error": 'the body must be {"count": N}, N 0..10000000'}))
        last = self.instance.add_background(count)
        return Reply(200, dumps({"added": count, "lastId": last,
                                 "background": len(self.instance.background)}))

    def _token(self, request: Request) -> Reply:
        self.stats.token_calls += 1
        if request.method not in ("GET", "POST"):
            return Reply(405, dumps({"error": "invalid_request",
                                     "error_description": "use GET or POST"}))
        params = dict(request.query)
        if request.method == "POST" and request.body:
            params.update(parse_qsl(request.body.decode("latin-1"), keep_blank_values=True))
        try:
            return Reply(200, dumps(self.identity.issue(params)))
        except OAuthError as exc:
            return Reply(401, dumps(exc.body))

    # -- REST ----------------------------------------------------------------------------

    async def _rest(self, request: Request) -> Reply:
        request = _method_override(request)
        route, api_name, allowed = match(request.method, request.path)
        key = route.key if route else UNKNOWN_ENDPOINT
        self.stats.total_calls += 1
        self.stats.calls_by_endpoint[key] += 1
        self.stats.call_log.append(key)
        if route is not None and route.mutating:
            self.stats.mutating_calls += 1
        try:
            if route is None:
                if allowed:
                    raise Refusal("605", f"Request method '{request.method}' not supported")
                raise Refusal("610", "Requested resource not found")
            self.identity.check(self._token_of(request))
            return await self._paced(route, api_name, request)
        except Refusal as refusal:
            return self._envelope_error(refusal)

    def _token_of(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            return header[7:].strip()
        if self.config.reject_query_token:
            return None
        return request.query.get("access_token")

    async def _paced(self, route: Route, api_name: str, request: Request) -> Reply:
        try:
            self.pacer.enter()
        except Refusal:
            self.stats.concurrency_limited_calls += 1
            raise
        try:
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.pacer.in_flight)
            try:
                self.pacer.admit()
            except Refusal as refusal:
                if refusal.code == "606":
                    self.stats.rate_limited_calls += 1
                raise
            self.stats.quota_calls += 1
            latency = self.config.latency_ms + self.latency.get(route.key, 0.0)
            if latency > 0:
                await self.sleep(latency / 1000)
            fault = self.faults.draw()
            if fault is not None:
                self.stats.faults[fault.kind] += 1
            return self._execute(route, api_name, request, fault)
        finally:
            self.pacer.leave()

    def _execute(self, route: Route, api_name: str, request: Request, fault: Fault | None) -> Reply:
        if fault is not None and fault.kind == "drop":
            return Reply(0, silent=True)
        if fault is not None and fault.kind == "error":
            self.stats.errors_by_code[fault.code] += 1
            if fault.code == "502":
                return plain(502, "502 Bad Gateway")
            return self._envelope_error(Refusal(fault.code, fault.message), counted=True)
        if fault is not None:  # a lost response: the work is done, the answer never leaves
            try:
                self._run(route, api_name, request)
            except Refusal as refusal:
                self.stats.errors_by_code[refusal.code] += 1
            return Reply(0, silent=True)
        answer = self._run(route, api_name, request)
        if isinstance(answer, Answer):
            body = self._envelope(answer.result or [], [])
            if answer.result is None:  # SPEC's ResponseOfVoid has no `result`
                del body["result"]
            return Reply(200, dumps({**body, **answer.extra}))
        return Reply(200, dumps(self._envelope(answer, [])))

    def _run(
        self, route: Route, api_name: str, request: Request
    ) -> list[dict[str, Any]] | Answer:
        body = _parsed_body(route, request)
        result = route.action(self.context, api_name, request.query, body)
        if route.mutating:
            self.save()
        return result

    # -- envelopes -----------------------------------------------------------------------

    def _request_id(self) -> str:
        self.sequence += 1
        return f"{self.sequence & 0xFFFF:x}#{int(self.wall() * 1000):x}"

    def _envelope(
        self, result: list[dict[str, Any]], errors: list[dict[str, str]]
    ) -> dict[str, Any]:
        # SPEC marks all five keys required, so empty arrays are sent rather than left out.
        return {"requestId": self._request_id(), "success": not errors, "result": result,
                "errors": errors, "warnings": []}

    def _envelope_error(self, refusal: Refusal, counted: bool = False) -> Reply:
        if not counted:
            self.stats.errors_by_code[refusal.code] += 1
        body = self._envelope([], [{"code": refusal.code, "message": refusal.message}])
        return Reply(200, dumps(body))


def _method_override(request: Request) -> Request:
    """ERR: a long GET may be sent as a POST with `_method=GET` to avoid a 414.

    Marketo's own example appends `_method=GET` to the URI and sends the query as a form body;
    `_method=GET` inside the form body is accepted too.
    """
    if request.method != "POST":
        return request
    form: list[tuple[str, str]] = []
    if _content_type(request).startswith("application/x-www-form-urlencoded"):
        form = parse_qsl(request.body.decode("latin-1"), keep_blank_values=True)
    override = request.query.get("_method") or dict(form).get("_method", "")
    if override.upper() != "GET":
        return request
    query = request.query
    pairs = query.pairs if isinstance(query, Query) else tuple(query.items())
    kept = [(key, value) for key, value in (*pairs, *form) if key != "_method"]
    return Request("GET", request.path, Query(kept), request.headers, b"")


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _parsed_body(route: Route, request: Request) -> Any:
    # A GET's body means nothing to Marketo: it is ignored, whatever its Content-Type.
    if route.method == "GET" or not request.body.strip():
        return None
    if _content_type(request) != "application/json":
        raise Refusal("612", "Invalid Content Type")
    if not route.json_body:
        return None
    try:
        return json.loads(request.body, parse_constant=_not_json)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError and NaN/Infinity
        raise Refusal("609", f"Invalid JSON: {exc}") from exc
    except RecursionError as exc:
        # Too deeply nested for the parser: bad input (609), not a system error (611, which
        # clients may retry).
        raise Refusal("609", "Invalid JSON: nested too deeply") from exc


def _not_json(constant: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259); Python's parser would accept them."""
    raise ValueError(f"{constant} is not a JSON value")
