"""checks.hub_and_spoke and the topology model, rule by rule, on Terraform plan JSON.

Each rule: a compliant and a violating case. The landing zone below is compliant; each test
changes one thing. Ids unknown at plan time are omitted from `after` and flagged in
`after_unknown`, as Terraform writes them; links then go through the configuration's references.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck.checks.topology import CHECK_IDS, hub_and_spoke
from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.links import BY_ID, BY_REFERENCE
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory
from pytest_cloudcheck.topology import topology_of

SUB = "00000000-0000-0000-0000-00000000aaaa"
VNET = "Microsoft.Network/virtualNetworks"
HUB_ID = arm_id(SUB, "rg-hub", VNET, "vnet-hub")
SPOKE_ID = arm_id(SUB, "rg-spoke", VNET, "vnet-spoke")
PROD = {"environment": "prod"}


def hub(plan: PlanBuilder, *, peer_back: bool = True, gateway: bool = False, transit: bool = True) -> None:
    plan.resource(
        "azurerm_virtual_network.hub",
        {"name": "vnet-hub", "resource_group_name": "rg-hub", "address_space": ["10.0.0.0/16"], "tags": PROD},
        unknown=["id"],
    )
    subnet(plan, "fw", "AzureFirewallSubnet", "10.0.0.0/26", vnet="vnet-hub", group="rg-hub")
    subnet(plan, "gw", "GatewaySubnet", "10.0.1.0/27", vnet="vnet-hub", group="rg-hub")
    plan.resource(
        "azurerm_firewall.hub",
        {"name": "afw-hub", "resource_group_name": "rg-hub", "ip_configuration": [{"name": "ipconfig"}], "tags": PROD},
        unknown=["id", "ip_configuration.0.subnet_id", "ip_configuration.0.private_ip_address"],
        refs={"ip_configuration.subnet_id": ["azurerm_subnet.fw.id", "azurerm_subnet.fw"]},
    )
    if gateway:
        plan.resource(
            "azurerm_virtual_network_gateway.hub",
            {"name": "vgw-hub", "resource_group_name": "rg-hub", "type": "Vpn", "ip_configuration": [{"name": "c"}]},
            unknown=["id", "ip_configuration.0.subnet_id"],
            refs={"ip_configuration.subnet_id": ["azurerm_subnet.gw.id", "azurerm_subnet.gw"]},
        )
    if peer_back:
        peering(plan, "hub_to_spoke", "vnet-hub", "rg-hub", SPOKE_ID, allow_gateway_transit=transit)


def subnet(plan: PlanBuilder, key: str, name: str, prefix: str, *, vnet: str, group: str) -> None:
    plan.resource(
        f"azurerm_subnet.{key}",
        {"name": name, "resource_group_name": group, "virtual_network_name": vnet, "address_prefixes": [prefix]},
        unknown=["id"],
    )


def peering(plan: PlanBuilder, key: str, vnet: str, group: str, remote: str | None, **flags: Any) -> None:
    refs = flags.pop("refs", None)
    values = {
        "name": f"peer-{key}",
        "resource_group_name": group,
        "virtual_network_name": vnet,
        "allow_forwarded_traffic": True,
        "allow_gateway_transit": False,
        "use_remote_gateways": False,
        **flags,
    }
    if remote is not None:
        values["remote_virtual_network_id"] = remote
    plan.resource(
        f"azurerm_virtual_network_peering.{key}",
        values,
        unknown=["id"] if remote is not None else ["id", "remote_virtual_network_id"],
        refs=refs,
    )


def spoke(
    plan: PlanBuilder,
    *,
    name: str = "spoke",
    space: str = "10.1.0.0/16",
    peer: bool = True,
    nsg: bool = True,
    route_table: bool = True,
    next_hop: tuple[str, str | None] = ("VirtualAppliance", "10.0.0.4"),
    env: str = "prod",
    **peering_flags: Any,
) -> None:
    group, vnet = f"rg-{name}", f"vnet-{name}"
    tags = {"environment": env}
    plan.resource(
        f"azurerm_virtual_network.{name}",
        {"name": vnet, "resource_group_name": group, "address_space": [space], "tags": tags},
        unknown=["id"],
    )
    first = space.rsplit(".", 2)[0] + ".0.0/24"
    subnet(plan, f"{name}_app", "snet-app", first, vnet=vnet, group=group)
    if nsg:
        plan.resource(f"azurerm_network_security_group.{name}", {"name": f"nsg-{name}", "resource_group_name": group})
        plan.resource(
            f"azurerm_subnet_network_security_group_association.{name}_app",
            {},
            unknown=["id", "subnet_id", "network_security_group_id"],
            refs={
                "subnet_id": [f"azurerm_subnet.{name}_app.id", f"azurerm_subnet.{name}_app"],
                "network_security_group_id": [f"azurerm_network_security_group.{name}.id"],
            },
        )
    if route_table:
        hop_type, hop_ip = next_hop
        route = {"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": hop_type}
        if hop_ip is not None:
            route["next_hop_in_ip_address"] = hop_ip
        plan.resource(
            f"azurerm_route_table.{name}",
            {"name": f"rt-{name}", "resource_group_name": group, "route": [route], "tags": tags},
            unknown=["id"],
        )
        plan.resource(
            f"azurerm_subnet_route_table_association.{name}_app",
            {},
            unknown=["id", "subnet_id", "route_table_id"],
            refs={
                "subnet_id": [f"azurerm_subnet.{name}_app.id"],
                "route_table_id": [f"azurerm_route_table.{name}.id", f"azurerm_route_table.{name}"],
            },
        )
    if peer:
        peering(plan, f"{name}_to_hub", vnet, group, HUB_ID, **peering_flags)


def landing(plan: PlanBuilder, **spoke_options: Any) -> PlanBuilder:
    hub(plan)
    spoke(plan, **spoke_options)
    return plan


def run(tmp_path: Path, *plans: PlanBuilder, **settings: Any):
    paths = [p.write(tmp_path / f"plan{i}.json") for i, p in enumerate(plans)]
    inventory = build_inventory(Settings(plan=paths, extra=settings))
    return inventory, hub_and_spoke(inventory)


def checks_of(findings) -> list[tuple[str, str, str]]:
    return [(f.check, f.address, f.kind) for f in findings]


# ---------------------------------------------------------------------------------------------
# The model


def test_compliant_landing_zone_has_no_findings_and_a_full_model(tmp_path, plan):
    inventory, findings = run(tmp_path, landing(plan))
    assert checks_of(findings) == []
    topo = topology_of(inventory)
    assert topo.hub is not None and topo.hub.address == "azurerm_virtual_network.hub"
    assert topo.hub_reason == "the only VNet with an Azure Firewall"
    assert [v.address for v in topo.spokes] == ["azurerm_virtual_network.spoke"]
    (spoke_vnet,) = topo.spokes
    assert [str(n) for n in spoke_vnet.networks] == ["10.1.0.0/16"]
    (app,) = spoke_vnet.subnets
    assert (
        app.has_nsg is True and app.route_table is not None and app.route_table.address == "azurerm_route_table.spoke"
    )
    assert sorted((p.address, p.remote.address if p.remote else None, p.via) for p in topo.peerings) == [
        ("azurerm_virtual_network_peering.hub_to_spoke", "azurerm_virtual_network.spoke", BY_ID),
        ("azurerm_virtual_network_peering.spoke_to_hub", "azurerm_virtual_network.hub", BY_ID),
    ]
    firewall = inventory.get("azurerm_firewall.hub")
    assert topo.vnet_of(firewall) is topo.hub
    assert topo.vnet_of(inventory.get("azurerm_subnet_route_table_association.spoke_app")) is spoke_vnet
    assert topo.vnet_of(inventory.get("azurerm_network_security_group.spoke")) is spoke_vnet  # by resource group


def test_cross_plan_peering_hub_plan_and_spoke_plan(tmp_path):
    hub_plan, spoke_plan = PlanBuilder(), PlanBuilder()
    hub(hub_plan)
    spoke(spoke_plan)
    inventory, findings = run(tmp_path, hub_plan, spoke_plan)
    assert checks_of(findings) == []
    topo = topology_of(inventory)
    assert {(p.resource.source_label, p.describe_remote()) for p in topo.peerings} == {
        ("plan0", "azurerm_virtual_network.spoke"),
        ("plan1", "azurerm_virtual_network.hub"),
    }


def test_cross_plan_spoke_without_hub_peering_back(tmp_path):
    hub_plan, spoke_plan = PlanBuilder(), PlanBuilder()
    hub(hub_plan, peer_back=False)
    spoke(spoke_plan)
    _, findings = run(tmp_path, hub_plan, spoke_plan)
    assert checks_of(findings) == [
        ("topology.peering_one_way", "azurerm_virtual_network_peering.spoke_to_hub", "violation")
    ]
    assert "the hub azurerm_virtual_network.hub has no peering back" in findings[0].message


def test_remote_id_unknown_at_plan_time_resolved_through_references(tmp_path, plan):
    hub(plan)
    spoke(plan, peer=False)
    peering(
        plan,
        "spoke_to_hub",
        "vnet-spoke",
        "rg-spoke",
        None,
        refs={"remote_virtual_network_id": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]},
    )
    inventory, findings = run(tmp_path, plan)
    assert checks_of(findings) == []
    (to_hub,) = [p for p in topology_of(inventory).peerings if p.name == "peer-spoke_to_hub"]
    assert to_hub.via == BY_REFERENCE and to_hub.remote is topology_of(inventory).hub


def test_remote_id_unknown_through_a_module_variable(tmp_path, plan):
    hub(plan)
    spoke(plan, peer=False)
    plan.resource(
        'module.spoke["x"].azurerm_virtual_network_peering.to_hub',
        {
            "name": "peer-x",
            "resource_group_name": "rg-spoke",
            "virtual_network_name": "vnet-spoke",
            "allow_forwarded_traffic": True,
            "use_remote_gateways": False,
        },
        unknown=["id", "remote_virtual_network_id"],
        refs={"remote_virtual_network_id": ["var.hub_id"]},
    )
    plan.module_call(
        "spoke",
        inputs={"hub_id": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]},
        for_each={"x": {}},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_remote_unknown_without_references_is_unknown_never_a_pass(tmp_path, plan):
    hub(plan, peer_back=False)
    spoke(plan, peer=False)
    peering(plan, "spoke_to_hub", "vnet-spoke", "rg-spoke", None)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.unpeered_spoke", "azurerm_virtual_network.spoke", "unknown"),
        ("topology.spoke_to_spoke", "azurerm_virtual_network_peering.spoke_to_hub", "unknown"),
    ]


# ---------------------------------------------------------------------------------------------
# Peering rules


def test_unpeered_spoke(tmp_path, plan):
    hub(plan, peer_back=False)
    spoke(plan, peer=False)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.unpeered_spoke", "azurerm_virtual_network.spoke", "violation")]
    assert "vnet-spoke is not peered with the hub azurerm_virtual_network.hub" in findings[0].message


def test_hub_peers_but_spoke_does_not(tmp_path, plan):
    hub(plan)
    spoke(plan, peer=False)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.peering_one_way", "azurerm_virtual_network.spoke", "violation")]


def test_spoke_to_spoke_peering(tmp_path, plan):
    landing(plan)
    spoke(plan, name="other", space="10.2.0.0/16")
    peering(plan, "hub_to_other", "vnet-hub", "rg-hub", arm_id(SUB, "rg-other", VNET, "vnet-other"))
    peering(plan, "spoke_to_other", "vnet-spoke", "rg-spoke", arm_id(SUB, "rg-other", VNET, "vnet-other"))
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.spoke_to_spoke", "azurerm_virtual_network_peering.spoke_to_other", "violation")
    ]
    assert findings[0].related == ("azurerm_virtual_network.other",)


def test_peering_to_a_vnet_outside_the_inventory_that_is_not_the_hub(tmp_path, plan):
    landing(plan)
    peering(plan, "spoke_to_vendor", "vnet-spoke", "rg-spoke", arm_id(SUB, "rg-vendor", VNET, "vnet-vendor"))
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.spoke_to_spoke", "azurerm_virtual_network_peering.spoke_to_vendor", "violation")
    ]
    assert "(outside the inventory)" in findings[0].message


@pytest.mark.parametrize(
    ("hub_gateway", "flags", "expected"),
    [
        (False, {}, []),
        (False, {"allow_forwarded_traffic": False}, [("allow_forwarded_traffic = false", "violation")]),
        (True, {"use_remote_gateways": True}, []),
        (True, {"use_remote_gateways": False}, [("use_remote_gateways = false", "violation")]),
        (False, {"allow_forwarded_traffic": None}, [("allow_forwarded_traffic = false", "violation")]),
    ],
)
def test_spoke_side_peering_settings(tmp_path, plan, hub_gateway, flags, expected):
    hub(plan, gateway=hub_gateway)
    spoke(plan, **flags)
    _, findings = run(tmp_path, plan)
    assert [(f.check, f.address) for f in findings] == [
        ("topology.peering_settings", "azurerm_virtual_network_peering.spoke_to_hub") for _ in expected
    ]
    for finding, (text, kind) in zip(findings, expected, strict=True):
        assert text in finding.message and finding.kind == kind


def test_peering_setting_unknown_at_plan_time(tmp_path, plan):
    hub(plan)
    spoke(plan, peer=False)
    plan.resource(
        "azurerm_virtual_network_peering.spoke_to_hub",
        {
            "name": "p",
            "resource_group_name": "rg-spoke",
            "virtual_network_name": "vnet-spoke",
            "remote_virtual_network_id": HUB_ID,
        },
        unknown=["id", "allow_forwarded_traffic"],
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.peering_settings", "azurerm_virtual_network_peering.spoke_to_hub", "unknown")
    ]


def test_hub_side_must_offer_its_gateway(tmp_path, plan):
    hub(plan, gateway=True, transit=False)
    spoke(plan, use_remote_gateways=True)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.peering_settings", "azurerm_virtual_network_peering.hub_to_spoke", "violation")
    ]
    assert "allow_gateway_transit = false" in findings[0].message


# ---------------------------------------------------------------------------------------------
# Address spaces


def test_overlapping_address_spaces(tmp_path, plan):
    landing(plan)
    spoke(plan, name="other", space="10.1.128.0/17", peer=False)
    peering(plan, "other_to_hub", "vnet-other", "rg-other", HUB_ID)
    peering(plan, "hub_to_other", "vnet-hub", "rg-hub", arm_id(SUB, "rg-other", VNET, "vnet-other"))
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.address_overlap", "azurerm_virtual_network.other", "violation")]
    assert "10.1.128.0/17 overlaps 10.1.0.0/16 of azurerm_virtual_network.spoke" in findings[0].message


def test_overlap_across_plan_files(tmp_path):
    hub_plan, spoke_plan = PlanBuilder(), PlanBuilder()
    hub(hub_plan)
    spoke(spoke_plan, space="10.0.128.0/17")  # inside the hub's 10.0.0.0/16
    _, findings = run(tmp_path, hub_plan, spoke_plan)
    assert checks_of(findings) == [("topology.address_overlap", "azurerm_virtual_network.hub", "violation")] or (
        checks_of(findings) == [("topology.address_overlap", "azurerm_virtual_network.spoke", "violation")]
    )


def test_address_space_unknown_at_plan_time(tmp_path, plan):
    landing(plan)
    plan.resource(
        "azurerm_virtual_network.later",
        {"name": "vnet-later", "resource_group_name": "rg-later"},
        unknown=["id", "address_space"],
    )
    _, findings = run(tmp_path, plan, hub="vnet-hub")
    assert ("topology.address_overlap", "azurerm_virtual_network.later", "unknown") in checks_of(findings)


def test_ip_plan_per_environment(tmp_path, plan):
    landing(plan)
    ip_plan = ["prod = 10.0.0.0/16 10.1.0.0/16", "nonprod = 10.2.0.0/16"]
    _, findings = run(tmp_path, plan, ip_plan=ip_plan)
    assert checks_of(findings) == []
    _, findings = run(tmp_path, plan, ip_plan=["prod = 10.0.0.0/16", "nonprod = 10.1.0.0/16"])
    assert checks_of(findings) == [("topology.ip_plan", "azurerm_virtual_network.spoke", "violation")]
    assert "(prod) address space 10.1.0.0/16 lies outside the IP plan (10.0.0.0/16)" in findings[0].message


def test_ip_plan_plain_cidrs(tmp_path, plan):
    landing(plan)
    _, findings = run(tmp_path, plan, ip_plan=["10.0.0.0/15"])
    assert checks_of(findings) == []
    _, findings = run(tmp_path, plan, ip_plan=["10.0.0.0/16"])
    assert checks_of(findings) == [("topology.ip_plan", "azurerm_virtual_network.spoke", "violation")]


# ---------------------------------------------------------------------------------------------
# Hub-only appliances


def _appliance(plan: PlanBuilder, rtype: str, values: dict[str, Any]) -> None:
    plan.resource(
        f"{rtype}.in_spoke",
        {"name": "in-spoke", "resource_group_name": "rg-spoke", "ip_configuration": [{"name": "c"}], **values},
        unknown=["id", "ip_configuration.0.subnet_id"],
        refs={"ip_configuration.subnet_id": ["azurerm_subnet.spoke_app.id", "azurerm_subnet.spoke_app"]},
    )


@pytest.mark.parametrize(
    ("rtype", "values", "check"),
    [
        ("azurerm_virtual_network_gateway", {"type": "Vpn"}, "topology.gateway_in_spoke"),
        ("azurerm_virtual_network_gateway", {"type": "ExpressRoute"}, "topology.gateway_in_spoke"),
        ("azurerm_bastion_host", {}, "topology.bastion_in_spoke"),
    ],
)
def test_hub_only_appliances_in_a_spoke(tmp_path, plan, rtype, values, check):
    landing(plan)
    _appliance(plan, rtype, values)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [(check, f"{rtype}.in_spoke", "violation")]
    assert "sits in spoke VNet azurerm_virtual_network.spoke" in findings[0].message


def test_hub_appliances_are_fine(tmp_path, plan):
    hub(plan, gateway=True)
    spoke(plan, use_remote_gateways=True)
    plan.resource(
        "azurerm_bastion_host.hub", {"name": "bas", "virtual_network_id": HUB_ID, "resource_group_name": "rg-hub"}
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_second_firewall_makes_the_hub_ambiguous_then_cloudcheck_hub_decides(tmp_path, plan):
    landing(plan)
    _appliance(plan, "azurerm_firewall", {})
    _, findings = run(tmp_path, plan)  # not guessed: every VNet is "not assessed" with the fix
    assert {(c, kind) for c, _, kind in checks_of(findings)} == {("topology.hub", "not_assessed")}
    assert all(re.search(r"cannot tell which VNet is the hub: .*set cloudcheck_hub", f.message) for f in findings)
    _, findings = run(tmp_path, plan, hub="vnet-hub")
    assert checks_of(findings) == [("topology.firewall_in_spoke", "azurerm_firewall.in_spoke", "violation")]


# ---------------------------------------------------------------------------------------------
# Routes


def test_spoke_subnet_without_route_table(tmp_path, plan):
    landing(plan, route_table=False)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.route_table", "azurerm_subnet.spoke_app", "violation")]


@pytest.mark.parametrize(
    ("next_hop", "problem"),
    [
        (("Internet", None), "0.0.0.0/0 goes to Internet"),
        (("VirtualAppliance", "10.9.9.9"), "goes to 10.9.9.9, which is not the hub firewall"),
        (("VnetLocal", None), "goes to VnetLocal"),
    ],
)
def test_default_route_must_go_to_the_hub_firewall(tmp_path, plan, next_hop, problem):
    landing(plan, next_hop=next_hop)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.default_route", "azurerm_route_table.spoke", "violation")]
    assert problem in findings[0].message


def test_default_route_to_known_firewall_ip(tmp_path, plan):
    hub(plan)
    plan.doc["resource_changes"][-2]["change"]["after"]["ip_configuration"][0]["private_ip_address"] = "10.0.0.68"
    plan.doc["resource_changes"][-2]["change"]["after_unknown"]["ip_configuration"][0].pop("private_ip_address")
    spoke(plan, next_hop=("VirtualAppliance", "10.0.0.68"))
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_default_route_ip_unknown_taken_from_the_hub_firewall(tmp_path, plan):
    hub(plan)
    spoke(plan, route_table=False)
    plan.resource(
        "azurerm_route_table.spoke",
        {
            "name": "rt-spoke",
            "resource_group_name": "rg-spoke",
            "route": [{"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance"}],
        },
        unknown=["id", "route.0.next_hop_in_ip_address"],
        refs={
            "route.next_hop_in_ip_address": [
                "azurerm_firewall.hub.ip_configuration[0].private_ip_address",
                "azurerm_firewall.hub",
            ]
        },
    )
    plan.resource(
        "azurerm_subnet_route_table_association.spoke_app",
        {},
        unknown=["id", "subnet_id", "route_table_id"],
        refs={"subnet_id": ["azurerm_subnet.spoke_app.id"], "route_table_id": ["azurerm_route_table.spoke.id"]},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_default_route_ip_unknown_without_references_is_unknown(tmp_path, plan):
    hub(plan)
    spoke(plan, next_hop=("VirtualAppliance", None))
    plan.doc["resource_changes"][-3]["change"]["after_unknown"]["route"] = [{"next_hop_in_ip_address": True}]
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.default_route", "azurerm_route_table.spoke", "unknown")]


def test_route_resource_and_missing_default_route(tmp_path, plan):
    hub(plan)
    spoke(plan, route_table=False)
    plan.resource(
        "azurerm_route_table.spoke",
        {"name": "rt-spoke", "resource_group_name": "rg-spoke", "route": []},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_subnet_route_table_association.spoke_app",
        {},
        unknown=["id", "subnet_id", "route_table_id"],
        refs={"subnet_id": ["azurerm_subnet.spoke_app.id"], "route_table_id": ["azurerm_route_table.spoke.id"]},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.default_route", "azurerm_route_table.spoke", "violation")]
    assert "has no 0.0.0.0/0 route" in findings[0].message
    plan.resource(
        "azurerm_route.default",
        {
            "name": "default",
            "route_table_name": "rt-spoke",
            "resource_group_name": "rg-spoke",
            "address_prefix": "0.0.0.0/0",
            "next_hop_type": "VirtualAppliance",
            "next_hop_in_ip_address": "10.0.0.4",
        },
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_routes_unknown_at_plan_time_unless_given_as_route_resources(tmp_path, plan):
    hub(plan)
    spoke(plan, route_table=False)
    plan.resource(
        "azurerm_route_table.spoke", {"name": "rt-spoke", "resource_group_name": "rg-spoke"}, unknown=["id", "route"]
    )
    plan.resource(
        "azurerm_subnet_route_table_association.spoke_app",
        {},
        unknown=["id", "subnet_id", "route_table_id"],
        refs={"subnet_id": ["azurerm_subnet.spoke_app.id"], "route_table_id": ["azurerm_route_table.spoke.id"]},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.default_route", "azurerm_route_table.spoke", "unknown")]
    plan.resource(
        "azurerm_route.default",
        {
            "name": "default",
            "resource_group_name": "rg-spoke",
            "address_prefix": "0.0.0.0/0",
            "next_hop_type": "VirtualAppliance",
            "next_hop_in_ip_address": "10.0.0.4",
        },
        unknown=["id", "route_table_name"],
        refs={"route_table_name": ["azurerm_route_table.spoke.name", "azurerm_route_table.spoke"]},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []


def test_internet_route_in_a_spoke(tmp_path, plan):
    landing(plan)
    plan.resource(
        "azurerm_route.direct",
        {
            "name": "direct",
            "route_table_name": "rt-spoke",
            "resource_group_name": "rg-spoke",
            "address_prefix": "20.50.0.0/16",
            "next_hop_type": "Internet",
        },
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.internet_route", "azurerm_route_table.spoke", "violation")]
    assert "route direct sends 20.50.0.0/16 straight to the Internet" in findings[0].message


# ---------------------------------------------------------------------------------------------
# Public IPs and NSGs


def test_public_ip_on_a_spoke_nic_through_references(tmp_path, plan):
    landing(plan)
    plan.resource("azurerm_public_ip.vm", {"name": "pip-vm", "resource_group_name": "rg-spoke"}, unknown=["id"])
    plan.resource(
        "azurerm_network_interface.vm",
        {"name": "nic-vm", "resource_group_name": "rg-spoke", "ip_configuration": [{"name": "c"}]},
        unknown=["id", "ip_configuration.0.subnet_id", "ip_configuration.0.public_ip_address_id"],
        refs={
            "ip_configuration.subnet_id": ["azurerm_subnet.spoke_app.id"],
            "ip_configuration.public_ip_address_id": ["azurerm_public_ip.vm.id", "azurerm_public_ip.vm"],
        },
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.public_ip", "azurerm_network_interface.vm", "violation")]
    assert findings[0].related == ("azurerm_public_ip.vm",)


def test_private_nic_load_balancer_frontend_and_loose_public_ip(tmp_path, plan):
    landing(plan)
    plan.resource(
        "azurerm_network_interface.vm",
        {
            "name": "nic-vm",
            "resource_group_name": "rg-spoke",
            "ip_configuration": [{"name": "c", "public_ip_address_id": None}],
        },
        unknown=["id", "ip_configuration.0.subnet_id"],
        refs={"ip_configuration.subnet_id": ["azurerm_subnet.spoke_app.id"]},
    )
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == []
    plan.resource("azurerm_public_ip.lb", {"name": "pip-lb", "resource_group_name": "rg-spoke"}, unknown=["id"])
    plan.resource(
        "azurerm_lb.web",
        {"name": "lb-web", "resource_group_name": "rg-spoke", "frontend_ip_configuration": [{"name": "f"}]},
        unknown=["id", "frontend_ip_configuration.0.public_ip_address_id"],
        refs={"frontend_ip_configuration.public_ip_address_id": ["azurerm_public_ip.lb.id"]},
    )
    plan.resource("azurerm_public_ip.loose", {"name": "pip-loose", "resource_group_name": "rg-spoke"}, unknown=["id"])
    plan.resource("azurerm_public_ip.hub", {"name": "pip-hub", "resource_group_name": "rg-hub"}, unknown=["id"])
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [
        ("topology.public_ip", "azurerm_lb.web", "violation"),
        ("topology.public_ip", "azurerm_public_ip.loose", "violation"),
    ]


def test_subnet_without_nsg_and_reserved_subnets(tmp_path, plan):
    landing(plan, nsg=False)
    subnet(plan, "spoke_gw", "GatewaySubnet", "10.1.1.0/27", vnet="vnet-spoke", group="rg-spoke")
    subnet(plan, "spoke_bastion", "AzureBastionSubnet", "10.1.2.0/26", vnet="vnet-spoke", group="rg-spoke")
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.subnet_nsg", "azurerm_subnet.spoke_app", "violation")]
    assert "subnet snet-app in VNet azurerm_virtual_network.spoke has no network security group" in findings[0].message


def test_inline_subnets_of_a_terraform_vnet(tmp_path, plan):
    hub(plan, peer_back=False)
    plan.resource("azurerm_network_security_group.n", {"name": "nsg", "resource_group_name": "rg-x"})
    plan.resource(
        "azurerm_virtual_network.inline",
        {
            "name": "vnet-inline",
            "resource_group_name": "rg-x",
            "address_space": ["10.5.0.0/16"],
            "subnet": [
                {"name": "a", "address_prefixes": ["10.5.0.0/24"], "security_group": "/x/nsg"},
                {"name": "b", "address_prefixes": ["10.5.1.0/24"], "security_group": ""},
            ],
        },
        unknown=["id"],
    )
    inventory, findings = run(tmp_path, plan)
    assert [(f.check, f.address) for f in findings if f.check == "topology.subnet_nsg"] == [
        ("topology.subnet_nsg", "azurerm_virtual_network.inline.subnet[b]")
    ]
    assert [s.name for s in topology_of(inventory).vnet(inventory.get("azurerm_virtual_network.inline")).subnets] == [
        "a",
        "b",
    ]


# ---------------------------------------------------------------------------------------------
# The hub: configured or detected


@pytest.mark.parametrize(
    "setting", ["vnet-hub", "azurerm_virtual_network.hub", "role=hub", HUB_ID.replace("rg-hub", "RG-HUB")]
)
def test_cloudcheck_hub_by_name_address_tag_or_id(tmp_path, plan, setting):
    landing(plan)
    plan.doc["resource_changes"][0]["change"]["after"]["tags"] = {**PROD, "role": "hub"}
    inventory, findings = run(tmp_path, plan, hub=setting)
    assert checks_of(findings) == []
    assert topology_of(inventory).hub.address == "azurerm_virtual_network.hub"
    assert topology_of(inventory).hub_reason == f"cloudcheck_hub = {setting}"


def test_cloudcheck_hub_as_id_outside_the_inventory(tmp_path):
    spoke_plan = PlanBuilder()
    spoke(spoke_plan)
    inventory, findings = run(tmp_path, spoke_plan, hub=HUB_ID)
    topo = topology_of(inventory)
    assert topo.hub is not None and not topo.hub.in_inventory and topo.hub.name == "vnet-hub"
    # the hub's own side and firewall are elsewhere: spoke rules only, the route's IP cannot be judged
    assert checks_of(findings) == [("topology.default_route", "azurerm_route_table.spoke", "unknown")]


def test_cloudcheck_hub_that_matches_nothing(tmp_path, plan):
    landing(plan)
    with pytest.raises(ConfigurationError, match="cloudcheck_hub = vnet-typo: no VNet with name or address"):
        run(tmp_path, plan, hub="vnet-typo")


def test_gateway_decides_when_there_is_no_firewall(tmp_path, plan):
    hub(plan, gateway=True)
    plan.doc["resource_changes"] = [rc for rc in plan.doc["resource_changes"] if rc["type"] != "azurerm_firewall"]
    spoke(plan, use_remote_gateways=True, next_hop=("VirtualAppliance", "10.0.3.4"))
    inventory, findings = run(tmp_path, plan)
    assert topology_of(inventory).hub_reason == "the only VNet with a VPN/ExpressRoute gateway"
    assert checks_of(findings) == []  # without a firewall, an appliance inside the hub is the next hop


def test_no_hub_is_not_assessed(tmp_path, plan):
    spoke(plan, peer=False)
    _, findings = run(tmp_path, plan)
    assert checks_of(findings) == [("topology.hub", "azurerm_virtual_network.spoke", "not_assessed")]
    assert "set cloudcheck_hub" in findings[0].message


def test_environment_view_keeps_the_whole_topology(tmp_path, plan):
    hub(plan)
    spoke(plan, env="test", nsg=False)
    inventory = build_inventory(Settings(plan=[plan.write(tmp_path / "p.json")]))
    nonprod = inventory.only("nonprod")
    assert checks_of(hub_and_spoke(nonprod)) == [("topology.subnet_nsg", "azurerm_subnet.spoke_app", "violation")]
    assert checks_of(hub_and_spoke(inventory.only("prod"))) == []


def test_every_check_id_is_listed():
    assert len(set(CHECK_IDS)) == len(CHECK_IDS) and all(c.startswith("topology.") for c in CHECK_IDS)
