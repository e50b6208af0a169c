"""The REST endpoints, reading records back, and daily usage: what each one does.

Custom object types' endpoints are listed in `framework.emulator.custom_objects.endpoints`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from framework.emulator import attributes
from framework.emulator.custom_objects.endpoints import ENDPOINTS as OBJECT_ENDPOINTS
from framework.emulator.identity import SCOPE
from framework.emulator.instance import Instance
from framework.emulator.reading import Answer, lead_activities, paging_token
from framework.emulator.records import add_activities
from framework.emulator.refusal import invalid
from framework.emulator.standard import all_activity_types

TYPES = "/rest/v1/activities/external"
TYPE = TYPES + "/type/{apiName}"


@dataclass(frozen=True)
class Context:
    """What an endpoint may read or change: the instance's data and its day's usage."""

    instance: Instance
    usage: Callable[[], tuple[str, int]]


# (context, path apiName, query, parsed JSON body) -> the `result` list, or an Answer when the
# envelope carries more (paging tokens)
Action = Callable[[Context, str, dict[str, str], Any], list[dict[str, Any]] | Answer]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    action: Action
    mutating: bool = False
    json_body: bool = False  # the body is parsed as JSON (612 and 609 apply)

    @property
    def key(self) -> str:
        """How stats name the endpoint: method and path template."""
        return f"{self.method} {self.template}"

    @property
    def pattern(self) -> re.Pattern[str]:
        escaped = re.escape(self.template)
        for parameter in ("{apiName}", "{fieldApiName}"):
            escaped = escaped.replace(re.escape(parameter), "([^/]+)")
        return re.compile(escaped)


def _draft_flag(query: dict[str, str]) -> bool:
    value = query.get("draft", "false").lower()
    if value not in ("true", "false"):
        raise invalid(f"Invalid value for draft '{query['draft']}': expected true or false")
    return value == "true"


def _usage(context: Context) -> list[dict[str, Any]]:
    """GET /rest/v1/stats/usage.json: the day's calls, shaped as SPEC's UsageData."""
    day, calls = context.usage()
    return [{"date": f"{day}T00:00:00-06:00", "total": calls,
             "users": [{"userId": SCOPE, "count": calls}]}]


ROUTES: tuple[Route, ...] = (
    Route("GET", TYPES + "/types.json", lambda c, n, q, b: c.instance.catalog.list_types()),
    Route("GET", TYPE + "/describe.json",
          lambda c, n, q, b: [c.instance.catalog.describe(n, _draft_flag(q))]),
    Route("POST", TYPES + "/type.json", lambda c, n, q, b: [c.instance.catalog.create(b)],
          mutating=True, json_body=True),
    Route("POST", TYPE + ".json", lambda c, n, q, b: [c.instance.catalog.update(n, b)],
          mutating=True, json_body=True),
    Route("POST", TYPE + "/approve.json", lambda c, n, q, b: [c.instance.catalog.approve(n)],
          mutating=True),
    Route("POST", TYPE + "/discardDraft.json",
          lambda c, n, q, b: [c.instance.catalog.discard_draft(n)],
          mutating=True),
    Route("POST", TYPE + "/delete.json", lambda c, n, q, b: [c.instance.catalog.delete(n)],
          mutating=True),
    Route("POST", TYPE + "/attributes/create.json",
          lambda c, n, q, b: [attributes.create_attributes(c.instance.catalog, n, b)],
          mutating=True, json_body=True),
    Route("POST", TYPE + "/attributes/update.json",
          lambda c, n, q, b: [attributes.update_attributes(c.instance.catalog, n, b)],
          mutating=True, json_body=True),
    Route("POST", TYPE + "/attributes/delete.json",
          lambda c, n, q, b: [attributes.delete_attributes(c.instance.catalog, n, b)],
          mutating=True, json_body=True),
    Route("GET", "/rest/v1/activities/types.json",
          lambda c, n, q, b: all_activity_types(c.instance.catalog)),
    Route("POST", TYPES + ".json",
          lambda c, n, q, b: add_activities(c.instance.catalog, c.instance.records,
                                            c.instance.leads, b),
          mutating=True, json_body=True),
    Route("GET", "/rest/v1/stats/usage.json", lambda c, n, q, b: _usage(c)),
    Route("GET", "/rest/v1/activities/pagingtoken.json",
          lambda c, n, q, b: paging_token(c.instance, q)),
    Route("GET", "/rest/v1/activities.json",
          lambda c, n, q, b: lead_activities(c.instance, q)),
    *(Route(*endpoint) for endpoint in OBJECT_ENDPOINTS),
)
COMPILED = tuple((route, route.pattern) for route in ROUTES)


def match(method: str, path: str) -> tuple[Route | None, str, list[str]]:
    """(route, path parameters) for a known method and path; (None, "", allowed methods)
    otherwise. Two path parameters (updateField's apiName and fieldApiName) come joined by "/"."""
    allowed: list[str] = []
    for route, pattern in COMPILED:
        found = pattern.fullmatch(path)
        if found is None:
            continue
        if route.method == method:
            return route, "/".join(found.groups()), []
        allowed.append(route.method)
    return None, "", allowed
