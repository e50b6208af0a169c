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

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from framework.definitions.model import DEFAULT_MAX_TYPES
from framework.errors import ConfigError
from framework.kinds.custom_object.model import DEFAULT_MAX_OBJECT_TYPES

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


# The workflows read an environment's credentials from the GitHub secrets
# ACTIVITIES_<NAME>_READ_CLIENT_ID and the like, whose names allow only these characters.
# https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets
_SECRET_NAME_PART = re.compile(r"^[A-Za-z0-9_]+$")
# `-e local` is the embedded instance and `endpoint` what plans and locks call `--endpoint URL`.
BUILT_IN_NAMES = ("local", "endpoint")


def environment_name_problems(names: Sequence[str]) -> list[str]:
    """Why each of these environment names cannot be used (each with its fix), or nothing."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        table = f"[tool.activities.environments.{name}]"
        if name in BUILT_IN_NAMES:
            problems.append(
                f"{table}: {name!r} is a built-in name (`local` is the embedded instance, "
                "`endpoint` an ad-hoc --endpoint URL)\n  fix: give the environment another name"
            )
        elif not _SECRET_NAME_PART.match(name):
            fixed = re.sub(r"[^A-Za-z0-9_]", "_", name)
            problems.append(
                f"{table}: the environment name {name!r} cannot be part of a GitHub secret name "
                f"(ACTIVITIES_{name.upper()}_READ_CLIENT_ID, which the workflows read): secret "
                "names allow only letters, digits and _\n"
                f"  fix: rename the table to [tool.activities.environments.{fixed}]"
            )
        elif name.upper() in seen:
            problems.append(
                f"{table}: the environments {name!r} and {seen[name.upper()]!r} would read the "
                f"same GitHub secrets (ACTIVITIES_{name.upper()}_...: secret names are not "
                "case-sensitive)\n  fix: rename one of them"
            )
        seen.setdefault(name.upper(), name)
    return problems


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(start: Path | None = None) -> Settings:
    """Read `[tool.activities]` from the nearest pyproject.toml; defaults when there is none."""
    start = start or Path.cwd()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Settings(root=start.resolve())
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{pyproject}: cannot read [tool.activities]: {exc}\n"
            "  fix: correct the TOML at that position"
        ) from exc
    section = data.get("tool", {}).get("activities", {})
    names = section.get("environments", {}) if isinstance(section, dict) else {}
    refused = environment_name_problems(list(names) if isinstance(names, dict) else [])
    if refused:
        raise ConfigError("\n".join(f"{pyproject}: {problem}" for problem in refused))
    try:
        return Settings(root=pyproject.parent, **section)
    except ValidationError as exc:
        # Every problem at once, as validate does for definitions.
        problems = "\n".join(
            f"{pyproject}: [tool.activities] {'.'.join(str(p) for p in error['loc'])}: "
            f"{error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(
            f"{problems}\n  fix: see docs/environments.md and 'The type limit' in "
            "docs/definitions.md, for the keys and their types"
        ) from exc
