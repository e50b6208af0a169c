"""`activities emulator`: serve the Marketo emulator in the foreground until Ctrl+C or SIGTERM."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_OK
from framework.emulator.config import EmulatorConfig
from framework.emulator.custom_objects.settings import READINGS, ObjectSettings
from framework.emulator.foreground import serve_until_signalled
from framework.emulator.server import EmulatorServer
from framework.emulator.store import locked_state
from framework.environment import is_loopback
from framework.manual import page


class RateLimit(click.ParamType[tuple[int, float]]):
    """`CALLS/SECONDS`, e.g. 100/20."""

    name = "CALLS/SECONDS"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, float]:
        if isinstance(value, tuple):
            return value
        calls, _, seconds = str(value).partition("/")
        try:
            parsed = int(calls), float(seconds)
        except ValueError:
            parsed = (0, 0.0)
        if parsed[0] < 1 or parsed[1] <= 0:
            self.fail(f"{value!r} is not CALLS/SECONDS with both positive, e.g. 100/20", param, ctx)
        return parsed


class EndpointLatency(click.ParamType[tuple[str, float]]):
    """`ENDPOINT=MS`: ENDPOINT as `METHOD /path` or the path's last part (`pagingtoken`)."""

    name = "ENDPOINT=MS"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, float]:
        if isinstance(value, tuple):
            return value
        from framework.emulator.routes import ROUTES

        name, _, ms = str(value).rpartition("=")
        keys = [r.key for r in ROUTES if name in (r.key, r.key.rsplit("/", 1)[-1].removesuffix(
            ".json"))]
        try:
            delay = float(ms)
        except ValueError:
            delay = -1.0
        if len(keys) != 1 or delay < 0:
            known = sorted({r.key.rsplit("/", 1)[-1].removesuffix(".json") for r in ROUTES})
            self.fail(f"{value!r} is not ENDPOINT=MS with one known endpoint and MS >= 0, "
                      f"e.g. pagingtoken=120000 (endpoints: {', '.join(known)})", param, ctx)
        return keys[0], delay


def emulator(config: EmulatorConfig, host: str = "127.0.0.1", port: int = 8787) -> int:
    """Serve an emulated Marketo instance; the first line printed is its URL."""
    state_file = config.state_file

    def ready(url: str) -> None:
        click.echo(url)
        if not is_loopback(host):
            click.echo(f"Warning: listening on {host} over plain http", err=True)
        click.echo("Serving the Marketo emulator; stop with Ctrl+C.", err=True)

    if state_file is None:
        serve_until_signalled(EmulatorServer(config, host, port), ready)
    else:
        # One process per state file: a second one would overwrite the first one's changes.
        with locked_state(state_file, 0, lambda lock: None):
            serve_until_signalled(EmulatorServer(config, host, port), ready)
    where = f"; state saved to {state_file}" if state_file else ""
    click.echo(f"Stopped{where}.", err=True)
    return EXIT_OK


def _configured(host: str, port: int, state_file: Path | None, client_id: str,
                client_secret: str, token_ttl: int, latency_ms: float, fault_rate: float,
                seed: int | None, rate_limit: tuple[int, float], max_concurrent: int,
                daily_quota: int, max_types: int, leads: int, accept_query_token: bool,
                reject_query_token: bool, lenient_values: bool, strict_activity_date: bool,
                record_visibility_delay: float, string_values: bool,
                background_activities: int, endpoint_latency: tuple[tuple[str, float], ...],
                max_object_types: int, object_readings: tuple[str, ...],
                no_custom_objects: bool) -> int:
    """`emulator` with the instance its options describe (`--reject-query-token` and
    `--strict-activity-date` name the defaults)."""
    config = EmulatorConfig(
        client_id=client_id, client_secret=client_secret, token_ttl=token_ttl,
        latency_ms=latency_ms, fault_rate=fault_rate, seed=seed,
        rate_limit_calls=rate_limit[0], rate_limit_seconds=rate_limit[1],
        max_concurrent=max_concurrent, daily_quota=daily_quota, max_types=max_types,
        leads=leads, reject_query_token=not accept_query_token,
        strict_values=not lenient_values, record_visibility_delay=record_visibility_delay,
        string_values=string_values, background_activities=background_activities,
        endpoint_latency_ms=endpoint_latency, state_file=state_file,
        custom_objects=ObjectSettings(enabled=not no_custom_objects,
                                      max_types=max_object_types).reading(object_readings),
    )
    return emulator(config, host, port)


