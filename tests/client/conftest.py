"""Fixtures of the client's tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.client.scripted import FakeTime, ScriptedMarketo


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime(now=1000.0)


@pytest.fixture
def marketo() -> ScriptedMarketo:
    return ScriptedMarketo()


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    yield caplog
