"""What a plan does to one custom object type: the change, its field changes, its steps.

The counterpart of framework.plan.model's TypeChange for the second kind: the same actions,
risks and reasons (framework.plan.reasons), with the custom object's versions and steps.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from framework.kinds.custom_object.live import FieldVersion, ObjectVersion
from framework.kinds.custom_object.ops import ObjectStep
from framework.plan.reasons import Action, Reason, Risk

FieldAction = Literal["add", "update", "remove", "rename", "replace"]


class FieldChange(BaseModel):
    """A change to one field of a custom object type."""

    model_config = ConfigDict(frozen=True)

    name: str
    action: FieldAction
    reason: Reason
    before: FieldVersion | None = None
    after: FieldVersion | None = None
    renamedFrom: str | None = None

    @property
    def risk(self) -> Risk:
        return self.reason.risk

    # The shared renderers name an attribute or a field the same way.
    @property
    def apiName(self) -> str:  # noqa: N802 - the renderers' name for it
        return self.name

    @property
    def primary(self) -> bool:
        return False


class ObjectChange(BaseModel):
    """What the plan does to one custom object type."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["customObject"] = "customObject"
    apiName: str
    action: Action
    risk: Risk
    reasons: tuple[Reason, ...]
    file: str | None = None
    protected: bool = False
    before: ObjectVersion | None = None  # the approved version (the draft if never approved)
    after: ObjectVersion | None = None  # the approved version once applied; None: a delete
    fieldChanges: tuple[FieldChange, ...] = ()
    steps: tuple[ObjectStep, ...] = ()
    liveStatus: str | None = None

    @property
    def attributeChanges(self) -> tuple[FieldChange, ...]:  # noqa: N802 - as TypeChange's
        """The field changes, under the name the shared renderers read."""
        return self.fieldChanges

    @property
    def pendingDraft(self) -> None:  # noqa: N802 - as TypeChange's
        """A stray draft's content is not shown for custom objects: its reasons say how it is
        handled."""
        return None

    @property
    def destructive(self) -> bool:
        return self.action != "no-op" and self.risk == "destructive"

    def destructive_reasons(self) -> list[Reason]:
        """What makes the change destructive, in words (empty when it is not)."""
        if not self.destructive:
            return []
        own = [r for r in self.reasons if r.risk == "destructive"]
        return own + [f.reason for f in self.fieldChanges if f.risk == "destructive"]
