"""Baseline: one test per check family of the registry, one case per check id.

`test_cmk[cmk.storage_account]`, `test_no_infra_backups[backup.vm_backup]`,
`test_isolation[isolation.peering]`, `test_topology[topology.subnet_nsg]`, ...: a failing case lists
its findings, one resource a line. Findings unknown at plan time, outside the inventory or not
assessed fail too: never a silent pass. `test_every_resource_has_an_environment` lists what no
subscription mapping, tag, naming convention or resource group classified. An advisory family's
test is audit-marked: its findings are reported, they do not fail the run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pytest_cloudcheck.checks.registry import FAMILIES, CheckFamily
from pytest_cloudcheck.collector import collector_paused
from pytest_cloudcheck.model import Finding, Findings, Inventory
from pytest_cloudcheck.stash import SESSION


class _Computed:
    """Each family's findings, computed once per run (a family's cases share them), and by check id."""

    def __init__(self) -> None:
        self.findings: dict[str, Findings] = {}
        self.by_check: dict[str, dict[str, list[Finding]]] = {}


@pytest.fixture(scope="module")
def baseline_findings(cloudcheck_inventory: Inventory) -> _Computed:
    return _Computed()


def _findings_of(family: CheckFamily, cache: _Computed, inventory: Inventory) -> Findings:
    if family.name not in cache.findings:
        # The collector paused while a family runs: the inventory is frozen (sources/build.py), and
        # what a check allocates is short-lived; collecting it young costs ~10% of check time on
        # big plans. Cycles left behind are collected once it is back on.
        with collector_paused():
            cache.findings[family.name] = family.function(inventory)
    return cache.findings[family.name]


def _of_check(family: CheckFamily, check_id: str, cache: _Computed, inventory: Inventory) -> Findings:
    """One check id's findings of its family (grouped once: a family has a case per id)."""
    grouped = cache.by_check.get(family.name)
    if grouped is None:
        grouped = cache.by_check[family.name] = _findings_of(family, cache, inventory).by_check()
    return Findings(grouped.get(check_id, ()))


def _family_test(family: CheckFamily) -> Callable[..., None]:
    if family.per_id:

        def test(check_id: str, baseline_findings: _Computed, cloudcheck_inventory: Inventory) -> None:
            assert not _of_check(family, check_id, baseline_findings, cloudcheck_inventory)

    else:

        def test(baseline_findings: _Computed, cloudcheck_inventory: Inventory) -> None:  # type: ignore[misc]
            assert not _findings_of(family, baseline_findings, cloudcheck_inventory)

    test.__name__ = test.__qualname__ = str(family.baseline)
    test.__doc__ = f"{family.title}: `checks.{family.name}` finds nothing."
    test.cloudcheck_family = family  # type: ignore[attr-defined]  # read by pytest_generate_tests
    return pytest.mark.audit(test) if family.advisory else test


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    family: CheckFamily | None = getattr(metafunc.function, "cloudcheck_family", None)
    if family is None or "check_id" not in metafunc.fixturenames:
        return
    # Without a source (inventory None) the plugin stops the run with a usage error naming the options.
    metafunc.parametrize("check_id", family.check_ids_for(metafunc.config.stash[SESSION].inventory))


globals().update({family.baseline: _family_test(family) for family in FAMILIES if family.baseline})
