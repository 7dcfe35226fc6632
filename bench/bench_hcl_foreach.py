#!/usr/bin/env python3
"""HCL `for_each` over many elements (issue 17 target: 100k elements under 5 s).

    python bench/bench_hcl_foreach.py [--elements 100000] [--repeat 3]

Writes a one-file Terraform tree whose resource group takes `for_each = toset(local.names)` over
N generated names (N instances of one resource), loads it with the HCL source
(`build_inventory`, in a fresh process, so the parser's start-up is counted) and prints the
median wall and CPU seconds. Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TREE = """
locals {{
  # range() takes at most 1024 values (as in Terraform): rows x columns of names, cut to N
  names = slice(flatten([for i in range({rows}) : [for j in range({columns}) : "n${{i}}-${{j}}"]]), 0, {n})
}}

resource "azurerm_resource_group" "rg" {{
  for_each = toset(local.names)
  name     = "rg-${{each.key}}"
  location = "westeurope"
  tags     = {{ environment = "prod" }}
}}
"""

LOAD = """
import json, sys, time
from pathlib import Path
wall, cpu = time.perf_counter(), time.process_time()
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
inventory = build_inventory(Settings(hcl=[Path(sys.argv[1])]))
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "resources": len(inventory)}))
"""


def measure(elements: int, repeat: int, env: dict | None = None) -> dict:
    """Median wall and CPU seconds of loading one block with `for_each` over `elements` names."""
    with tempfile.TemporaryDirectory(prefix="bench-foreach-") as tmp:
        columns = min(elements, 1000)
        rows = -(-elements // columns)
        Path(tmp, "main.tf").write_text(TREE.format(n=elements, rows=rows, columns=columns))
        runs = []
        for _ in range(repeat):
            done = subprocess.run([sys.executable, "-c", LOAD, tmp], capture_output=True, text=True, env=env, cwd=tmp)
            if done.returncode != 0:
                raise SystemExit(f"load failed:\n{done.stderr[-3000:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    return {"elements": elements, "resources": runs[0]["resources"], "wall": wall, "cpu": cpu, "runs": repeat}


def report(result: dict) -> str:
    return (
        f"for_each over {result['elements']} elements: {result['resources']} resources, median "
        f"{result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU over {result['runs']} runs (target < 5 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(report(measure(args.elements, args.repeat)))


if __name__ == "__main__":
    main()
