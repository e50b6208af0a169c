"""Project settings from `[tool.activities]` in pyproject.toml, found from the working directory up.

[tool.activities]
max_types = 10                       # custom activity types the subscription allows
max_custom_objects = 10              # custom object types the subscription allows
definitions = "activities"           # the definitions folder
plan_expiry_days = 10                # a saved plan may be applied for this long after it is made

[tool.activities.environments.production]
endpoint = "https://123-ABC-456.mktorest.com"
client_id_env = "MARKETO_PROD_CLIENT_ID"
client_secret_env = "MARKETO_PROD_CLIENT_SECRET"
calls_per_20s = 50                   # this tool's share of the instance's 100 calls per 20 s
max_concurrent = 5                   # and of its 10 concurrent calls

[[tool.activities.drift_ignore]]     # known drift that `activities drift` counts but ignores
type = "attendWebinar"
field = "description"                # omitted: every finding of the type
reason = "marketing edits descriptions in the UI"
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from framework.definitions.vocabulary import DEFAULT_MAX_TYPES
from framework.kinds.custom_object.vocabulary import DEFAULT_MAX_OBJECT_TYPES
from framework.pyproject import read_section, settings_error

# What one integration should take of an instance others share, by Adobe's best practices
# (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/rest-api: "limit
# each third-party integration to 50 calls per 20 seconds or fewer", "five or fewer concurrent
# requests"): the default of named environments and of --endpoint.
SHARED_CALLS_PER_20S = 50
SHARED_MAX_CONCURRENT = 5


class EnvironmentSettings(BaseModel):
    """A named Marketo instance and this tool's share of its limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    endpoint: str
    client_id_env: str = "MARKETO_CLIENT_ID"
    client_secret_env: str = "MARKETO_CLIENT_SECRET"
    # Adobe's advice for each integration sharing an instance (below). Claim more, up to the
    # instance's 100 and 10, only when the instance's admin agrees nothing else needs it.
    calls_per_20s: int = Field(default=SHARED_CALLS_PER_20S, ge=1, le=100)
    max_concurrent: int = Field(default=SHARED_MAX_CONCURRENT, ge=1, le=10)


class DriftIgnore(BaseModel):
    """Drift known and accepted: findings of `type` (`*`: any) at `field` (or under it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    field: str | None = None  # None: every finding of the type
    reason: str = ""

    def matches(self, api_name: str, field: str) -> bool:
        if self.type not in ("*", api_name):
            return False
        return self.field is None or field == self.field or field.startswith(self.field + ".")


class Settings(BaseModel):
    """Everything `[tool.activities]` can set, with Marketo's defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: Path = Path(".")
    max_types: int = Field(default=DEFAULT_MAX_TYPES, ge=1)
    max_custom_objects: int = Field(default=DEFAULT_MAX_OBJECT_TYPES, ge=1)
    definitions: str = "activities"
    environments: dict[str, EnvironmentSettings] = Field(default_factory=dict)
    drift_ignore: tuple[DriftIgnore, ...] = ()
    # How long a saved plan may be applied after it was made (framework/apply/guard.py).
    plan_expiry_days: int = Field(default=10, ge=1, le=365)

    @property
    def definitions_dir(self) -> Path:
        return self.root / self.definitions

    @property
    def state_dir(self) -> Path:
        """Where the embedded `local` instance keeps its (git-ignored) state."""
        return self.root / ".activities"


def load_settings(start: Path | None = None) -> Settings:
    """Read `[tool.activities]` from the nearest pyproject.toml; defaults when there is none."""
    section = read_section(start)
    try:
        return Settings(root=section.root, **section.values)
    except ValidationError as exc:
        raise settings_error(section, exc) from exc
