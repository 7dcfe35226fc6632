"""Hub and spoke: every spoke sends its traffic through the hub firewall."""

import pytest

HUB_FIREWALL_IP = "10.0.0.4"
HUB_GROUP = "rg-hub-connectivity-weu"


def _is_hub(vnet):
    return vnet.tags.get("role") == "hub"


@pytest.mark.resources("azurerm_route_table")
def test_default_route_goes_to_the_hub_firewall(resource):
    default = [r for r in resource.values["route"] if r["address_prefix"] == "0.0.0.0/0"]
    assert default, "no default route"
    assert default[0]["next_hop_type"] == "VirtualAppliance"
    assert default[0]["next_hop_in_ip_address"] == HUB_FIREWALL_IP


@pytest.mark.resources("azurerm_route_table")
def test_route_table_does_not_learn_gateway_routes(resource):
    assert resource.values["bgp_route_propagation_enabled"] is False


def test_there_is_exactly_one_hub(cloud):
    hubs = [v for v in cloud.resources("azurerm_virtual_network") if _is_hub(v)]
    assert [h.values["name"] for h in hubs] == ["vnet-hub-weu"]
    assert hubs[0].values["address_space"] == ["10.0.0.0/16"]


def test_spoke_address_spaces_follow_the_ip_plan(cloud):
    spaces = {"prod": "10.1.", "nonprod": "10.2."}
    for vnet in cloud.resources("azurerm_virtual_network"):
        if _is_hub(vnet):
            continue
        (space,) = vnet.values["address_space"]
        assert space.startswith(spaces[vnet.environment]), vnet.address
        assert space.endswith("/20"), vnet.address


@pytest.mark.resources("azurerm_virtual_network_peering")
def test_peering_settings(resource):
    v = resource.values
    assert v["allow_forwarded_traffic"] is True
    if v["resource_group_name"] != HUB_GROUP:  # a spoke's side, towards the hub
        assert v["use_remote_gateways"] is True
        assert v["remote_virtual_network_id"].endswith("/virtualNetworks/vnet-hub-weu")
    else:  # the hub side
        assert v["allow_gateway_transit"] is True
        assert v["use_remote_gateways"] is False


def test_gateways_only_in_the_hub(cloud):
    gateways = cloud.resources("azurerm_virtual_network_gateway", "azurerm_firewall", "azurerm_bastion_host")
    assert gateways
    assert {g.values["resource_group_name"] for g in gateways} == {HUB_GROUP}


@pytest.mark.resources("azurerm_subnet")
def test_subnets_have_no_default_outbound_internet_access(resource):
    assert resource.values["default_outbound_access_enabled"] is False
