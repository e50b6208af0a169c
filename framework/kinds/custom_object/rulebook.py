"""How each kind of difference of a custom object type is graded: the kind's rule book.

framework.policy grades a custom object's differences with this table, as it grades an
activity type's with framework.plan.rules.RULE_BOOK, so plan and lint give one answer. Ids
are shared with activity types where the difference is the same (`type-created`,
`type-deleted`, `data-type-changed`, the stray drafts); the rest are this kind's own. What
freezes on approval is Adobe's (Custom Objects guide, "Approve" and the field pages):
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

from framework.policy.model import Rule, RuleBook

RECORDS_LOST = "every record of the type is lost, and Marketo offers no way to restore them"
VALUES_LOST = "its values in every record are lost"
STRAY_DRAFT_LOST = "the work it holds is lost"

OBJECT_RULE_BOOK = RuleBook("custom object type", {rule.id: rule for rule in (
    Rule("type-created", "a new custom object type is created as a draft, then approved",
         "safe"),
    Rule("type-deleted",
         f"the custom object type is to be deleted (`ensure: absent`): {RECORDS_LOST}",
         "destructive", draft="destructive"),
    Rule("type-replaced",
         "what Marketo freezes once a custom object type is approved changed (its display "
         "name, which fields are dedupe fields and their data types, the link fields): the "
         f"type is deleted and created again, and {RECORDS_LOST}", "destructive"),
    Rule("object-description-changed", "the custom object type's description changed",
         "safe"),
    Rule("field-added", "a field was added", "safe"),
    Rule("field-removed", f"a field was removed: {VALUES_LOST}", "destructive"),
    Rule("field-renamed",
         "a field was renamed (`renamedFrom`): Marketo cannot rename a field, so the old one is "
         f"deleted and the new one added; {VALUES_LOST}", "destructive"),
    Rule("data-type-changed",
         f"a field's data type changed: it is deleted and added again; {VALUES_LOST}",
         "destructive"),
    Rule("field-display-name-changed", "a field's display name changed", "safe"),
    Rule("stray-draft-discarded",
         "a pending draft made outside the repository (in the Marketo UI) is discarded: "
         f"{STRAY_DRAFT_LOST}", "breaking", live_only=True),
    Rule("stray-draft-overwritten",
         "a pending draft made outside the repository (in the Marketo UI) is overwritten: "
         f"{STRAY_DRAFT_LOST}", "breaking", live_only=True),
)})
