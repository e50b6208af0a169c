"""The whole lint: history → classify → grade (→ fix). Everything but the git reads is pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml.error import YAMLError

from framework.definitions.document import new_yaml, read_document
from framework.definitions.model import Acknowledgement, ActivityType, Definition
from framework.definitions.positions import locate
from framework.kinds.custom_object.lint import classify_object
from framework.kinds.custom_object.model import CustomObject, ObjectAcknowledgement
from framework.kinds.custom_object.rulebook import OBJECT_RULE_BOOK
from framework.lint.fix import write_version
from framework.lint.history import ChangedFile, History
from framework.lint.rules import RULES, Change, Severity, classify, removed_file, severity
from framework.plan.rules import RULE_BOOK
from framework.policy.model import Standing

LINT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """One graded finding, at a line of a file (relative to the repository's root)."""

    rule: str
    severity: Severity
    file: str
    line: int
    type: str
    message: str
    fix: str
    acknowledged: str | None = None  # the acknowledgement's reason, when one applies
    fixed: bool = False  # a version finding that --fix wrote

    @property
    def fails(self) -> bool:
        if self.severity == "error":
            return not self.fixed
        return self.severity in ("destructive", "breaking") and self.acknowledged is None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "severity": self.severity, "file": self.file, "line": self.line,
            "type": self.type, "message": self.message, "fix": self.fix,
            "acknowledged": self.acknowledged, "fixed": self.fixed, "fails": self.fails,
        }


@dataclass(frozen=True)
class Approvals:
    """Which types are approved on the instance lint grades against (`-e ENV`)."""

    environment: str
    ids: Mapping[str, int | None]  # apiName -> id of every approved activity type
    note: str = ""
    # The custom object types approved there (at least once): they have their own
    # draft/approve lifecycle, and no numeric id.
    objects: frozenset[str] = frozenset()

    def standing(self, definition: Definition) -> Standing:
        """Where the type `definition` defines stands there: approved, or not (yet)."""
        if isinstance(definition, CustomObject):
            approved = definition.apiName in self.objects
        else:
            approved = definition.apiName in self.ids
        return "approved" if approved else "draft"


@dataclass
class LintReport:
    history: History
    findings: list[Finding] = field(default_factory=list)
    approvals: Approvals | None = None

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.fails]

    @property
    def ok(self) -> bool:
        return not self.failing

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": LINT_FORMAT_VERSION,
            "base": self.history.base,
            "baseCommit": self.history.base_commit,
            "mergeBase": self.history.merge_base,
            "environment": self.approvals.environment if self.approvals else None,
            "note": self.approvals.note if self.approvals else "",
            "changedFiles": [c.path for c in self.history.changed],
            "findings": [f.to_json() for f in self.findings],
            "failing": len(self.failing),
            "ok": self.ok,
        }


def lint_history(history: History, *, fix: bool, approvals: Approvals | None) -> LintReport:
    """Grade every changed definition of `history`; with `fix`, write the expected versions."""
    report = LintReport(history, approvals=approvals)
    present = {c.path for c in history.changed if c.new is not None}
    for changed in by_api_name(history.changed):
        report.findings += _lint_file(
            history.root, changed, fix=fix, approvals=approvals, present=present
        )
    return report


def grades_objects(history: History) -> bool:
    """Whether a changed file defines a custom object type, now or at the merge base: only
    then does `lint -e ENV` need the custom object types approved there."""
    texts = [t for c in history.changed for t in (c.old, c.new) if t is not None]
    return any(isinstance(_model(t), CustomObject) for t in texts)


def by_api_name(changed: tuple[ChangedFile, ...]) -> list[ChangedFile]:
    """The changed files paired by the type they define, whatever the files are called: a type
    whose definition moved to another file (`X.yaml` to `X.yml`) is one change of that type,
    graded as such, not a deletion and a creation. A text that does not validate is paired by
    its path, as there is no type to go by."""
    old_at = {m.apiName: c for c in changed if (m := _model(c.old)) is not None}
    paired: list[ChangedFile] = []
    used: set[str] = set()  # the paths whose base text found its type again
    for c in changed:
        if c.new is None:
            continue
        now = _model(c.new)
        base = old_at.get(now.apiName) if now is not None else None
        if base is None and (now is None or _model(c.old) is None):
            paired.append(c)  # nothing to go by but the path
            used.add(c.path)
            continue
        paired.append(ChangedFile(c.path, base.old if base else None, c.new))
        if base is not None:
            used.add(base.path)
    paired += [ChangedFile(c.path, c.old, None) for c in changed
               if c.old is not None and c.path not in used]
    return sorted(paired, key=lambda c: (c.path, c.new is None))


