"""pytest-xdist `--dist load` with the baseline's check families kept whole.

A baseline family's cases share one computation of the family per process (baseline/test_baseline.py
caches it): spread over two workers, every worker computes every family. `FamilyScheduling` hands
out each family's cases together, so a family is computed once per run; every other test is sent as
`--dist load` sends it. Only the `load` mode (what `-n` uses) is changed; `--dist loadscope`,
`loadfile`, `loadgroup`, `worksteal` and `each` are xdist's own (plugin.py).
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadScheduling  # type: ignore[import-untyped]

#: the baseline module's file name: its node id's folder part depends on the rootdir, the pytest
#: version and how it was named (`--pyargs`, a path), so only the name is compared
BASELINE_MODULE = "test_baseline.py"


def _baseline_case(nodeid: str) -> tuple[str, str] | None:
    """(module part, test function) of a case in the baseline module; None for any other test."""
    module, sep, rest = nodeid.partition("::")
    if not sep or module.rpartition("/")[2] != BASELINE_MODULE:
        return None
    return module, rest.partition("[")[0]


def work_unit(nodeid: str) -> str:
    """The unit a test is scheduled in: its baseline family's test function, or the test itself.

    (A project's own `test_baseline.py` would see its parametrised cases kept together: still a
    valid `load` schedule, only a coarser one.)"""
    case = _baseline_case(nodeid)
    return nodeid if case is None else f"{case[0]}::{case[1]}"


def baseline_family(nodeid: str) -> str | None:
    """The check family a baseline case tests (None: not a baseline case)."""
    case = _baseline_case(nodeid)
    if case is None:
        return None
    from .checks.registry import FAMILIES

    return next((family.name for family in FAMILIES if family.baseline == case[1]), None)


class FamilyScheduling(LoadScheduling):  # type: ignore[misc]  # xdist ships no annotations for it
    """xdist's `LoadScheduling` (same chunks, same heuristics), except that a chunk never ends in
    the middle of a `work_unit`: it is extended to the unit's last test. A project's own tests are
    units of one, so they are sent exactly as `--dist load` sends them."""

    def _send_tests(self, node: Any, num: int) -> None:
        pending, collection = self.pending, self.collection
        end = min(num, len(pending))
        if collection is not None and end > 0:
            last = work_unit(collection[pending[end - 1]])
            while end < len(pending) and work_unit(collection[pending[end]]) == last:
                end += 1
        super()._send_tests(node, end)
