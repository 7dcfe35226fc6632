"""Baseline: the network is one hub with spokes that go through it.

One test per topology check id (`test_topology[topology.unpeered_spoke]`, ...,
`test_topology[topology.subnet_nsg]`); a failing test lists its findings, one VNet, subnet, peering
or route table a line. Values unknown at plan time fail too. The hub comes from `cloudcheck_hub`
or, without it, is the only VNet holding an Azure Firewall (else a VPN/ExpressRoute gateway).
"""

from __future__ import annotations

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.topology import CHECK_IDS
from pytest_cloudcheck.model import Findings, Inventory


@pytest.fixture(scope="module")
def topology_findings(cloudcheck_inventory: Inventory) -> Findings:
    return checks.hub_and_spoke(cloudcheck_inventory)


@pytest.mark.parametrize("topology_check", CHECK_IDS)
def test_topology(topology_check: str, topology_findings: Findings) -> None:
    findings = Findings(f for f in topology_findings if f.check == topology_check)
    assert not findings
