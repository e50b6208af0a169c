"""Benchmark: `activities validate` on 10 and 1,000 generated definition files.

Time (wall and CPU) is measured without tracing, the best of five runs for the small folder;
peak memory in a separate run with tracemalloc, which slows Python down about threefold. A flat
CPU time per file shows the cost grows linearly. Each file is parsed, checked and dropped in
turn, so peak memory holds only the validated models.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from framework.definitions.loader import check_definitions
from framework.settings import Settings

SIZES = (10, 1000)
ATTRIBUTE_TYPES = ("string", "integer", "float", "boolean", "date", "datetime", "link", "email")


def definition(index: int) -> str:
    """A realistic definition with 8 attributes of different data types."""
    attributes = "".join(
        f"  - apiName: field{n}\n"
        f"    name: Field {n}\n"
        f"    description: Attribute {n} of type {index}\n"
        f"    dataType: {data_type}\n"
        for n, data_type in enumerate(ATTRIBUTE_TYPES)
    )
    return (
        "# yaml-language-server: $schema=.schema.json\n"
        "version: 1\n"
        f"apiName: type{index}\n"
        f"name: Type {index}\n"
        f"description: Generated type number {index}\n"
        f"triggerName: Does Thing {index}\n"
        f"filterName: Did Thing {index}\n"
        "primaryAttribute:\n"
        f"  apiName: primary{index}\n"
        "  name: Primary\n"
        "  dataType: string\n"
        f"attributes:\n{attributes}"
        "protect: false\n"
        "ensure: present\n"
    )


def _generate(folder: Path, count: int) -> None:
    folder.mkdir()
    for index in range(count):
        (folder / f"type{index}.yaml").write_text(definition(index), encoding="utf-8")


def _measure(folder: Path, count: int) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) for checking `folder`; times are the best run."""
    settings = Settings(max_types=count)
    wall = cpu = float("inf")
    for _ in range(5 if count <= 100 else 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = check_definitions(folder, settings)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
        if result.problems or len(result.files) != count:
            raise RuntimeError(f"generated definitions are invalid: {result.problems[:3]}")
    tracemalloc.start()
    check_definitions(folder, settings)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak


def run() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    per_file: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            folder = Path(tmp) / f"n{count}"
            _generate(folder, count)
            wall, cpu, peak = _measure(folder, count)
            per_file[count] = cpu / count
            rows.append(
                {
                    "benchmark": "validate",
                    "case": f"{count:,} files",
                    "result": f"{wall:.3f} s wall, {cpu:.3f} s CPU "
                    f"({per_file[count] * 1000:.2f} ms/file), {peak:.1f} MiB peak",
                }
            )
    # CPU time, not wall time: other processes on the machine must not bend the ratio.
    ratio = per_file[SIZES[-1]] / per_file[SIZES[0]]
    rows.append(
        {
            "benchmark": "validate",
            "case": f"CPU per file, {SIZES[-1]:,} vs {SIZES[0]} files",
            "result": f"x{ratio:.2f} (1.00 = perfectly linear)",
        }
    )
    return rows
