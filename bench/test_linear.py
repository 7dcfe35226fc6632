"""Every stage is linear in the inventory: doubling a generated plan at most ~doubles its time.

    pytest bench/test_linear.py -p no:cacheprovider -q -s     (with the benchmark; not in CI)

The hub-and-spoke generator (bench/gen_plan.py) writes a plan of N spokes and one of 2N; each stage
(load, environments, topology, every check family of the registry) is timed on both in this
process, best of a few rounds of CPU time. A linear stage gives a ratio near 2, a quadratic one
near 4: the bound (2.6, plus a little slack for stages that take milliseconds) tells them apart
on a noisy machine. Set CLOUDCHECK_LINEAR_SPOKES to change N (default 113: ~5k and ~10k resources).

The HCL source is doubled the same way on the shared HCL generator's trees (CLOUDCHECK_LINEAR_HCL_SPOKES,
default 25 and 50 spokes: ~1.1k and ~2.2k resources): its load with every file's parse already in
the cache (evaluation, validation, the configuration section; python-hcl2's parser is not ours,
and each file is parsed on its own), and the reuse of a kept load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_cloudcheck.checks.registry import FAMILIES
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

HERE = Path(__file__).resolve().parent
SPOKES = int(os.environ.get("CLOUDCHECK_LINEAR_SPOKES", "113"))
HCL_GENERATOR = Path("/work/shared/bench/gen_hcl.py")
HCL_SPOKES = int(os.environ.get("CLOUDCHECK_LINEAR_HCL_SPOKES", "25"))
ROUNDS = 3
BOUND = 2.6
SLACK_S = 0.02


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("linear")
    paths = []
    for spokes in (SPOKES, 2 * SPOKES):
        path = out / f"plan-{spokes}.json"
        gen = [sys.executable, str(HERE / "gen_plan.py"), "--spokes", str(spokes), "--seed", "1", "-o", str(path)]
        subprocess.run(gen, check=True, capture_output=True)
        paths.append(path)
    return paths[0], paths[1]


def _best(run: Callable[[Any], Any], prepare: Callable[[], Any]) -> float:
    """The least CPU time of `run(prepare())` over a few rounds (prepare is not timed)."""
    times = []
    for _ in range(ROUNDS):
        arg = prepare()
        started = time.process_time()
        run(arg)
        times.append(time.process_time() - started)
    return min(times)


def _load(path: Path) -> Any:
    return build_inventory(Settings(plan=[path]))


def _stages() -> dict[str, Callable[[Any], Any]]:
    from pytest_cloudcheck.environments import classify
    from pytest_cloudcheck.topology import Topology

    stages: dict[str, Callable[[Any], Any]] = {"environments": classify, "topology": Topology}
    stages.update({f.name: f.function for f in FAMILIES if f.baseline})
    return stages


def _assert_linear(name: str, small: float, large: float) -> None:
    print(f"{name}: {small:.3f} s -> {large:.3f} s ({large / max(small, 1e-9):.2f}x)")  # shown with -s
    assert large <= BOUND * small + SLACK_S, (
        f"{name}: {small:.3f} s on {SPOKES} spokes, {large:.3f} s on {2 * SPOKES} "
        f"({large / max(small, 1e-9):.2f}x; linear is ~2x, allowed {BOUND}x + {SLACK_S} s)"
    )


def test_load_is_linear(plans):
    small, large = (_best(_load, lambda p=p: p) for p in plans)
    _assert_linear("load", small, large)


@pytest.mark.parametrize("stage", sorted(_stages()))
def test_stage_is_linear(plans, stage):
    run = _stages()[stage]
    # a fresh inventory each round: facts and indexes are cached on it
    small, large = (_best(run, lambda p=p: _load(p)) for p in plans)
    _assert_linear(stage, small, large)


class _Cache(dict):
    """A get/set store of parsed files (no `mkdir`: loads are evaluated, never reused)."""

    def set(self, key: str, value: Any) -> None:
        self[key] = value


class _FolderCache(_Cache):
    """pytest's cache as the HCL source uses it (`mkdir`): whole loads are kept and reused."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def mkdir(self, name: str) -> Path:
        (self.path / name).mkdir(parents=True, exist_ok=True)
        return self.path / name


@pytest.fixture(scope="module")
def hcl_trees(tmp_path_factory) -> tuple[Path, Path]:
    if not HCL_GENERATOR.is_file():
        pytest.skip(f"no HCL generator at {HCL_GENERATOR}")
    out = tmp_path_factory.mktemp("linear-hcl")
    for spokes in (HCL_SPOKES, 2 * HCL_SPOKES):
        gen = [sys.executable, str(HCL_GENERATOR), "--spokes", str(spokes), "--seed", "1", "-o", str(out / str(spokes))]
        subprocess.run(gen, check=True, capture_output=True)
    return out / str(HCL_SPOKES), out / str(2 * HCL_SPOKES)


def test_hcl_load_is_linear(hcl_trees):
    from pytest_cloudcheck.sources.hcl import load_hcl_folder

    cache = _Cache()
    settings = Settings(cache=cache)
    for tree in hcl_trees:
        load_hcl_folder(tree, settings=settings)  # parse every file once, untimed
    small, large = (_best(lambda t: load_hcl_folder(t, settings=settings), lambda t=t: t) for t in hcl_trees)
    _assert_linear("hcl load (parse cached)", small, large)


def test_hcl_reuse_is_linear(hcl_trees, tmp_path):
    from pytest_cloudcheck.sources.hcl import load_hcl_folder

    settings = Settings(cache=_FolderCache(tmp_path))
    for tree in hcl_trees:
        load_hcl_folder(tree, settings=settings)  # kept, untimed
        assert any("nothing it read has changed" in n for n in load_hcl_folder(tree, settings=settings).info.notes)
    small, large = (_best(lambda t: load_hcl_folder(t, settings=settings), lambda t=t: t) for t in hcl_trees)
    _assert_linear("hcl reuse of a kept load", small, large)