def _lint_file(
    root: Path,
    changed: ChangedFile,
    *,
    fix: bool,
    approvals: Approvals | None,
    present: set[str],
) -> list[Finding]:
    old = _model(changed.old)
    if changed.new is None:
        if old is None:
            return []
        change = removed_file(old, changed.path, reused=changed.path in present)
        return [_finding(change, "warning", changed.path, 1)]
    document = read_document(root / changed.path, changed.path)
    new = _validated(document.data) if not document.problems else None
    if new is None:
        first = document.problems[0] if document.problems else None
        where = f" at line {first.line}: {first.message}" if first else ""
        return [Finding(
            "definition-invalid", "error", changed.path, first.line if first else 1, "",
            f"{changed.path}: does not validate{where}",
            "run `activities validate` and fix what it reports",
        )]
    findings: list[Finding] = []
    version = new.version
    expected = _expected_version(old, new, changed.old is None)
    if expected is not None:
        line = locate(document.data, ("version",))[0]
        if fix:
            write_version(root / changed.path, expected)
            version = expected
        findings.append(_version_finding(old, new, expected, changed.path, line, fixed=fix))
    target = expected if expected is not None else new.version  # what acknowledgements name
    changes = _classify(old, new) if old is not None else []
    given = {(a.rule, a.version) for a in (old.acknowledge if old else [])}
    acks: dict[str, str] = {a.rule: a.reason for a in new.acknowledge
            if a.version == version and (a.rule, a.version) not in given}
    for change in changes:
        line = locate(document.data, change.path, key=True)[0] if change.path else 1
        assert old is not None  # only a change of an old definition is classified
        graded, message = _graded(change, old, approvals)
        acknowledgeable = graded in ("destructive", "breaking")
        fix_text = change.fix
        if acknowledgeable:
            fix_text += (
                f"; to accept it, add under `acknowledge:` `- {{rule: {change.rule}, version: "
                f"{target}, reason: ...}}`"
            )
        findings.append(Finding(
            change.rule, graded, changed.path, line, change.type, message, fix_text,
            acknowledged=acks.get(change.rule) if acknowledgeable else None,
        ))
    findings += _acknowledgement_findings(new, version, changes, changed.path, document.data)
    return sorted(findings, key=lambda f: (f.line, f.rule))


def _graded(
    change: Change, old: Definition, approvals: Approvals | None
) -> tuple[Severity, str]:
    """The policy's grade where the type stands: approved, without `-e ENV`; with it, as the
    environment has it (a change safe there is a warning), under the rule book of the old
    definition's kind (the type that stands there). Lint's own rules keep theirs."""
    if approvals is None or not RULES[change.rule].needs_approval:
        return RULES[change.rule].severity, change.message
    env = approvals.environment
    book = OBJECT_RULE_BOOK if isinstance(old, CustomObject) else RULE_BOOK
    if approvals.standing(old) == "approved":
        which = "" if isinstance(old, CustomObject) else f", id {approvals.ids[old.apiName]}"
        return severity(change.rule, "approved", book), (
            f"{change.message} ({change.type} is approved on {env}{which})"
        )
    graded = severity(change.rule, "draft", book)
    if graded == "warning":
        return graded, f"{change.message} (not approved on {env}: nothing is lost there yet)"
    return graded, f"{change.message} (not approved on {env})"


def _expected_version(old: Definition | None, new: Definition, created: bool) -> int | None:
    """The version the file should have, or None when it is right."""
    if created:
        return None if new.version == 1 else 1
    if old is None:
        return None  # the old text did not validate: nothing sound to compare with
    if new.version < old.version or (new.version == old.version and _content(old) != _content(new)):
        return old.version + 1
    return None


def _version_finding(
    old: Definition | None, new: Definition, expected: int, path: str, line: int, *, fixed: bool
) -> Finding:
    name = new.apiName
    if old is None:
        return Finding(
            "version-not-initial", "error", path, line, name,
            f"{name}: was added with version {new.version}; a new definition starts at 1",
            "set `version: 1` (or run lint with --fix)", fixed=fixed,
        )
    what = "went down" if new.version < old.version else "stayed"
    return Finding(
        "version-not-increased", "error", path, line, name,
        f"{name}: the definition changed but its version {what} at {new.version} (it was "
        f"{old.version} at the merge base)",
        f"set `version: {expected}` (or run lint with --fix)", fixed=fixed,
    )


def _acknowledgement_findings(
    new: Definition, version: int, changes: list[Change], path: str, data: Any
) -> list[Finding]:
    found = {c.rule for c in changes}
    findings: list[Finding] = []
    given: list[Acknowledgement | ObjectAcknowledgement] = list(new.acknowledge)
    for index, ack in enumerate(given):
        line = locate(data, ("acknowledge", index))[0]
        if ack.version < version:
            findings.append(Finding(
                "acknowledgement-expired", "warning", path, line, new.apiName,
                f"{new.apiName}: the acknowledgement of {ack.rule} for version {ack.version} "
                f"expired (the file is at version {version})",
                "remove it; a change in this version needs its own acknowledgement",
            ))
        elif ack.version == version and ack.rule not in found:
            findings.append(Finding(
                "acknowledgement-unused", "warning", path, line, new.apiName,
                f"{new.apiName}: the acknowledgement of {ack.rule} for version {version} "
                "matched no change",
                "remove it, or check the rule id against the findings",
            ))
    return findings


def _content(definition: Definition) -> dict[str, Any]:
    """What the definition asks of Marketo: not its version or its acknowledgements."""
    return definition.model_dump(exclude={"version", "acknowledge"})


def _model(text: str | None) -> Definition | None:
    if text is None:
        return None
    try:
        return _validated(new_yaml().load(text))
    except YAMLError:
        return None


_DEFINITION: TypeAdapter[Definition] = TypeAdapter(Definition)


def _validated(data: Any) -> Definition | None:
    try:
        return _DEFINITION.validate_python(data)
    except ValidationError:
        return None


def _classify(old: Definition, new: Definition) -> list[Change]:
    """The change under lint's rule ids, by kind; a file whose kind changed is graded as the
    deletion of the old type (a new type of the other kind takes its name)."""
    if isinstance(old, ActivityType) and isinstance(new, ActivityType):
        return classify(old, new)
    if isinstance(old, CustomObject) and isinstance(new, CustomObject):
        return classify_object(old, new)
    return [Change(
        "type-deleted", new.apiName,
        f"{new.apiName}: the file changed kind: the old type and its history are to be deleted",
        "keep the file's kind, or acknowledge the deletion", ("kind",),
    )]


def _finding(change: Change, severity: Severity, path: str, line: int) -> Finding:
    return Finding(change.rule, severity, path, line, change.type, change.message, change.fix)
