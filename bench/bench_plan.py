#!/usr/bin/env python3
"""Benchmark: loading a plan and running every built-in check, against a bare `json.load`.

    python bench/bench_plan.py                 # 1k, 10k and 50k resources
    python bench/bench_plan.py --sizes 1k,10k --repeat 5

For each size it generates a hub-and-spoke plan (bench/gen_plan.py, a copy of the shared
generator), then measures in fresh subprocesses, alternating, so every figure is taken under the
same conditions in the same run:
  - `json.load` of the file (the yardstick: what any tool reading the plan pays),
  - `build_inventory` (our load: parse, unknown/sensitive marking, resources, environments),
  - each check family on the loaded inventory,
  - a whole `pytest --pyargs pytest_cloudcheck.baseline` run (every built-in check, one process),
and prints medians with ratios to `json.load`, plus peak memory (max RSS) ratios.
Targets (issue 2): load <= 1.0x json.load at 10k and 50k, memory <= 1.5x, whole run <= 1.5x.
Not run in CI: machines here are noisy; quote the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPOKES = {"1k": 22, "10k": 226, "50k": 1135}

# Memory: peak RSS during the load minus the RSS before it (imports excluded: what the loaded
# data costs, not what importing pytest costs).
RSS_NOW = "int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20"

JSON_LOAD = (
    """
import json, resource, sys, time
before = """
    + RSS_NOW
    + """
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    doc = json.load(f)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before}))
"""
)

OUR_LOAD = (
    """
import json, resource, sys, time
from pathlib import Path
import_start = time.perf_counter()
from pytest_cloudcheck import checks
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
before = """
    + RSS_NOW
    + """
t = time.perf_counter()
inventory = build_inventory(Settings(plan=[Path(sys.argv[1])]))
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
out = {"seconds": elapsed, "rss_mb": rss, "resources": len(inventory), "checks": {}}
for name, check in sorted(checks.ALL.items()):
    t = time.perf_counter()
    try:
        findings = check(inventory)
        out["checks"][name] = {"seconds": time.perf_counter() - t, "findings": len(findings)}
    except NotImplementedError:
        out["checks"][name] = {"seconds": None, "findings": None}
print(json.dumps(out))
"""
)


def _python(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _whole_run(plan: Path) -> float:
    """Wall time of one pytest process running the baseline (every built-in check) on the plan.

    Only pytest and this plugin are loaded: other installed plugins (hypothesis' alone imports in
    0.65 s) would measure the machine's environment, not this tool."""
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "pytest_cloudcheck.plugin", "--pyargs",
               "pytest_cloudcheck.baseline", "--cloudcheck-plan", str(plan), "-q", "--tb=no",
               "-p", "no:cacheprovider", "--cloudcheck-mode", "audit"]  # fmt: skip
    with tempfile.TemporaryDirectory() as empty:
        start = time.perf_counter()
        subprocess.run(command, cwd=empty, capture_output=True, text=True, check=False, env=env)
        return time.perf_counter() - start


def _baseline_available() -> bool:
    try:
        import pytest_cloudcheck.baseline  # noqa: F401
    except ImportError:
        return False
    return True


def bench(size: str, repeat: int, workdir: Path, whole: bool) -> dict:
    plan = workdir / f"plan-{size}.json"
    if not plan.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_plan.py"), "--spokes", str(SPOKES[size]), "--seed", "1", "-o", str(plan)],
            check=True,
        )
    bare, ours, runs = [], [], []
    for _ in range(repeat):  # alternate, so drift of the machine hits both alike
        bare.append(_python(JSON_LOAD, str(plan)))
        ours.append(_python(OUR_LOAD, str(plan)))
        if whole:
            runs.append(_whole_run(plan))
    med = statistics.median
    result = {
        "size": size,
        "mb": plan.stat().st_size / 1e6,
        "resources": ours[0]["resources"],
        "json_load_s": med(b["seconds"] for b in bare),
        "load_s": med(o["seconds"] for o in ours),
        "json_rss_mb": med(b["rss_mb"] for b in bare),
        "load_rss_mb": med(o["rss_mb"] for o in ours),
        "checks": {
            name: (
                med(o["checks"][name]["seconds"] for o in ours)
                if ours[0]["checks"][name]["seconds"] is not None
                else None,
                ours[0]["checks"][name]["findings"],
            )
            for name in ours[0]["checks"]
        },
        "whole_run_s": med(runs) if runs else None,
    }
    return result


def report(results: list[dict]) -> str:
    lines = [
        f"{'size':>5} {'MB':>6} {'resources':>9} {'json.load':>9} {'load':>7} {'ratio':>6} "
        f"{'mem ratio':>9} {'whole run':>9} {'ratio':>6}",
    ]
    for r in results:
        whole = r["whole_run_s"]
        lines.append(
            f"{r['size']:>5} {r['mb']:6.1f} {r['resources']:9d} {r['json_load_s']:8.2f}s {r['load_s']:6.2f}s "
            f"{r['load_s'] / r['json_load_s']:5.2f}x {r['load_rss_mb'] / r['json_rss_mb']:8.2f}x "
            + (f"{whole:8.2f}s {whole / r['json_load_s']:5.2f}x" if whole else f"{'n/a':>9} {'':>6}")
        )
    lines.append("")
    lines.append("check cost on the loaded inventory (median seconds, findings, ratio to json.load):")
    for r in results:
        parts = []
        for name, (seconds, findings) in sorted(r["checks"].items()):
            parts.append(
                f"{name} {seconds:.3f}s/{findings} ({seconds / r['json_load_s']:.2f}x)"
                if seconds is not None
                else f"{name} not implemented"
            )
        lines.append(f"  {r['size']:>4}: " + "; ".join(parts))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1k,10k,50k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cloudcheck-bench")
    parser.add_argument("--no-whole-run", action="store_true", help="skip the whole pytest run")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    whole = not args.no_whole_run and _baseline_available()
    results = []
    for size in args.sizes.split(","):
        results.append(bench(size, args.repeat, args.workdir, whole))
        print(f"[{size} done]", file=sys.stderr, flush=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, repeat {args.repeat} (medians)")
    print(report(results))


if __name__ == "__main__":
    main()
