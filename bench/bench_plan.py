#!/usr/bin/env python3
"""Benchmark: what the plugin adds to a pytest run on a plan, against a bare `json.load` of it.

    python bench/bench_plan.py                        # 1k, 10k and 50k resources
    python bench/bench_plan.py --sizes 1k,10k --repeat 5
    python bench/bench_plan.py --sizes 50k --xdist    # also the whole run with -n 2

For each size it generates a hub-and-spoke plan (bench/gen_plan.py, a copy of the shared
generator), then measures in fresh subprocesses, alternating, so every figure of issue 17's table
is taken under the same conditions in the same run:
  - a bare pytest start: one trivial test, no plugin (`PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`),
  - the whole run: `pytest -p pytest_cloudcheck.plugin --pyargs pytest_cloudcheck.baseline
    --cloudcheck-plan PLAN` (one process, only pytest and this plugin; the issue's four families
    by default, `--checks all` for every family of the baseline),
  - `json.load` of the file in a fresh interpreter (the yardstick: what any tool reading the plan pays),
  - the stages inside one process: import, parse, build (resources, marks, references),
    environments, and each check family on the loaded inventory.
Medians; ratios side by side:
  - added / json.load: (whole run - bare pytest start) / json.load   (target <= 1.0x at 10k, 50k);
    also in CPU time (user + system of the processes), steadier on a shared machine
  - whole / bare: whole run / bare pytest start                         (target <= 1.5x at 1k)
  - mem / json.load: peak RSS the whole run adds over a bare pytest start, over the peak RSS
    `json.load` adds over an empty interpreter                           (target <= 1.3x at 10k, 50k)
  - load mem / json.load: the same inside one process, the inventory's load alone (issue 2's figure)
With --compare TREE: the plugin of TREE too (an older commit), alternating, one row each.
With --xdist: the whole run with `-n 2` (pytest-xdist) next to the serial one (target: faster).
The package is byte-compiled first and PYTHONDONTWRITEBYTECODE is dropped for the measured
processes, as for a pip-installed plugin.
Not run in CI: machines here are noisy; quote the ratios, not the absolute times.
Linearity (every stage at most ~2x on a plan twice the size): `pytest bench/test_linear.py -s`.
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
SPOKES = {"1k": 22, "2k": 44, "10k": 226, "20k": 452, "50k": 1135}

# RSS now, in MiB (what the interpreter holds before the measured work).
RSS_NOW = "int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20"
PEAK = "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"

JSON_LOAD = f"""
import json, resource, sys, time
before = {RSS_NOW}
t, cpu = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as f:
    doc = json.load(f)
elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "rss_mb": {PEAK} - before}}))
"""

# The stages of a run inside one process. Parse and environments are timed by wrapping the module
# functions the loader calls (bench-side only: the package is not changed for it).
STAGES = f"""
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.registry import FAMILIES
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
import pytest_cloudcheck.sources.plan as plan_module
import pytest_cloudcheck.environments as environments
imported = time.perf_counter() - t
timed = {{}}

def timing(module, name):
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            timed[name] = timed.get(name, 0.0) + time.perf_counter() - t
    setattr(module, name, wrapper)

timing(plan_module, "read_json")
timing(environments, "classify")
before = {RSS_NOW}
t = time.perf_counter()
inventory = build_inventory(Settings(plan=[Path(sys.argv[1])]))
elapsed = time.perf_counter() - t
rss = {PEAK} - before
out = {{"import": imported, "seconds": elapsed, "parse": timed.get("read_json", 0.0),
        "environments": timed.get("classify", 0.0), "rss_mb": rss, "resources": len(inventory), "checks": {{}}}}
out["build"] = elapsed - out["parse"] - out["environments"]
for family in FAMILIES:
    if not family.baseline:
        continue
    t = time.perf_counter()
    findings = family.function(inventory)
    out["checks"][family.name] = {{"seconds": time.perf_counter() - t, "findings": len(findings)}}
