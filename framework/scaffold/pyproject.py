"""[tool.activities] written into pyproject.toml, everything else in the file kept as it was.

tomlkit round-trips TOML (comments, key order, whitespace, other tables), where tomllib only
reads and a plain writer would drop every comment of the user's file.
"""

from __future__ import annotations

from typing import Any

from framework.definitions.model import DEFAULT_MAX_TYPES
from framework.manual import page

EXAMPLE_ENVIRONMENT = (
    "[tool.activities.environments.sandbox]",
    'endpoint = "https://123-ABC-456.mktorest.com"',
    'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"',
    'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"',
)
# The comment above the example environment, for the CI system init wrote a pipeline for.
SECTION_COMMENTS: dict[str, tuple[str, ...]] = {
    "github": (
        "A Marketo instance for `-e sandbox` and the workflows in .github/workflows: uncomment, "
        "fill",
        "in, and add the read-only and write credentials as GitHub secrets:",
        page("getting-started.md"),
        *EXAMPLE_ENVIRONMENT,
    ),
    "gitlab": (
        "A Marketo instance for `-e sandbox` and the jobs in .gitlab-ci.yml: uncomment, fill in,",
        "run `activities init --ci gitlab --force` (it writes the environment's apply job), and",
        "add the read-only and write credentials as masked CI/CD variables:",
        page("ci.md#gitlab"),
        *EXAMPLE_ENVIRONMENT,
    ),
}


def has_settings(text: str) -> bool:
    """Whether the pyproject.toml TEXT already has a [tool.activities] table."""
    import tomlkit

    tool = tomlkit.parse(text).get("tool")
    return isinstance(tool, dict) and "activities" in tool


def with_settings(text: str | None, definitions: str, ci: str = "github") -> str:
    """TEXT (or a new file when None) with [tool.activities]; keys already set are kept."""
    import tomlkit

    doc = tomlkit.parse(text) if text is not None else tomlkit.document()
    tool: Any = doc.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        doc["tool"] = tool
    section: Any = tool.get("activities")
    if section is None:
        tool["activities"] = _new_section(definitions, ci)
    else:
        # --force over existing settings: add what is missing, change nothing the user set.
        for key, value in (("max_types", DEFAULT_MAX_TYPES), ("definitions", definitions)):
            if key not in section:
                section[key] = value
    return tomlkit.dumps(doc).lstrip("\n")


def _new_section(definitions: str, ci: str) -> Any:
    import tomlkit

    section = tomlkit.table()
    section.add(tomlkit.comment("Custom activity types the subscription allows (default 10)."))
    section.add("max_types", DEFAULT_MAX_TYPES)
    section.add(tomlkit.comment("The definitions folder: one YAML file per custom activity type."))
    section.add("definitions", definitions)
    section.add(tomlkit.nl())
    for line in SECTION_COMMENTS[ci]:
        section.add(tomlkit.comment(line))
    return section
