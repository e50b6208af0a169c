"""The words of a plan that every kind of change shares: actions, risks and reasons."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Action = Literal["create", "update", "replace", "delete", "approve-draft", "discard-draft", "no-op"]
Risk = Literal["safe", "breaking", "destructive"]
AttributeAction = Literal["add", "update", "remove", "rename", "replace"]

class Reason(BaseModel):
    """Why a change is planned: a stable `code` for machines, words for people, and the risk
    this reason carries (the change's risk is the worst of its reasons')."""

    model_config = ConfigDict(frozen=True)

    code: str
    text: str
    risk: Risk = "safe"
