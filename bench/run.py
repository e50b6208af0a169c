"""Run every benchmark in bench/ and print one table: `make bench`.

Each `bench/bench_*.py` defines `run() -> list[dict[str, str]]`; every row has the keys
`benchmark`, `case` and `result` (a short text of figures, e.g. "0.41 s, 12.3 MiB peak").
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _load(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(selected: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict[str, str]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and not any(name in path.stem for name in selected):
            continue
        started = time.perf_counter()
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        rows.extend(_load(path).run())
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    widths = [
        max(len(h), *(len(r[h]) for r in rows)) if rows else len(h)
        for h in ("benchmark", "case", "result")
    ]
    line = " | ".join(
        h.ljust(w) for h, w in zip(("benchmark", "case", "result"), widths, strict=True)
    )
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(
            " | ".join(
                row[h].ljust(w)
                for h, w in zip(("benchmark", "case", "result"), widths, strict=True)
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
