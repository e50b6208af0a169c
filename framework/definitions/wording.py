"""What the messages of one kind of definition call things: its keys, examples and fixes.

framework.definitions.messages translates pydantic's errors with the wording of the file's
kind, so that a custom object's missing `displayName` is fixed with a custom object example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from framework.validators import field_names


@dataclass(frozen=True)
class Wording:
    """The words of one kind."""

    # The kind's model (a name in framework.validators.MODELS), and the name of the model of
    # the mapping at a location (() is the top of the file): names, so that messages are worded
    # without building the models.
    model: str
    model_at: Callable[[tuple[int | str, ...]], str]
    top_examples: Mapping[str, str]
    item_examples: Mapping[str, str]
    block_fixes: Mapping[str, str]
    # Whether the text at a location is a display name with Marketo's character rule.
    is_display_name: Callable[[tuple[int | str, ...]], bool]
    # The keys whose value is an API name, and the rule those names follow.
    api_name_keys: frozenset[str]
    api_name_rule: str
    guide: str  # Adobe's page that states the rules, cited in messages
    item: str  # "an attribute", "a field"
    mapping_fix: str
    list_fix: str

    def allowed_keys(self, parent: tuple[int | str, ...]) -> list[str]:
        return field_names(self.model, self.model_at(parent))
