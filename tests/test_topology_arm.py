"""The topology on ARM-shaped values: azapi resources in plans, and live Azure resources.

ARM shape: `properties.addressSpace.addressPrefixes`, `properties.subnets[].properties.routeTable.id`,
`properties.remoteVirtualNetwork.id`, ... The live source gives a VNet's subnets and peerings both
inline and as child resources; they count once.
"""

from __future__ import annotations

from typing import Any

from planbuilder import PlanBuilder

from pytest_cloudcheck.checks.topology import hub_and_spoke
from pytest_cloudcheck.links import BY_REFERENCE
from pytest_cloudcheck.model import Inventory, Resource
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.topology import topology_of

SUB = "00000000-0000-0000-0000-00000000bbbb"
RG = f"/subscriptions/{SUB}/resourceGroups"
NET = "providers/Microsoft.Network"
HUB = f"{RG}/rg-hub/{NET}/virtualNetworks/vnet-hub"
SPOKE = f"{RG}/rg-spoke/{NET}/virtualNetworks/vnet-spoke"
FW_SUBNET = f"{HUB}/subnets/AzureFirewallSubnet"
SPOKE_SUBNET = f"{SPOKE}/subnets/snet-app"
NSG = f"{RG}/rg-spoke/{NET}/networkSecurityGroups/nsg-spoke"
RT = f"{RG}/rg-spoke/{NET}/routeTables/rt-spoke"
FIREWALL = f"{RG}/rg-hub/{NET}/azureFirewalls/afw-hub"
PIP = f"{RG}/rg-spoke/{NET}/publicIPAddresses/pip-vm"


def arm(arm_id: str, arm_type: str, properties: dict[str, Any], tags: dict[str, str] | None = None) -> Resource:
    """A live resource as the live source builds it (schema "arm", address = ARM id)."""
    from pytest_cloudcheck.azure_types import azurerm_type_of

    values = {"id": arm_id, "name": arm_id.rsplit("/", 1)[-1], "type": arm_type, "tags": tags or {}}
    values["properties"] = properties
    return Resource(
        address=arm_id,
        type=azurerm_type_of(arm_type) or arm_type,
        arm_type=arm_type,
        values=values,
        source="live",
        schema="arm",
    )


def peering_props(remote: str, **flags: bool) -> dict[str, Any]:
    return {"remoteVirtualNetwork": {"id": remote}, "allowForwardedTraffic": True, "useRemoteGateways": False, **flags}


def live(spoke_hop: str = "10.0.0.4", spoke_nsg: bool = True, forwarded: bool = True) -> Inventory:
    vnets = "Microsoft.Network/virtualNetworks"
    spoke_subnet = {"addressPrefix": "10.1.0.0/24", "routeTable": {"id": RT}}
    if spoke_nsg:
        spoke_subnet["networkSecurityGroup"] = {"id": NSG}
    hub_peering = {
        "id": f"{HUB}/virtualNetworkPeerings/to-spoke",
        "name": "to-spoke",
        "properties": peering_props(SPOKE, allowGatewayTransit=True),
    }
    spoke_peering = {
        "id": f"{SPOKE}/virtualNetworkPeerings/to-hub",
        "name": "to-hub",
        "properties": peering_props(HUB, allowForwardedTraffic=forwarded),
    }
    resources = [
        arm(
            HUB,
            vnets,
            {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [
                    {"id": FW_SUBNET, "name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.0.0/26"}}
                ],
                "virtualNetworkPeerings": [hub_peering],
            },
        ),
        arm(
            SPOKE,
            vnets,
            {
                "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                "subnets": [{"id": SPOKE_SUBNET, "name": "snet-app", "properties": spoke_subnet}],
                "virtualNetworkPeerings": [spoke_peering],
            },
        ),
        # the same children again as resources of their own, as the live source lists them
        arm(SPOKE_SUBNET, f"{vnets}/subnets", spoke_subnet),
        arm(spoke_peering["id"], f"{vnets}/virtualNetworkPeerings", spoke_peering["properties"]),
        arm(
            FIREWALL,
            "Microsoft.Network/azureFirewalls",
            {
                "ipConfigurations": [
                    {"name": "c", "properties": {"subnet": {"id": FW_SUBNET}, "privateIPAddress": "10.0.0.4"}}
                ]
            },
        ),
        arm(
            RT,
            "Microsoft.Network/routeTables",
            {
                "routes": [
                    {
                        "name": "default",
                        "properties": {
                            "addressPrefix": "0.0.0.0/0",
                            "nextHopType": "VirtualAppliance",
                            "nextHopIpAddress": spoke_hop,
                        },
                    }
                ]
            },
        ),
        arm(NSG, "Microsoft.Network/networkSecurityGroups", {}),
    ]
    return Inventory(resources)


