"""The `acknowledge` key of definition files: validated, in the schema, ordered by fmt."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from framework.definitions.model import AcknowledgeableRule
from framework.kinds.custom_object.model import ObjectAcknowledgeableRule
from framework.lint.rules import RULES
from framework.manual import MANUAL

HEAD = (
    "version: 2\napiName: attendClass\nname: Attend Class\ntriggerName: Attends Class\n"
    "filterName: Attended Class\n"
)


def test_fmt_puts_acknowledge_last_and_orders_its_items_keeping_comments(
    project: Path, cli: Any
) -> None:
    path = project / "activities" / "attendClass.yaml"
    path.write_text(
        HEAD + "acknowledge:\n  # the old attribute goes\n  - reason: nobody sends it\n"
        "    rule: attribute-removed\n    version: 2\n"
        "primaryAttribute:\n  apiName: title\n  name: Title\n"
    )

    result = cli("fmt", cwd=project)

    assert result.exit_code == 0, result.output
    assert path.read_text() == (
        HEAD + "primaryAttribute:\n  apiName: title\n  name: Title\n"
        "acknowledge:\n  # the old attribute goes\n  - rule: attribute-removed\n"
        "    version: 2\n    reason: nobody sends it\n"
    )
    assert cli("validate", cwd=project).exit_code == 0


def test_an_acknowledgement_naming_no_rule_is_a_clear_problem(project: Path, cli: Any) -> None:
    (project / "activities" / "attendClass.yaml").write_text(
        HEAD + "primaryAttribute:\n  apiName: title\n  name: Title\n"
        "acknowledge:\n  - rule: attribute-gone\n    version: 2\n    reason: x\n"
    )

    result = cli("validate", cwd=project)

    assert result.exit_code == 1
    assert result.stdout.startswith(
        "activities/attendClass.yaml:10:11: acknowledge[0].rule: the text 'attribute-gone' is "
        "not a rule an acknowledgement can name\n  fix: write one of: attribute-removed, "
        "attribute-renamed, likely-rename, data-type-changed, primary-attribute-changed, "
        "primary-attribute-edited, type-deleted, display-name-changed, description-changed, "
        "trigger-name-changed, filter-name-changed, attribute-display-name-changed or "
        f"protect-removed ({MANUAL}/commands/lint.md)\n"
    )


def test_every_rule_lint_fails_on_can_be_acknowledged() -> None:
    # The definitions' list of acknowledgeable rules follows the policy's rule book.
    failing = {r.id for r in RULES.values() if r.severity in ("destructive", "breaking")}
    both_kinds = {*get_args(AcknowledgeableRule), *get_args(ObjectAcknowledgeableRule)}
    assert both_kinds == failing | {"likely-rename"}
