"""What happens to a dropped attribute is said once (framework.plan.rules) and used everywhere,
README included; README's table of lint rules is the rule table (issue 22, item 8)."""

from __future__ import annotations

from pathlib import Path

from framework.lint.rules import RULES
from framework.plan.rules import ATTRIBUTE_DROPPED

# The manual: README.md and docs/.
ROOT = Path(__file__).resolve().parents[2]
README = "\n".join(path.read_text(encoding="utf-8")
                   for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))])


def test_readme_says_what_happens_to_a_dropped_attribute_in_the_same_words() -> None:
    assert README.count(ATTRIBUTE_DROPPED) >= 2  # the rule table and the history paragraph
    assert "deletes it and its values" not in README


def test_readme_lists_every_lint_rule_with_its_severity() -> None:
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in README, rule.id
