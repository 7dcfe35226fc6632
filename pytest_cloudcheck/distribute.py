"""pytest-xdist `--dist load` with the baseline's check families kept whole.

A baseline family's cases share one computation of the family per process (baseline/test_baseline.py
caches it): spread over two workers, every worker computes every family. `FamilyScheduling` hands
out each family's cases as one unit of work, so a family is computed once per run; every other test
is a unit of its own and goes to whichever worker is free, as `--dist load` sends it. Only the
default `load` mode is changed; `--dist loadscope`, `loadfile`, `loadgroup`, `worksteal`, `each` are
xdist's own (plugin.py).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

#: the baseline module's file name: its node id's folder part depends on the rootdir, the pytest
#: version and how it was named (`--pyargs`, a path), so only the name is compared
BASELINE_MODULE = "test_baseline.py"


def work_unit(nodeid: str) -> str:
    """The unit a test is scheduled in: its baseline family's test function, or the test itself.

    (A project's own `test_baseline.py` would see its parametrised cases kept together: still a
    valid `load` schedule, only a coarser one.)"""
    module, sep, rest = nodeid.partition("::")
    if sep and module.rpartition("/")[2] == BASELINE_MODULE:
        return module + sep + rest.partition("[")[0]
    return nodeid


class FamilyScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no annotations for it
    """`LoadScopeScheduling` whose scopes are `work_unit`s, handed out in collection order.

    Collection order, not the number of cases (`--loadscope-reorder`, an option of the `loadscope`
    mode): a family's cost is its first case, and the registry lists the costliest (cmk) first, so a
    free worker takes the next family while the other still computes its own.
    """

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(_InCollectionOrder(config), log)

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)


class _InCollectionOrder:
    """The run's config as the scheduler reads it, with `loadscopereorder` off."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self.option = copy.copy(config.option)
        self.option.loadscopereorder = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._config, name)
