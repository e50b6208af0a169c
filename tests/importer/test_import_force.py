"""`import --force` edits the existing file: its comments and its attribute order survive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from framework.client.marketo import MarketoClient
from tests.importer.import_seeding import FAST, seed

MODELINE = "# yaml-language-server: $schema=.schema.json\n"
COMMENTED = (
    f"{MODELINE}"
    "# Owned by the web team.\n"
    "version: 2\n"
    "apiName: alpha\n"
    "name: Local Name  # shown in Smart Lists\n"
    "triggerName: Does alpha\n"
    "filterName: Did alpha\n"
    "primaryAttribute:\n"
    "  apiName: subject\n"
    "  name: Subject\n"
    "attributes:\n"
    "  # free text first, as the form shows it\n"
    "  - apiName: note\n"
    "    name: Note\n"
    "    dataType: text\n"
    "  - apiName: amount\n"
    "    name: Amount\n"
    "    description: In cents\n"
    "    dataType: integer\n"
    "protect: true\n"
    "acknowledge: []\n"
)


async def _add_attribute(emulator: Any) -> None:
    config = emulator.config
    async with MarketoClient(emulator.url, config.client_id, config.client_secret,
                             pacing=FAST) as client:
        await client.create_attributes(
            "alpha", [{"apiName": "channel", "name": "Channel", "dataType": "string"}])
        await client.approve_type("alpha")


def test_force_keeps_comments_and_attribute_order(
    cli: Callable[..., Result], project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved"))
    asyncio.run(_add_attribute(emulator))
    path = project / "activities" / "alpha.yaml"
    path.write_text(COMMENTED)

    forced = cli("import", "--endpoint", emulator.url, "--force", "alpha", cwd=project,
                 env=emulator.env)

    assert forced.exit_code == 0, forced.output
    assert path.read_text() == (
        COMMENTED.replace("version: 2", "version: 3")
        .replace("name: Local Name ", "name: Type alpha ")
        .replace("    dataType: integer\n", "    dataType: integer\n"
                 "  - apiName: channel\n    name: Channel\n    dataType: string\n")
    )
