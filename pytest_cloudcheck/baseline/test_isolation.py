"""Baseline: NonProd is isolated from Prod, and every resource has an environment.

One test per isolation check id (`test_isolation[isolation.peering]`, ...): a failing test lists
its findings, naming both sides and how they are joined. Links whose other end is unknown at plan
time fail too. `test_every_resource_has_an_environment` lists what no subscription mapping, tag,
naming convention or resource group classified: isolation cannot vouch for those.
"""

from __future__ import annotations

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.isolation import CHECK_IDS
from pytest_cloudcheck.model import Findings, Inventory


@pytest.fixture(scope="module")
def isolation_findings(cloudcheck_inventory: Inventory) -> Findings:
    return checks.nonprod_isolation(cloudcheck_inventory)


@pytest.mark.parametrize("isolation_check", CHECK_IDS)
def test_isolation(isolation_check: str, isolation_findings: Findings) -> None:
    findings = Findings(f for f in isolation_findings if f.check == isolation_check)
    assert not findings


def test_every_resource_has_an_environment(cloudcheck_inventory: Inventory) -> None:
    assert not checks.unclassified(cloudcheck_inventory)
