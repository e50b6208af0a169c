"""Differential test: for generated names and values, validate's verdict equals the emulator's.

validate (offline, framework.definitions) and the emulator (framework.emulator, which never
imports the tool's rules) each implement Marketo's rules; where they disagree, either a plan that
validate accepts fails at apply, or validate refuses what Marketo takes. Each example is one or
two definition files; the emulator's verdict is whether every call that creates them (create
type, create attributes), sent through the real client over a loopback socket, succeeds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework.definitions.loader import check_definitions
from framework.emulator.server import EmulatorServer
from framework.errors import MarketoError
from framework.settings import Settings
from tests.property.support import Tally, client, reset, serve, write_folder

TALLY = Tally("differential (validate vs emulator)")

# What people type: letters of several scripts, digits, spaces (also no-break and ideographic),
# underscores, punctuation, symbols; no control characters, surrogates or line separators
# (a YAML file cannot carry those raw; validate reports them as a problem of the file).
_TEXT = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
)
_NAME_CHARS = st.one_of(
    st.sampled_from("abcXYZ019 _"), st.sampled_from("()!?-–.,:;'\"#&/éüß東"), _TEXT,
    st.sampled_from(["\t", "\n", "\u00a0", "\u3000"]),
)


def _near(limit: int) -> st.SearchStrategy[str]:
    """Text of about `limit` characters: a run of letters and a short random tail."""
    return st.builds(lambda n, tail: "a" * max(0, limit + n - len(tail)) + tail,
                     st.integers(-2, 2), st.text(_NAME_CHARS, max_size=3))


@st.composite
def _mostly(draw: st.DrawFn, valid: st.SearchStrategy[Any],
            hostile: st.SearchStrategy[Any]) -> Any:
    """`valid` 19 times in 20: many examples then get past every rule, the others break one or
    two. (one_of would not do: it draws each distinct branch alike.)"""
    # An interior value: hypothesis draws 0 and the bounds far more often than 1 in 20.
    return draw(hostile if draw(st.integers(0, 19)) == 7 else valid)


_PLAIN = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Za-z0-9_]{1,6}){0,2}", fullmatch=True)
_NAMES = _mostly(_PLAIN, st.one_of(
    st.text(_NAME_CHARS, min_size=0, max_size=12), _near(255),
    st.sampled_from(["Buy Car (new!)", "Café Visit", "2024", " ", "", "Buy_Car 2"])))
_DESCRIPTIONS = _mostly(st.one_of(st.none(), _PLAIN),
                        st.one_of(st.text(_NAME_CHARS, max_size=20), _near(2000)))
_API_NAMES = _mostly(
    st.from_regex(r"[a-z][A-Za-z0-9]{0,12}", fullmatch=True),
    st.sampled_from(["price", "Price", "2024", "sale_price", "a-b", "a" * 255, "a" * 256]),
)
_DATA_TYPES = _mostly(st.sampled_from(["string", "integer", "text", "datetime"]),
                      st.just("money"))


@st.composite
def _attribute(draw: st.DrawFn) -> dict[str, Any]:
    return {"apiName": draw(_API_NAMES), "name": draw(_NAMES),
            "description": draw(_DESCRIPTIONS), "dataType": draw(_DATA_TYPES)}


@st.composite
def _type(draw: st.DrawFn, api_name: str, taken: list[str]) -> dict[str, Any]:
    # Trigger and filter names sometimes echo names already used, in another case or spacing.
    echoes = [variant for name in taken
              for variant in (name, name.upper(), f"  {name} ", name.replace(" ", "  "))]
    smart_list = st.one_of(_NAMES, _NAMES, st.sampled_from(echoes)) if echoes else _NAMES
    primary = {"apiName": draw(_API_NAMES), "name": draw(_NAMES),
               "description": draw(_DESCRIPTIONS)}
    return {
        "version": 1, "apiName": api_name, "name": draw(_NAMES),
        "description": draw(_DESCRIPTIONS), "triggerName": draw(smart_list),
        "filterName": draw(smart_list), "primaryAttribute": primary,
        "attributes": draw(st.lists(_attribute(), max_size=3)),
    }


@st.composite
def folders(draw: st.DrawFn) -> list[dict[str, Any]]:
    api_name = draw(_mostly(st.just("buyCar"), st.sampled_from(["a" * 256, "buy_car"])))
    first = draw(_type(api_name, []))
    if not draw(st.booleans()):
        return [first]
    taken = [first["triggerName"], first["filterName"]]
    return [first, draw(_type("sellCar", taken))]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    yield from serve(max_types=10)
    print(f"\n{TALLY.report()}")


def _file_name(api_name: str) -> str:
    # A file named after its apiName, except where no file system allows that name; validate
    # then reports the apiName itself, as the emulator refuses it.
    return f"{api_name}.yaml" if len(api_name) <= 250 and api_name.isalnum() else "invalid.yaml"


def validate_accepts(folder: Path, types: list[dict[str, Any]]) -> bool:
    write_folder(folder, {_file_name(t["apiName"]): t for t in types})
    return not check_definitions(folder, Settings(root=folder.parent)).problems


def emulator_accepts(server: EmulatorServer, types: list[dict[str, Any]]) -> bool:
    reset(server)
    return asyncio.run(_create_all(server, types))


async def _create_all(server: EmulatorServer, types: list[dict[str, Any]]) -> bool:
    async with client(server) as marketo:
        try:
            for data in types:
                body = {k: v for k, v in data.items()
                        if k not in ("version", "attributes") and v is not None}
                primary = {k: v for k, v in data["primaryAttribute"].items() if v is not None}
                await marketo.create_type({**body, "primaryAttribute": primary})
                if data["attributes"]:
                    await marketo.create_attributes(data["apiName"], [
                        {k: v for k, v in a.items() if v is not None}
                        for a in data["attributes"]])
        except MarketoError:
            return False
    return True


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(types=folders())
def test_validate_and_the_emulator_give_the_same_verdict(
    server: EmulatorServer, tmp_path: Path, types: list[dict[str, Any]]
) -> None:
    offline = validate_accepts(tmp_path / "activities", types)
    online = emulator_accepts(server, types)
    TALLY.add("both accept" if offline and online else
              "both refuse" if not offline and not online else "DISAGREE")
    assert offline == online, (offline, online)
