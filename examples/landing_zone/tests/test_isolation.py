"""NonProd is isolated from Prod, and infrastructure is not backed up (the platform squad's rules).

"Data in NonProd mag uitlekken. NonProd heeft geen SLA." The hub is the shared platform
(`cloudcheck_shared = ^rg-hub-` in pytest.ini): both environments peer with it, never with
each other.
"""

import pytest

from pytest_cloudcheck import checks


def test_nonprod_is_isolated_from_prod(cloud):
    assert not checks.nonprod_isolation(cloud)


def test_every_resource_has_an_environment(cloud):
    assert not checks.unclassified(cloud)


def test_no_infrastructure_backups(cloud):
    assert not checks.no_infra_backups(cloud)


@pytest.mark.environment("shared")
def test_the_hub_is_the_only_shared_network(cloud):
    assert [v.name for v in cloud.resources("azurerm_virtual_network")] == ["vnet-hub-weu"]


@pytest.mark.environment("nonprod")
@pytest.mark.resources("azurerm_virtual_network_peering")
def test_nonprod_peers_only_with_the_hub(resource):
    assert resource.values["remote_virtual_network_id"].endswith("/virtualNetworks/vnet-hub-weu")