command = click.Command(
    "emulator", callback=_configured, help=emulator.__doc__, params=[
        click.Option(["--host"], default="127.0.0.1", show_default=True,
                     help="Interface to listen on."),
        click.Option(["--port"], default=8787, show_default=True, type=click.IntRange(0, 65535),
                     help="Port to listen on (0 picks a free one)."),
        click.Option(["--state", "state_file"], type=click.Path(path_type=Path, dir_okay=False),
                     default=None,
                     help="Keep the instance in this JSON file (written atomically)."),
        click.Option(["--client-id"], default="local-client", show_default=True,
                     envvar="ACTIVITIES_EMULATOR_CLIENT_ID", help="The client id it accepts."),
        click.Option(["--client-secret"], default="local-secret",
                     envvar="ACTIVITIES_EMULATOR_CLIENT_SECRET",
                     help="The client secret it accepts (default: local-secret)."),
        click.Option(["--token-ttl"], default=3600, show_default=True, type=click.IntRange(1),
                     help="Access token lifetime in seconds."),
        click.Option(["--latency-ms"], default=0.0, show_default=True, type=click.FloatRange(0),
                     help="Delay added to every REST call."),
        click.Option(["--fault-rate"], default=0.0, show_default=True,
                     type=click.FloatRange(0, 1),
                     help="Probability of a fault per REST call (transient error, dropped "
                          "connection, lost response)."),
        click.Option(["--seed"], default=None, type=int, help="Seed for reproducible faults."),
        click.Option(["--rate-limit"], default="100/20", show_default=True, type=RateLimit(),
                     help="Calls allowed per sliding window, then 606."),
        click.Option(["--max-concurrent"], default=10, show_default=True,
                     type=click.IntRange(1), help="Calls in flight at once, then 615."),
        click.Option(["--daily-quota"], default=50_000, show_default=True,
                     type=click.IntRange(1), help="Calls per day (US Central), then 607."),
        click.Option(["--max-types"], default=10, show_default=True, type=click.IntRange(1),
                     help="Custom activity types the subscription allows, then 1027."),
        click.Option(["--leads"], default=1000, show_default=True, type=click.IntRange(0),
                     help="Known lead ids are 1..N; records for others are skipped with 1004."),
        click.Option(["--accept-query-token"], is_flag=True,
                     help="Also accept ?access_token= in the query, as before 2026-08-31 (old "
                          "clients); by default only the Authorization header is accepted."),
        click.Option(["--reject-query-token"], is_flag=True,
                     help="The default since 2026-08-31 (accept only the Authorization "
                          "header); kept so older scripts still run."),
        click.Option(["--lenient-values"], is_flag=True,
                     help="Accept any datetime Python reads and integers and numbers of any "
                          "size; by default W3C datetimes with an offset, 32-bit integers and "
                          "finite numbers."),
        click.Option(["--strict-activity-date"], is_flag=True,
                     help="The default now (see --lenient-values); kept so older scripts still "
                          "run."),
        click.Option(["--record-visibility-delay"], default=0.0, show_default=True,
                     type=click.FloatRange(0), metavar="SECONDS",
                     help="An added record can be read back only this long after it was added."),
        click.Option(["--string-values"], is_flag=True,
                     help="Get Lead Activities renders every attribute value as text, as "
                          "Adobe's example does."),
        click.Option(["--background-activities"], default=0, show_default=True,
                     type=click.IntRange(0, 10_000_000), metavar="N",
                     help="Store N activities of standard types on the leads at start (Get "
                          "Lead Activities walks them)."),
        click.Option(["--endpoint-latency", "endpoint_latency"], multiple=True,
                     type=EndpointLatency(), metavar="ENDPOINT=MS",
                     help="Extra delay for one endpoint, e.g. pagingtoken=120000; repeatable."),
        click.Option(["--max-object-types"], default=10, show_default=True,
                     type=click.IntRange(1),
                     help="Custom object types the subscription allows, then 709."),
        click.Option(["--object-reading", "object_readings"], multiple=True,
                     type=click.Choice(list(READINGS)),
                     help="Read an open custom-object rule the other way (repeatable; see "
                          f"{page('commands/emulator.md')})."),
        click.Option(["--no-custom-objects"], is_flag=True,
                     help="The subscription lacks custom objects: every schema call is 1026."),
    ],
)
