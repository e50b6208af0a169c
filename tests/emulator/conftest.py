"""Fixtures for the emulator's own tests: an authenticated raw HTTP client on a running emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.emulator.rest import Api


@pytest.fixture
def api_factory(emulator_factory: Callable[..., Any]) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(**overrides: Any) -> Api:
        api = Api(emulator_factory(**overrides))
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(api_factory: Callable[..., Api]) -> Api:
    return api_factory()
