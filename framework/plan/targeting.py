"""Targeting: `--target TYPE` and `--exclude TYPE`, for the exceptions (Terraform's -target).

A filter at the pipeline's boundary: the definitions of untargeted types are left out before
compare, so their live types stay exactly as they are, and hold their names: a targeted type
that would take a trigger or filter name an untargeted type still holds is refused as for any
other live type. The plan records the selection in its provenance, so that apply derives it
again with the same filter, and renders show it in their header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from framework.definitions.model import DefinitionFile
from framework.errors import ConfigError


@dataclass(frozen=True)
class Targeting:
    """Which types a plan may touch: only `targets` (all when empty), never `excludes`."""

    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @classmethod
    def of(cls, targets: Sequence[str], excludes: Sequence[str]) -> Targeting:
        return cls(tuple(sorted(set(targets))), tuple(sorted(set(excludes))))

    def __bool__(self) -> bool:
        return bool(self.targets or self.excludes)

    def selects(self, api_name: str) -> bool:
        if api_name in self.excludes:
            return False
        return not self.targets or api_name in self.targets

    def split(
        self, desired: Sequence[DefinitionFile]
    ) -> tuple[list[DefinitionFile], set[str]]:
        """The targeted definitions, and the apiNames of the ones left out."""
        kept = [d for d in desired if self.selects(d.definition.apiName)]
        left = {d.definition.apiName for d in desired} - {d.definition.apiName for d in kept}
        return kept, left

    def check(self, desired: Sequence[DefinitionFile], directory: str) -> None:
        """Refuse a name no definition declares: a typo must not plan the wrong thing."""
        known = {d.definition.apiName for d in desired}
        for option, names in (("--target", self.targets), ("--exclude", self.excludes)):
            unknown = [name for name in names if name not in known]
            if unknown:
                raise ConfigError(
                    f"{option} {', '.join(unknown)}: no definition in {directory}/ declares "
                    f"{'that type' if len(unknown) == 1 else 'those types'} (known: "
                    f"{', '.join(sorted(known)) or 'none'})\n  fix: pass the apiName of a type "
                    "that has a definition file (it is case-sensitive)"
                )
        if self.targets and not any(self.selects(name) for name in self.targets):
            raise ConfigError(
                "--exclude leaves none of the --target types\n  fix: drop --exclude, or "
                "target another type"
            )

    def describe(self) -> str:
        """`only a, b; excluding c`: the header line of a targeted plan."""
        parts = []
        if self.targets:
            parts.append(f"only {', '.join(self.targets)}")
        if self.excludes:
            parts.append(f"excluding {', '.join(self.excludes)}")
        return "; ".join(parts)
