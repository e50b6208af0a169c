"""The ad-hoc `--endpoint URL` target is known by one constant (framework.pyproject.AD_HOC)
and asked with `Target.ad_hoc` / `Instance.ad_hoc`: plans and locks still record it as
"endpoint", so the files written before read the same, and no other module spells the word
as a target's name."""

from __future__ import annotations

import ast
from pathlib import Path

import framework
from framework.environment import resolve_target
from framework.lock.binding import Instance
from framework.lock.store import lock_name
from framework.pyproject import AD_HOC, BUILT_IN_NAMES, LOCAL
from framework.settings import Settings

PACKAGE = Path(framework.__file__).parent


def test_the_ad_hoc_name_is_spelt_in_one_module() -> None:
    spelt: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A mapping's key "endpoint" is the settings field of that name (a stored schema).
        keys = {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict)
                for key in node.keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "endpoint" \
                    and id(node) not in keys:
                where = path.relative_to(PACKAGE.parent).as_posix()
                spelt.setdefault(where, []).append(node.lineno)
    assert list(spelt) == ["framework/pyproject.py"], spelt


def test_the_name_plans_and_locks_record_stays_endpoint() -> None:
    assert (LOCAL, AD_HOC) == ("local", "endpoint")
    assert BUILT_IN_NAMES == (LOCAL, AD_HOC)


def test_an_endpoint_target_is_ad_hoc_and_the_others_are_not(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    environ = {"MARKETO_CLIENT_ID": "ad-hoc-client", "MARKETO_CLIENT_SECRET": "ad-hoc-secret"}

    target = resolve_target(settings, endpoint="https://123-ABC-456.mktorest.com", environ=environ)

    assert (target.ad_hoc, target.name) == (True, AD_HOC)
    assert lock_name(target) == "endpoint-123-ABC-456.mktorest.com"
    assert not resolve_target(settings, environ=environ).ad_hoc  # the built-in local
    assert Instance(AD_HOC, "123-ABC-456.mktorest.com").ad_hoc
    assert not Instance("staging", "123-ABC-456.mktorest.com").ad_hoc
