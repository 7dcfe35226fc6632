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
from pytest_cloudcheck.model import Finding, Findings, Inventory
from pytest_cloudcheck.stash import SESSION


class _Computed:
    """Each family's findings, worked out once per run (a family's cases share them), and by check id.

    An xdist worker reads them from the files its controller wrote (served.py), so it loads the
    inventory only for a family the controller did not write."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self._served = request.config.stash[SESSION].served_in or {}
        self.findings: dict[str, Findings] = {}
        self.by_check: dict[str, dict[str, list[Finding]]] = {}

    def of_family(self, family: CheckFamily) -> Findings:
        if family.name not in self.findings:
            from pytest_cloudcheck.collector import collector_paused

            findings = None
            if family.name in self._served:  # an xdist worker its controller served (a serial run: never)
                from pytest_cloudcheck.served import served_findings

                findings = served_findings(self._served[family.name])
            if findings is None:
                inventory: Inventory = self._request.getfixturevalue("cloudcheck_inventory")
                # The collector paused while a family runs: the inventory is frozen (sources/build.py),
                # and collecting what a check allocates young costs ~10% of check time on big plans.
                # What survives (the findings, facts cached on resources) lives as long as the
                # inventory and holds no reference cycles (tests/test_real_plans.py): frozen too, so
                # the collections of the rest of the run (and pytest's at its end) skip it.
                with collector_paused(freeze=True):
                    findings = family.function(inventory)
            self.findings[family.name] = findings
        return self.findings[family.name]

    def of_check(self, family: CheckFamily, check_id: str) -> Findings:
        """One check id's findings of its family (grouped once: a family has a case per id)."""
        grouped = self.by_check.get(family.name)
        if grouped is None:
            grouped = self.by_check[family.name] = self.of_family(family).by_check()
        return Findings(grouped.get(check_id, ()))


@pytest.fixture(scope="module")
def baseline_findings(request: pytest.FixtureRequest) -> _Computed:
    return _Computed(request)


def _family_test(family: CheckFamily) -> Callable[..., None]:
    if family.per_id:

        def test(check_id: str, baseline_findings: _Computed) -> None:
            assert not baseline_findings.of_check(family, check_id)

    else:

        def test(baseline_findings: _Computed) -> None:  # type: ignore[misc]
            assert not baseline_findings.of_family(family)

    test.__name__ = test.__qualname__ = str(family.baseline)
    test.__doc__ = f"{family.title}: `checks.{family.name}` finds nothing."
    test.cloudcheck_family = family  # type: ignore[attr-defined]  # read by pytest_generate_tests
    return pytest.mark.audit(test) if family.advisory else test


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    family: CheckFamily | None = getattr(metafunc.function, "cloudcheck_family", None)
    if family is None or "check_id" not in metafunc.fixturenames:
        return
    # Without a source (inventory None) the plugin stops the run with a usage error naming the options.
    metafunc.parametrize("check_id", metafunc.config.stash[SESSION].baseline_ids(family))


globals().update({family.baseline: _family_test(family) for family in FAMILIES if family.baseline})
