"""The codes a plan's reasons carry, and when each is given: the reference scripts match on.

A reason is `{"code", "text", "risk"}` (framework.plan.model.Reason); the words vary with the
change, the code does not. A test finds every code the plan's modules give and fails when one is
missing here; the manual's table (docs/reference/plan-reasons.md) is generated from this one.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # A type as a whole.
    "type-created": "the type does not exist: it is created as a draft, then approved",
    "type-deleted": "the definition says `ensure: absent` and the type exists: it is deleted",
    "already-absent": "the definition says `ensure: absent` and the type does not exist",
    "already-matches": "the type on the instance already matches its definition",
    "update-through-draft": "an edit of an approved type lands in a draft and is published by "
                            "the approve; records sent before it keep their old attributes",
    "field-changed": "a field of the type (display name, description, trigger or filter name) "
                     "changes",
    "frozen-field-changed": "a field Marketo freezes once an approved type is in use changes",
    "replace-required": "a change Marketo allows only by deleting the type and creating it "
                        "again (one reason per such change)",
    "type-replaced": "the type is deleted and created again: its history and Smart List use "
                     "are lost",
    "pending-draft-lost": "a replaced type had a pending draft: it is lost with the type",
    # Drafts on the instance.
    "draft-approved": "a pending draft already equals the desired state: approving it "
                      "publishes it",
    "draft-discarded": "a pending draft equals the approved version: it is discarded",
    "draft-updated": "a type never approved differs from its definition: its draft is "
                     "updated, then approved",
    "stray-draft-discarded": "a pending draft made outside the repository differs, and the "
                             "approved version already matches: the draft is discarded",
    "stray-draft-overwritten": "a pending draft made outside the repository differs: it is "
                               "overwritten with the desired state, then approved",
    # Attributes.
    "attribute-added": "an attribute is added",
    "attribute-removed": "an attribute is removed",
    "attribute-renamed": "an attribute is renamed (`renamedFrom`): the old one is deleted and "
                         "the new one created",
    "attribute-data-type-changed": "an attribute's data type changes",
    "attribute-display-name-changed": "an attribute's display name changes on an approved type",
    "attribute-edited": "an attribute's description changes, or its display name on a type "
                        "never approved",
    "primary-replaced": "the primary attribute's apiName or data type changes",
    "primary-display-name-changed": "the primary attribute's display name or description "
                                    "changes on an approved type, where Marketo freezes it "
                                    "once in use",
    "primary-edited": "the primary attribute's display name or description changes on a type "
                      "never approved",
    # Custom object types (framework/kinds/custom_object/differ.py): besides the codes above
    # they share (type-created, type-deleted, already-absent, already-matches, type-replaced,
    # replace-required, update-through-draft, pending-draft-lost, the draft codes), each field
    # change carries its rule id from the kind's rule book (field-added, field-removed,
    # field-renamed, data-type-changed, field-display-name-changed, type-replaced) and a change
    # of the type's description `object-description-changed`.
    "write-only-keys": "a custom object definition sets pluralName, showInLeadDetail or a field "
                       "description: sent with every create and update, never read back, so a "
                       "change to them alone plans nothing",
    # Whether apply may run a destructive change.
    "destructive-allowed": "the change is destructive and the plan was made with "
                           "`--allow-destructive`",
    "destructive-not-allowed": "the change is destructive and apply refuses it: the plan was "
                               "made without `--allow-destructive`",
}