print(json.dumps(out))
"""


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    command = [sys.executable, "-c", code, *args]
    # not run in the checkout: `-c` puts the working directory first on sys.path (--compare's tree would lose)
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env or ENV, cwd=tempfile.gettempdir()
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed(command: list[str], cwd: str, env: dict[str, str]) -> tuple[tuple[float, float], float, str]:
    """((wall, CPU seconds), peak RSS MiB, output) of one command (CPU: user + system of the process)."""
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        output = proc.stdout.read().decode() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime), usage.ru_maxrss / 1024, output


#: the whole run's tests: issue 17's four check families (and the environment coverage test), as its
#: table was measured; `--checks all` runs every family of the baseline
FOUR = "test_cmk or test_no_infra_backups or test_isolation or test_topology or test_every_resource"
SELECT: list[str] = ["-k", FOUR]

PYTEST = [sys.executable, "-m", "pytest", "-q", "--tb=line", "-p", "no:cacheprovider"]
# Python as users run it: bytecode written and read (an installed wheel has its .pyc files; this
# machine sets PYTHONDONTWRITEBYTECODE, which makes every run compile the plugin: ~90 ms at 1k)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"


def _compile_package(tree: Path | None = None) -> None:
    import compileall

    if tree is None:
        import pytest_cloudcheck

        tree = Path(pytest_cloudcheck.__file__).parent.parent
    compileall.compile_dir(str(tree / "pytest_cloudcheck"), quiet=1)


def _bare_start(empty: str) -> tuple[tuple[float, float], float]:
    """A pytest process with one trivial test and no plugin: the floor any pytest run pays."""
    seconds, rss, output = _timed([*PYTEST, "test_bare.py"], empty, ENV)
    if "1 passed" not in output:
        raise SystemExit(f"bare pytest run failed:\n{output[-2000:]}")
    return seconds, rss


def _whole_run(
    plan: Path, empty: str, workers: int = 0, env: dict[str, str] | None = None
) -> tuple[tuple[float, float], float]:
    """Wall time and peak RSS of one pytest process running the baseline (every built-in check).

    Only pytest and this plugin are loaded: other installed plugins (hypothesis' alone imports in
    0.65 s) would measure the machine's environment, not this tool."""
    command = [*PYTEST, "-p", "pytest_cloudcheck.plugin", "--pyargs", "pytest_cloudcheck.baseline",
               "--cloudcheck-plan", str(plan), "--cloudcheck-mode", "audit", *SELECT]  # fmt: skip
    if workers:
        command += ["-p", "xdist.plugin", "-n", str(workers)]
    seconds, rss, output = _timed(command, empty, env or ENV)
    if " passed" not in output or " error" in output:
        raise SystemExit(f"whole run failed:\n{output[-3000:]}")
    return seconds, rss


def _python_floor() -> float:
    """Peak RSS of an interpreter that only reads /proc (json.load's figure is measured above it)."""
    return _python(f"import resource, json; print(json.dumps({{'rss': {PEAK}}}))")["rss"]