def test_live_landing_zone_is_compliant_and_children_count_once():
    inventory = live()
    assert list(hub_and_spoke(inventory)) == []
    topo = topology_of(inventory)
    assert topo.hub.address == HUB and [v.address for v in topo.spokes] == [SPOKE]
    assert len(topo.vnet(inventory.get(SPOKE)).subnets) == 1
    assert sorted(p.address for p in topo.peerings) == [
        f"{HUB}.peering[to-spoke]",
        f"{SPOKE}/virtualNetworkPeerings/to-hub",
    ]
    assert topo.hub.appliances[0].private_ips == ["10.0.0.4"]


def test_live_violations_route_nsg_and_peering_flags():
    findings = hub_and_spoke(live(spoke_hop="10.0.9.9", spoke_nsg=False, forwarded=False))
    assert sorted((f.check, f.address) for f in findings) == [
        ("topology.default_route", RT),
        ("topology.peering_settings", f"{SPOKE}/virtualNetworkPeerings/to-hub"),
        ("topology.subnet_nsg", SPOKE_SUBNET),
    ]


def test_live_public_ip_on_a_spoke_nic():
    inventory = live()
    nic = arm(
        f"{RG}/rg-spoke/{NET}/networkInterfaces/nic-vm",
        "Microsoft.Network/networkInterfaces",
        {
            "ipConfigurations": [
                {"name": "c", "properties": {"subnet": {"id": SPOKE_SUBNET}, "publicIPAddress": {"id": PIP}}}
            ]
        },
    )
    inventory = Inventory([*inventory, nic, arm(PIP, "Microsoft.Network/publicIPAddresses", {})])
    findings = hub_and_spoke(inventory)
    assert [(f.check, f.address, f.related) for f in findings] == [("topology.public_ip", nic.address, (PIP,))]


def _azapi(
    plan: PlanBuilder, address: str, arm_type: str, name: str, parent: str, body: dict[str, Any], **kwargs: Any
) -> None:
    plan.resource(
        address, {"type": f"{arm_type}@2024-05-01", "name": name, "parent_id": parent, "body": body}, **kwargs
    )


def test_azapi_vnets_and_peerings_in_a_plan(tmp_path):
    plan = PlanBuilder()
    vnets = "Microsoft.Network/virtualNetworks"
    for key, name, group, space in (
        ("hub", "vnet-hub", "rg-hub", "10.0.0.0/16"),
        ("spoke", "vnet-spoke", "rg-spoke", "10.0.0.0/20"),
    ):
        _azapi(
            plan,
            f"azapi_resource.{key}",
            vnets,
            name,
            f"{RG}/{group}",
            {"properties": {"addressSpace": {"addressPrefixes": [space]}}},
        )
    _azapi(
        plan,
        "azapi_resource.hub_fw_subnet",
        f"{vnets}/subnets",
        "AzureFirewallSubnet",
        HUB,
        {"properties": {"addressPrefix": "10.0.0.0/26"}},
    )
    plan.resource(
        "azurerm_firewall.hub",
        {"name": "afw", "resource_group_name": "rg-hub", "ip_configuration": [{"name": "c", "subnet_id": FW_SUBNET}]},
    )
    # the spoke side: remote id known; the hub side: unknown at plan time, named by references in `body`
    _azapi(
        plan,
        "azapi_resource.spoke_to_hub",
        f"{vnets}/virtualNetworkPeerings",
        "to-hub",
        SPOKE,
        {"properties": {"remoteVirtualNetwork": {"id": HUB}, "allowForwardedTraffic": True}},
    )
    _azapi(
        plan,
        "azapi_resource.hub_to_spoke",
        f"{vnets}/virtualNetworkPeerings",
        "to-spoke",
        HUB,
        {"properties": {"allowForwardedTraffic": True}},
        unknown=["body.properties.remoteVirtualNetwork"],
        refs={"body": ["azapi_resource.spoke.id", "azapi_resource.spoke"]},
    )
    inventory = build_inventory(Settings(plan=[plan.write(tmp_path / "azapi.json")]))
    topo = topology_of(inventory)
    assert topo.hub.address == "azapi_resource.hub"
    by_name = {p.name: p for p in topo.peerings}
    assert by_name["to-hub"].remote is topo.hub
    assert by_name["to-spoke"].remote.address == "azapi_resource.spoke" and by_name["to-spoke"].via == BY_REFERENCE
    findings = hub_and_spoke(inventory)
    assert [(f.check, f.address) for f in findings] == [("topology.address_overlap", "azapi_resource.spoke")]
    assert "10.0.0.0/20 overlaps 10.0.0.0/16 of azapi_resource.hub" in findings[0].message
