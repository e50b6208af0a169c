"""The policy's vocabulary: what differs (`Difference`), the rules that grade it (`RuleBook`),
and what a plan may not do (`Refusal`). Frozen values, shared by every kind of schema."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from framework.plan.model import Risk

# Where a type stands on the instance a change is graded for. `approved`: published at least
# once (records may exist, Smart Lists may use it); `draft`: never approved, nothing published;
# `absent`: not there at all.
Standing = Literal["absent", "draft", "approved"]


@dataclass(frozen=True, order=True)
class Difference:
    """One thing that differs between two versions of a schema object: a fact, no judgement.

    `rule` names the kind of difference: the key of the kind's rule book, and the rule id lint
    reports and a definition acknowledges."""

    rule: str
    subject: str  # the type's apiName
    member: str | None = None  # the attribute (field) the difference is in, if any
    field: str | None = None  # which property of the subject or member differs
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Rule:
    """How one kind of difference is graded, and what Marketo does about it, in words."""

    id: str
    summary: str  # one line: what happened and what Marketo then does (README, lint --format json)
    approved: Risk  # on a type approved on the instance
    draft: Risk = "safe"  # on a type never approved: nothing published, no records yet
    # Only the live instance shows it (a pending draft made outside the repository): lint,
    # which compares two definitions, never meets it.
    live_only: bool = False

    def risk(self, standing: Standing) -> Risk:
        """The grade where the type stands: nothing is at stake on an instance without it."""
        if standing == "approved":
            return self.approved
        return self.draft if standing == "draft" else "safe"


@dataclass(frozen=True)
class RuleBook:
    """One kind's rules, by id: data, so that lint, plan, README and tests read the same table."""

    kind: str  # "custom activity type", ...
    rules: Mapping[str, Rule]

    def __getitem__(self, rule: str) -> Rule:
        return self.rules[rule]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())


@dataclass(frozen=True)
class Refusal:
    """Why a plan may not be applied as it is: a stable code, the file, words and the fix."""

    code: str  # "protected", "attribute-limit", "type-limit", "name-clash", ...
    file: str  # the definition file(s) concerned, as shown
    text: str  # what is wrong, one line
    fix: str  # what to do, one line

    def lines(self) -> str:
        """The refusal as the plan and apply print it: the problem, then `  fix: ...`."""
        return f"{self.text}\n  fix: {self.fix}"
