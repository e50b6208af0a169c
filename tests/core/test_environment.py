"""Choosing the instance: local by default, --endpoint, named environments, and the http rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.client.marketo import Pacing
from framework.environment import LOCAL, check_endpoint, is_loopback, resolve_target
from framework.errors import ConfigError
from framework.manual import MANUAL
from framework.settings import EnvironmentSettings, Settings, load_settings

CREDS = {"MARKETO_CLIENT_ID": "id-1", "MARKETO_CLIENT_SECRET": "secret-1"}


def test_default_is_the_embedded_local_instance() -> None:
    target = resolve_target(Settings(), environ={})
    assert (target.name, target.embedded, target.host) == (LOCAL, True, "embedded emulator")


def test_endpoint_takes_credentials_from_the_environment() -> None:
    target = resolve_target(Settings(), endpoint="https://123-ABC-456.mktorest.com/", environ=CREDS)
    assert target.endpoint == "https://123-ABC-456.mktorest.com"
    assert (target.client_id, target.client_secret, target.host) == (
        "id-1",
        "secret-1",
        "123-ABC-456.mktorest.com",
    )


def test_target_repr_hides_the_credentials() -> None:
    target = resolve_target(Settings(), endpoint="https://x.mktorest.com", environ=CREDS)
    assert "secret-1" not in repr(target) and "id-1" not in repr(target)


def test_missing_credentials_name_the_variables() -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_target(
            Settings(), endpoint="https://x.mktorest.com", environ={"MARKETO_CLIENT_ID": "a"}
        )
    assert str(exc.value) == (
        "--endpoint https://x.mktorest.com needs credentials: MARKETO_CLIENT_SECRET is not set\n"
        "  fix: export MARKETO_CLIENT_ID=... MARKETO_CLIENT_SECRET=... (the LaunchPoint custom "
        "service's client id and secret)"
    )


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:8080"])
def test_plain_http_off_loopback_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="plain http off the loopback interface"):
        check_endpoint(url)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.5.0.1", "::1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "url",
    [
        "mktorest.com",
        "https://123-ABC-456.mktorest.com:notaport",  # httpx's InvalidURL crashed plan (exit 3)
        "https://123-ABC-456.mktorest.com:99999",
        "https://123-ABC 456.mktorest.com",  # a space: it was sent to DNS, lowercased
        "https://123_ABC.mktorest.com/",
    ],
)
def test_not_a_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="is not a URL"):
        check_endpoint(url)


@pytest.mark.parametrize(
    "url", ["https://123-ABC-456.mktorest.com", "http://127.0.0.1:8787/", "http://[::1]:8787"]
)
def test_a_url_is_accepted(url: str) -> None:
    assert check_endpoint(url) == url.rstrip("/")


def test_named_environment_sets_pacing_and_variables() -> None:
    settings = Settings(
        environments={
            "prod": EnvironmentSettings(
                endpoint="https://1.mktorest.com",
                client_id_env="P_ID",
                client_secret_env="P_SECRET",
                calls_per_20s=50,
                max_concurrent=5,
            )
        }
    )
    target = resolve_target(settings, env="prod", environ={"P_ID": "a", "P_SECRET": "b"})
    assert target.pacing == Pacing(calls_per_window=50, max_concurrent=5)
    assert (target.name, target.endpoint) == ("prod", "https://1.mktorest.com")


def test_unknown_environment_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown environment 'stage' \(known: local\)"):
        resolve_target(Settings(), env="stage", environ={})


def test_env_and_endpoint_are_exclusive() -> None:
    with pytest.raises(ConfigError, match="exclusive"):
        resolve_target(Settings(), env="x", endpoint="https://a.b", environ=CREDS)


def test_settings_come_from_the_nearest_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.activities]\nmax_types = 25\n"
        "[tool.activities.environments.prod]\nendpoint = 'https://1.mktorest.com'\n"
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    settings = load_settings(nested)
    assert settings.max_types == 25 and settings.root == tmp_path
    # Adobe's share for one integration of an instance others use, unless claimed in the file.
    prod = settings.environments["prod"]
    assert (prod.calls_per_20s, prod.max_concurrent) == (50, 5)


def test_bad_settings_name_the_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.activities]\nmax_typs = 25\n")
    with pytest.raises(ConfigError, match=r"\[tool.activities\] max_typs: Extra inputs"):
        load_settings(tmp_path)


def test_every_bad_setting_is_listed_with_where_to_read_about_them(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.activities.environments.prod]\nendpoint = 'https://1.mktorest.com'\n"
        "client_id = 'P_ID'\ncalls_per_20s = 'fifty'\n"
    )
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert str(exc.value) == (
        f"{pyproject}: [tool.activities] environments.prod.calls_per_20s: Input should be a "
        "valid integer, unable to parse string as an integer\n"
        f"{pyproject}: [tool.activities] environments.prod.client_id: Extra inputs are not "
        "permitted\n"
        f"  fix: see {MANUAL}/environments.md and 'The type limit' in {MANUAL}/definitions.md, "
        "for the "
        "keys and their types"
    )


def test_a_toml_syntax_error_says_what_to_do(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.activities]\nmax_types = [\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert str(exc.value) == (
        f"{pyproject}: cannot read [tool.activities]: Invalid value (at end of document)\n"
        "  fix: correct the TOML at that position"
    )


def test_a_bad_endpoint_in_a_named_environment_points_at_pyproject(tmp_path: Path) -> None:
    settings = Settings(
        root=tmp_path,
        environments={"prod": EnvironmentSettings(endpoint="http://1.mktorest.com")},
    )
    with pytest.raises(ConfigError) as exc:
        resolve_target(settings, env="prod", environ=CREDS)
    assert str(exc.value) == (
        f"{tmp_path / 'pyproject.toml'}: [tool.activities.environments.prod] endpoint "
        "'http://1.mktorest.com' uses plain http off the loopback interface; credentials would "
        "travel in clear text\n"
        '  fix: set endpoint = "https://123-ABC-456.mktorest.com" (the REST base of the '
        "instance) in that section"
    )


@pytest.mark.parametrize("url", ["https://id:s3cret@x.mktorest.com", "http://s3cret@127.0.0.1:8"])
def test_credentials_in_the_endpoint_url_are_refused_without_repeating_them(url: str) -> None:
    settings = Settings(environments={"prod": EnvironmentSettings(endpoint=url)})
    for where in ({"endpoint": url}, {"env": "prod"}):
        with pytest.raises(ConfigError) as exc:
            resolve_target(settings, environ=CREDS, **where)
        assert "s3cret" not in str(exc.value)
        assert "the endpoint URL carries credentials (user:password@ before the host)" in str(
            exc.value
        )


def test_the_local_instance_paces_in_its_process_and_leaves_no_window_file(
    tmp_path: Path,
) -> None:
    """The embedded emulator listens on a new port each run: a window file shared with other
    processes would only pile up, one per run, in the user's cache."""
    import asyncio
    import os

    from framework.client.shared_window import CACHE_DIR_VARIABLE
    from framework.environment import connect

    settings = Settings(root=tmp_path)

    async def list_types() -> Pacing:
        async with connect(resolve_target(settings), settings) as (target, client):
            await client.list_types()
            return target.pacing

    pacing = asyncio.run(list_types())
    assert pacing.across_processes is False
    assert list(Path(os.environ[CACHE_DIR_VARIABLE]).rglob("*")) == []
