"""Hub and spoke, read from the network graph: the `topology` fixture and `checks.hub_and_spoke`."""

import ipaddress

import pytest

from pytest_cloudcheck import checks

PLATFORM_RANGE = ipaddress.ip_network("10.0.0.0/8")


def test_the_hub_is_the_connectivity_vnet(topology):
    assert topology.hub is not None
    assert topology.hub.name == "vnet-hub-weu"
    assert {a.kind for a in topology.hub.appliances} >= {"firewall", "vpn_gateway", "bastion"}


def test_every_municipality_has_a_spoke_per_environment(topology):
    names = sorted(v.name for v in topology.spokes)
    assert names == [
        "vnet-almere-prod-weu",
        "vnet-almere-test-weu",
        "vnet-zaanstad-prod-weu",
        "vnet-zaanstad-test-weu",
    ]


def test_spokes_talk_to_the_hub_only(topology):
    for spoke in topology.spokes:
        remotes = {p.remote.name for p in spoke.peerings if p.remote is not None}
        assert remotes == {"vnet-hub-weu"}, spoke.address


def test_spokes_stay_in_the_platform_range(topology):
    for vnet in topology.vnets:
        assert all(net.subnet_of(PLATFORM_RANGE) for net in vnet.networks), vnet.address


@pytest.mark.resources("azurerm_network_interface")
def test_virtual_machines_sit_in_a_spoke(resource, topology):
    vnet = topology.vnet_of(resource)
    assert vnet is not None and vnet is not topology.hub


def test_hub_and_spoke_guardrails(cloud):
    assert not checks.hub_and_spoke(cloud)


def test_network_picture(topology):
    picture = topology.mermaid()
    assert picture.startswith("flowchart")
    assert picture.count("<-->") == len(topology.spokes)  # each spoke peered both ways with the hub