def bench(size: str, repeat: int, workdir: Path, xdist: bool, trees: dict[str, dict[str, str]]) -> list[dict]:
    """One result per tree (label -> environment of its processes), measured alternately."""
    plan = workdir / f"plan-{size}.json"
    if not plan.exists():
        spokes = SPOKES[size]
        gen = [sys.executable, str(HERE / "gen_plan.py"), "--spokes", str(spokes), "--seed", "1", "-o", str(plan)]
        subprocess.run(gen, check=True)
        with plan.open("ab") as out:  # as `terraform show -json > plan.json` writes it
            out.write(b"\n")
    shared: dict[str, list] = {}
    by_tree: dict[str, dict[str, list]] = {label: {} for label in trees}

    def add(name: str, value: object, label: str | None = None) -> None:
        (shared if label is None else by_tree[label]).setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory() as empty:
        Path(empty, "test_bare.py").write_text("def test_bare():\n    pass\n")
        for _ in range(repeat):  # alternate, so drift of the machine hits every figure alike
            (bare_s, bare_cpu), bare_rss = _bare_start(empty)
            add("bare", bare_s)
            add("bare_cpu", bare_cpu)
            add("bare_rss", bare_rss)
            add("json", _python(JSON_LOAD, str(plan)))
            for label, env in trees.items():
                (whole_s, whole_cpu), whole_rss = _whole_run(plan, empty, env=env)
                add("whole", whole_s, label)
                add("whole_cpu", whole_cpu, label)
                add("whole_rss", whole_rss, label)
                add("stages", _python(STAGES, str(plan), env=env), label)
                if xdist:
                    (xdist_s, xdist_cpu), _ = _whole_run(plan, empty, workers=2, env=env)
                    add("xdist", xdist_s, label)
                    add("xdist_cpu", xdist_cpu, label)  # the controller's and its reaped workers' CPU time
    return [_result(size, plan, {**shared, **by_tree[label]}, xdist, label) for label in trees]


def _result(size: str, plan: Path, samples: dict[str, list], xdist: bool, label: str) -> dict:
    med = statistics.median
    stages = samples["stages"]
    json_s = med(j["seconds"] for j in samples["json"])
    json_rss = med(j["rss_mb"] for j in samples["json"])
    result = {
        "size": size,
        "label": label,
        "mb": plan.stat().st_size / 1e6,
        "resources": stages[0]["resources"],
        "bare_s": med(samples["bare"]),
        "whole_s": med(samples["whole"]),
        "xdist_s": med(samples["xdist"]) if xdist else None,
        "xdist_cpu_s": med(samples["xdist_cpu"]) if xdist else None,
        "whole_cpu_s": med(samples["whole_cpu"]),
        "json_load_s": json_s,
        "added_cpu_x": med(
            (w - b) / j["cpu"]
            for w, b, j in zip(samples["whole_cpu"], samples["bare_cpu"], samples["json"], strict=True)
        ),
        "json_rss_mb": json_rss,
        "added_rss_mb": med(w - b for w, b in zip(samples["whole_rss"], samples["bare_rss"], strict=True)),
        "load_rss_mb": med(s["rss_mb"] for s in stages),
        "stages": {
            name: med(s[name] for s in stages) for name in ("import", "parse", "build", "environments", "seconds")
        },
        "checks": {
            name: (med(s["checks"][name]["seconds"] for s in stages), stages[0]["checks"][name]["findings"])
            for name in stages[0]["checks"]
        },
    }
    return result


