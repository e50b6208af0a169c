"""activities send: records per second at Marketo's ceiling, validation speed, peak memory.

- **validation**: RecordSchema.check on parsed records, parsing included (json.loads per line),
  and the generated pydantic model for comparison. Goal: at least 100,000 records/s.
- **send 59,700** at the emulator's default limits (100 calls per 20 s, 10 concurrent) with
  20 ms latency, validation on: the one call that confirms the type id before the first batch
  (as the lock file gives it) and 199 batches of 300 records are 200 calls, one full window, so
  the lower bound is 20 s. Goal: bound/wall >= 0.9, and no 606 or 615.
- **read-back calls per lost batch** against background activity: 100,000 activities of other
  types on the instance (1,000,000 does not fit this machine's memory and time; the cost is
  linear: one paging token plus one call per 300 activities in the window), and a batch of 300
  records on 300 leads whose answer was lost.
- **peak memory** of the sending process for 60,000 and 600,000 records (flat), against an
  emulator whose window is wide (the 600,000 would otherwise take 400 s of pacing).

The emulator runs in its own process; each send runs in a child process, which reports its
wall time and peak RSS.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from framework.definitions.model import ActivityType
from framework.records.schema import RecordSchema

DEFINITION = {
    "version": 1, "apiName": "benchRecord", "name": "Bench Record",
    "triggerName": "Does Bench Record", "filterName": "Did Bench Record",
    "primaryAttribute": {"apiName": "label", "name": "Label", "dataType": "string"},
    "attributes": [
        {"apiName": "seats", "name": "Seats", "dataType": "integer"},
        {"apiName": "price", "name": "Price", "dataType": "currency"},
        {"apiName": "paid", "name": "Paid", "dataType": "boolean"},
        {"apiName": "contact", "name": "Contact", "dataType": "email"},
        {"apiName": "day", "name": "Day", "dataType": "date"},
        {"apiName": "started", "name": "Started", "dataType": "datetime"},
    ],
}
LEADS = 100_000
# 199 batches of 300 and the call that confirms the type id: 200 calls, one window.
AT_CEILING = 59_700
BACKGROUND = 100_000
LATENCY_MS = 20
BOUND_SECONDS = 20.0


def _definition() -> ActivityType:
    return ActivityType.model_validate(DEFINITION)


def _records(count: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    return [{"leadId": rng.randint(1, LEADS),
             "activityDate": f"2026-09-{1 + i % 28:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:"
                             f"{i % 60:02d}+02:00",
             "primaryAttributeValue": f"Seat {i}",
             "attributes": {"seats": rng.randint(1, 9), "price": round(rng.random() * 99, 2),
                            "paid": i % 3 == 0, "contact": f"person{i}@example.com",
                            "day": "2026-09-30", "started": "2026-09-30T18:00:00Z"}}
            for i in range(count)]


def _write(path: Path, count: int) -> None:
    with path.open("w") as handle:
        for record in _records(count):
            handle.write(json.dumps(record) + "\n")


# -- validation -------------------------------------------------------------------------


def _validation_rows() -> list[dict[str, str]]:
    schema = RecordSchema(_definition())
    records = _records(200_000)
    lines = [json.dumps(r).encode() for r in records]
    checked = _rate(lambda: [schema.check(record) for record in records], len(records))
    parsed = _rate(lambda: [schema.check(json.loads(line)) for line in lines], len(lines))
    model = _model_rate(records[:50_000])
    case = "200,000 records, 6 attributes"
    return [
        {"benchmark": "send: validation", "case": case,
         "result": f"{checked[0]:,.0f} records/s per CPU second ({checked[1]:,.0f}/s wall); "
                   f"with JSON parsing {parsed[0]:,.0f}/s ({parsed[1]:,.0f}/s wall); "
                   "goal >= 100,000/s"},
        {"benchmark": "send: validation", "case": "the generated pydantic model",
         "result": f"{model[0]:,.0f} records/s per CPU second ({model[1]:,.0f}/s wall), "
                   "model_validate of the same records"},
    ]


def _rate(work: Any, count: int, repeat: int = 3) -> tuple[float, float]:
    """(records per CPU second, per wall second), the best of `repeat` runs: the machine may
    be shared, and the best run is the one least disturbed."""
    cpu_best = wall_best = float("inf")
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        cpu_best = min(cpu_best, time.process_time() - cpu)
        wall_best = min(wall_best, time.perf_counter() - wall)
    return count / cpu_best, count / wall_best


def _model_rate(records: list[dict[str, Any]]) -> tuple[float, float]:
    from framework.records.codegen import render_module

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench_models.py"
        path.write_text(render_module([_definition()], "activities", str(path)))
        namespace: dict[str, Any] = {"__name__": "bench_models"}
        sys.modules["bench_models"] = type(sys)("bench_models")
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102
        model = namespace["BenchRecord"]
        model.model_rebuild(_types_namespace=namespace)
    flat = [{"leadId": r["leadId"], "activityDate": r["activityDate"],
             "label": r["primaryAttributeValue"], **r["attributes"]} for r in records]
    return _rate(lambda: [model.model_validate(fields) for fields in flat], len(flat))


# -- sending ----------------------------------------------------------------------------


class _Emulator:
    client_id, client_secret = "local-client", "local-secret"

    def __init__(self, *options: str, fresh_window: bool = False) -> None:
        self.options = options
        self.fresh_window = fresh_window

    def __enter__(self) -> _Emulator:
        command = [sys.executable, "-m", "framework", "emulator", "--port", "0",
                   "--leads", str(LEADS), *self.options]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                                        stderr=subprocess.DEVNULL)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        self.type_id = self._install()
        if self.fresh_window:
            # The 3 set-up calls must leave the emulator's 20 s window before the send starts.
            time.sleep(BOUND_SECONDS + 0.5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(60)

    def _install(self) -> int:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            token = http.get("/identity/oauth/token", params={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret}).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            base = "/rest/v1/activities/external/type"
            body = {k: v for k, v in DEFINITION.items() if k not in ("version", "attributes")}
            created = http.post(f"{base}.json", headers=auth, json=body).json()
            http.post(f"{base}/benchRecord/attributes/create.json", headers=auth,
                      json={"attributes": DEFINITION["attributes"]})
            http.post(f"{base}/benchRecord/approve.json", headers=auth)
            return int(created["result"][0]["id"])

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/_emulator/stats").json()  # type: ignore[no-any-return]

    def stored(self) -> int:
        reply = httpx.get(f"{self.url}/_emulator/records", params={"type": "benchRecord"},
                          timeout=120)
        return len(reply.json()["records"])


def _send_in_child(emulator: _Emulator, records: Path, calls_per_20s: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", emulator.url, str(records),
               str(emulator.type_id), str(calls_per_20s)]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent.parent)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _child(url: str, records: str, type_id: str, calls_per_20s: str) -> None:
    from framework.client.marketo import MarketoClient, Pacing
    from framework.environment import Target
    from framework.records.api import confirm_type_id
    from framework.records.sender import send_file
    from framework.settings import Settings

    async def go() -> dict[str, Any]:
        path = Path(records)
        pacing = Pacing(calls_per_window=int(calls_per_20s))
        target = Target("endpoint", url, _Emulator.client_id, _Emulator.client_secret, pacing)
        async with MarketoClient(url, _Emulator.client_id, _Emulator.client_secret,
                                 pacing=pacing) as client:
            started = time.perf_counter()
            # As `activities send` does: the lock's id confirmed by one read, then the batches.
            confirmed = await confirm_type_id(client, Settings(), target, "benchRecord",
                                              int(type_id))
            report = await send_file(
                client, RecordSchema(_definition()), path, type_id=confirmed.type_id,
                journal=path.with_suffix(".journal.jsonl"), rejects=path.with_suffix(".rej"),
                described=confirmed.described)
            return {"wall": time.perf_counter() - started, "report": report.to_json(),
                    "calls": client.stats.snapshot()["calls"]}

    result = asyncio.run(go())
    result["peak_rss_mib"] = _peak_rss_mib()
    print(json.dumps(result))


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across
    exec from the parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _send_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    records = folder / f"records-{AT_CEILING}.jsonl"
    _write(records, AT_CEILING)
    with _Emulator("--latency-ms", str(LATENCY_MS), fresh_window=True) as emulator:
        result = _send_in_child(emulator, records, 100)
        errors = emulator.stats()["errors_by_code"]
        stored = emulator.stored()
    ratio = BOUND_SECONDS / result["wall"]
    limited = {code: errors.get(code, 0) for code in ("606", "615")}
    rows.append({
        "benchmark": f"send: {AT_CEILING:,} records",
        "case": f"100 calls/20 s, 10 concurrent, {LATENCY_MS} ms latency, validation on, "
                "type id confirmed by 1 call",
        "result": f"{result['wall']:.1f} s, bound {BOUND_SECONDS:g} s, bound/wall "
                  f"{ratio:.2f} (goal >= 0.9); {result['calls']} calls; 606: {limited['606']}, "
                  f"615: {limited['615']}; {stored:,} stored; "
                  f"{result['peak_rss_mib']:.0f} MiB peak RSS"})
    for count in (60_000, 600_000):
        path = folder / f"wide-{count}.jsonl"
        _write(path, count)
        with _Emulator("--rate-limit", "1000000/20") as emulator:
            result = _send_in_child(emulator, path, 1_000_000)
            stored = emulator.stored()
        rows.append({
            "benchmark": "send: peak memory",
            "case": f"{count:,} records (window wide open on both sides)",
            "result": f"{result['peak_rss_mib']:.0f} MiB peak RSS of the sender; "
                      f"{result['wall']:.1f} s; {stored:,} stored"})
        path.unlink()
    return rows


def _read_back_rows(folder: Path) -> list[dict[str, str]]:
    """A lost batch's read-back on a busy instance: calls and time."""
    from framework.client.marketo import MarketoClient, Pacing
    from framework.records.journal import open_journal
    from framework.records.sender import ReadBackOptions, send_file
    from framework.records.source import fingerprint

    path = folder / "lost.jsonl"
    rng = random.Random(3)
    records = [{"leadId": lead, "activityDate": "2026-09-01T10:00:00Z",
                "primaryAttributeValue": f"Seat {lead}",
                "attributes": {"seats": rng.randint(1, 9), "paid": lead % 2 == 0}}
               for lead in range(1, 301)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with _Emulator("--rate-limit", "1000000/20", "--max-concurrent", "10", "--string-values",
                   "--background-activities", str(BACKGROUND // 2)) as emulator:

        async def go() -> tuple[dict[str, Any], float]:
            pacing = Pacing(calls_per_window=1_000_000)
            async with MarketoClient(emulator.url, _Emulator.client_id,
                                     _Emulator.client_secret, pacing=pacing) as client:
                schema = RecordSchema(_definition())
                # The batch is stored, then its answer is lost: the journal says only `sent`.
                await client.add_record_batch([{**schema.check(r), "activityTypeId":
                                                emulator.type_id} for r in records])
                httpx.post(f"{emulator.url}/_emulator/background",
                           json={"count": BACKGROUND - BACKGROUND // 2}, timeout=120)
                journal = path.with_suffix(".journal.jsonl")
                writer, _ = open_journal(journal, path, {
                    "sha256": fingerprint(path), "instance": "", "typeId": emulator.type_id})
                await writer.write({"event": "sent", "batch": "1.1",
                                    "lines": list(range(1, 301)), "span": [1, 300],
                                    "sentAt": time.time() - 5})
                writer.close()
                started = time.perf_counter()
                report = await send_file(client, schema, path, type_id=emulator.type_id,
                                         journal=journal, rejects=path.with_suffix(".rej"),
                                         options=ReadBackOptions(read_back_budget=100_000))
                return report.to_json(), time.perf_counter() - started

        report, wall = asyncio.run(go())
    calls = report["readBackCalls"]
    per_million = 1 + 1_000_000 // 300 + 1
    return [{
        "benchmark": "send: read-back of a lost batch",
        "case": f"{BACKGROUND:,} background activities of other types in the window, 300 "
                "records on 300 leads",
        "result": f"{calls} calls ({report['found']} of 300 found, {report['batches']} sent "
                  f"again) in {wall:.1f} s with the window wide open: one paging token and one "
                  f"page per 300 activities; extrapolated to 1,000,000 activities about "
                  f"{per_million:,} calls (over the default budget of 1,000: the send stops, "
                  "resumable); read 30 leads at a time, as before, it was ten walks: about "
                  f"{10 * (calls - 1) + 1:,} calls here"}]


def run() -> list[dict[str, str]]:
    rows = _validation_rows()
    with tempfile.TemporaryDirectory() as folder:
        rows += _send_rows(Path(folder))
        rows += _read_back_rows(Path(folder))
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        sys.path.insert(0, str(Path(__file__).parent.parent))
        _child(*sys.argv[2:])
    else:
        for row in run():
            print(row)
