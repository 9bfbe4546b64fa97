"""Print one table: workload, size, anju's figure, the anchor, the ratio, peak memory, machine.

Each module in BENCHMARKS exposes `run() -> list[dict]` with keys workload, size, anju,
anchor, anchor_name, ratio, peak_mb (figures in seconds unless the row says otherwise).
Each runs in its own subprocess so peak memory is per workload.
"""

import importlib
import json
import multiprocessing
import os
import platform
import subprocess
import sys

BENCHMARKS = [
    "bench.registry_import",
    "bench.scoring",
    "bench.selection",
    "bench.conflicts",
    "bench.packaging",
]


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def run_one(module: str) -> list[dict]:
    code = (
        "import json, sys, importlib; "
        f"rows = importlib.import_module({module!r}).run(); "
        "print('BENCH-ROWS ' + json.dumps(rows))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-ROWS "):
            return json.loads(line[len("BENCH-ROWS ") :])
    sys.stderr.write(result.stdout[-2000:] + result.stderr[-4000:])
    return [
        {"workload": module, "size": "", "anju": "failed", "anchor": "", "ratio": "", "peak_mb": ""}
    ]


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def main() -> int:
    importlib.import_module("bench")
    rows = []
    for module in BENCHMARKS:
        rows.extend(run_one(module))
    columns = ["workload", "size", "anju", "anchor", "ratio", "peak_mb"]
    headers = ["workload", "size", "anju (s)", "anchor (s)", "anju/anchor", "peak MB"]
    table = [[fmt(row.get(c, "")) for c in columns] for row in rows]
    anchors = [
        row.get("anchor_name", "") + (f" | {row['note']}" if row.get("note") else "")
        for row in rows
    ]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    print(f"machine: {machine()}")
    anchor_header = " | anchor" + (" | note" if any(row.get("note") for row in rows) else "")
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + anchor_header)
    print("-|-".join("-" * w for w in widths) + "-|-------")
    for line, anchor in zip(table, anchors, strict=True):
        print(" | ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)) + f" | {anchor}")
    return 0 if all(row.get("anju") != "failed" for row in rows) else 1


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