def report(results: list[dict]) -> str:
    header = (
        "| plan | code | resources | bare pytest start | whole run | json.load | (whole - bare) / json.load "
        "| same, CPU time | whole / bare | peak memory / json.load | load memory / json.load |"
    )
    lines = [header, "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        added = (r["whole_s"] - r["bare_s"]) / r["json_load_s"]
        lines.append(
            f"| {r['size']} ({r['mb']:.0f} MB) | {r['label']} | {r['resources']} | {r['bare_s']:.2f} s "
            f"| {r['whole_s']:.2f} s "
            f"| {r['json_load_s']:.2f} s | {added:.2f}x | {r['added_cpu_x']:.2f}x | {r['whole_s'] / r['bare_s']:.2f}x "
            f"| {r['added_rss_mb'] / r['json_rss_mb']:.2f}x ({r['added_rss_mb']:.0f} / {r['json_rss_mb']:.0f} MiB) "
            f"| {r['load_rss_mb'] / r['json_rss_mb']:.2f}x |"
        )
    lines.append("")
    lines.append("stages inside one process (median seconds; checks: seconds/findings):")
    for r in results:
        s = r["stages"]
        parts = [f"import {s['import']:.3f}", f"load {s['seconds']:.3f} (parse {s['parse']:.3f}, "
                 f"build {s['build']:.3f}, environments {s['environments']:.3f})"]  # fmt: skip
        parts += [f"{name} {seconds:.3f}/{findings}" for name, (seconds, findings) in r["checks"].items()]
        lines.append(f"  {r['size']:>4} {r['label']}: " + "; ".join(parts))
    for r in results:
        if r["xdist_s"] is not None:
            lines.append(
                f"  {r['size']:>4} {r['label']}: whole run serial {r['whole_s']:.2f} s, -n 2 {r['xdist_s']:.2f} s "
                f"({r['xdist_s'] / r['whole_s']:.2f}x serial); CPU serial {r['whole_cpu_s']:.2f} s, "
                f"-n 2 {r['xdist_cpu_s']:.2f} s"
            )
    return "\n".join(lines)


def hcl_figures(repeat: int, workdir: Path, trees: dict[str, dict[str, str]]) -> list[str]:
    """Issue 17's HCL figures, for the lines below the table: cold and warm loads of the 200-spoke
    tree (bench_hcl.py) and for_each over 100k elements (bench_hcl_foreach.py), per tree."""
    sys.path.insert(0, str(HERE))
    import bench_hcl
    import bench_hcl_foreach

    lines = ["", "HCL source (bench/bench_hcl.py: load in pytest_sessionstart; bench/bench_hcl_foreach.py):"]
    for label, env in trees.items():
        env = {k: v for k, v in env.items() if k != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}  # its runs load the plugin
        result = bench_hcl.measure(workdir / "hcltree", repeat, log=lambda m: print(m, file=sys.stderr), env=env)
        lines += [f"  {label}: {line.strip()}" for line in bench_hcl.report(result)]
        lines.append(f"  {label}: " + bench_hcl_foreach.report(bench_hcl_foreach.measure(100_000, repeat, env=env)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1k,10k,50k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cloudcheck-bench")
    parser.add_argument("--xdist", action="store_true", help="also the whole run with -n 2 (pytest-xdist)")
    parser.add_argument("--checks", choices=("four", "all"), default="four", help="the whole run's families")
    parser.add_argument(
        "--compare", type=Path, metavar="TREE",
        help="also measure the plugin in TREE (e.g. `git archive <commit> | tar -x -C TREE`), alternately",
    )  # fmt: skip
    parser.add_argument(
        "--hcl", action=argparse.BooleanOptionalAction, default=True,
        help="also the HCL figures (cold/warm load of the 200-spoke tree, for_each over 100k); --no-hcl skips them",
    )  # fmt: skip
    args = parser.parse_args()
    if args.checks == "all":
        SELECT.clear()
    args.workdir.mkdir(parents=True, exist_ok=True)
    # pytest's own temporary folders in one of the benchmark's: a `-n 2` run creates them and removes
    # the oldest: removing what a test-suite run left in /tmp made one -n 2 run 0.45 s slower
    temproot = args.workdir / "pytest-temproot"
    temproot.mkdir(exist_ok=True)
    ENV["PYTEST_DEBUG_TEMPROOT"] = str(temproot)
    _compile_package()
    trees = {"this": ENV}
    if args.compare is not None:
        _compile_package(args.compare)
        trees[args.compare.name] = {**ENV, "PYTHONPATH": str(args.compare.resolve())}
    floor = _python_floor()
    results = []
    for size in args.sizes.split(","):
        results.extend(bench(size, args.repeat, args.workdir, args.xdist, trees))
        print(f"[{size} done]", file=sys.stderr, flush=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, repeat {args.repeat} (medians); "
          f"empty interpreter peak {floor:.0f} MiB; whole run: {args.checks} check families")  # fmt: skip
    print(report(results))
    if args.hcl:
        print("\n".join(hcl_figures(args.repeat, args.workdir, trees)))


if __name__ == "__main__":
    main()
