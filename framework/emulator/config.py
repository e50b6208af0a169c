"""What an emulated instance looks like: credentials, limits, faults and where state lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framework.emulator.custom_objects.settings import ObjectSettings


@dataclass(frozen=True)
class EmulatorConfig:
    """One emulated Marketo instance. Defaults are Marketo's own limits, with no faults."""

    client_id: str = "local-client"
    client_secret: str = "local-secret"
    token_ttl: int = 3600  # seconds
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    seed: int | None = None
    # Only these fault kinds ("error", "drop", "lose"); empty: the usual mix (BEHAVIOUR.md).
    fault_kinds: tuple[str, ...] = ()
    rate_limit_calls: int = 100
    rate_limit_seconds: float = 20.0
    max_concurrent: int = 10
    daily_quota: int = 50_000
    max_types: int = 10
    leads: int = 1000  # known lead ids are 1..leads
    # Marketo refuses `?access_token=` since 2026-08-31: only the Authorization header.
    reject_query_token: bool = True
    # W3C datetimes (seconds and an offset) for activityDate and datetime values, integers in
    # 32 bits, finite numbers (else 1001); False accepts what Python's parsers read.
    strict_values: bool = True
    # Seconds after it is added before a record can be read back (Marketo records late).
    record_visibility_delay: float = 0.0
    # Get Lead Activities renders attribute values as strings, as Adobe's example does.
    string_values: bool = False
    # Activities of standard types stored on the leads when the instance starts.
    background_activities: int = 0
    # Extra latency per endpoint, ms: (("GET /rest/v1/activities/pagingtoken.json", 5000.0),)
    endpoint_latency_ms: tuple[tuple[str, float], ...] = ()
    # custom object types: the subscription's limits and the readings of Adobe's open rules
    custom_objects: ObjectSettings = ObjectSettings()  # noqa: RUF009 - frozen, so shared is safe
    state_file: Path | None = None

    def __repr__(self) -> str:
        # The client id and secret never appear in reprs, logs or errors.
        return (
            f"EmulatorConfig(token_ttl={self.token_ttl}, latency_ms={self.latency_ms}, "
            f"fault_rate={self.fault_rate}, seed={self.seed}, "
            f"rate_limit={self.rate_limit_calls}/{self.rate_limit_seconds}s, "
            f"max_concurrent={self.max_concurrent}, daily_quota={self.daily_quota}, "
            f"max_types={self.max_types}, leads={self.leads}, "
            f"reject_query_token={self.reject_query_token}, "
            f"strict_values={self.strict_values}, "
            f"record_visibility_delay={self.record_visibility_delay}, "
            f"string_values={self.string_values}, "
            f"background_activities={self.background_activities}, "
            f"endpoint_latency_ms={self.endpoint_latency_ms}, "
            f"custom_objects={self.custom_objects}, state_file={self.state_file})"
        )
