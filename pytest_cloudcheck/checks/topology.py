"""checks.hub_and_spoke: the landing zone's network is one hub with spokes that go through it.

    from pytest_cloudcheck import checks
    assert not checks.hub_and_spoke(cloud)

Rules (Azure Landing Zones' network guardrails, `reference/hub_spoke_rules.md`), one id each:

- `topology.hub`: no hub could be found, so the hub rules were not assessed (kind `not_assessed`);
- `topology.unpeered_spoke`: a spoke is not peered with the hub, in either direction;
- `topology.peering_one_way`: only one side of a spoke-hub peering exists (the other VNet is in the inventory);
- `topology.spoke_to_spoke`: a spoke is peered with a VNet other than the hub;
- `topology.peering_settings`: the spoke side does not allow forwarded traffic, or does not use the
  hub's gateway while the hub has one; the hub side does not offer gateway transit;
- `topology.address_overlap`: two VNets' address spaces overlap (across every plan and source);
- `topology.ip_plan`: an address space lies outside `cloudcheck_ip_plan` (per environment when given);
- `topology.gateway_in_spoke` / `topology.firewall_in_spoke` / `topology.bastion_in_spoke`: VPN or
  ExpressRoute gateways, Azure Firewalls and Bastion hosts belong in the hub only;
- `topology.route_table`: a spoke subnet (not an Azure-reserved one) has no route table;
- `topology.default_route`: a spoke route table's `0.0.0.0/0` route does not go to a virtual
  appliance at the hub firewall's private IP;
- `topology.internet_route`: a spoke route with next hop `Internet`;
- `topology.public_ip`: a public IP in a spoke (public IP resources, NIC IP configurations, load
  balancer and application gateway frontends);
- `topology.subnet_nsg`: a subnet other than GatewaySubnet, AzureFirewallSubnet,
  AzureFirewallManagementSubnet, RouteServerSubnet and AzureBastionSubnet has no NSG.

A value unknown at plan time that no configuration reference explains is a finding of kind
`unknown`, never a pass. Overlap detection sorts the address ranges once and sweeps them
(n log n in the number of VNets), so it stays cheap on landing zones with thousands of spokes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from ..environments import parse_ip_plan, rules_of
from ..model import UNKNOWN, Finding, FindingKind, Findings, Inventory, Resource
from ..network import Network
from ..topology import Peering, RouteTable, Topology, VNet, same_network, topology_of

CHECK_IDS = (
    "topology.hub",
    "topology.unpeered_spoke",
    "topology.peering_one_way",
    "topology.spoke_to_spoke",
    "topology.peering_settings",
    "topology.address_overlap",
    "topology.ip_plan",
    "topology.gateway_in_spoke",
    "topology.firewall_in_spoke",
    "topology.bastion_in_spoke",
    "topology.route_table",
    "topology.default_route",
    "topology.internet_route",
    "topology.public_ip",
    "topology.subnet_nsg",
)
#: appliance kind -> (check id, what it is)
HUB_ONLY = {
    "vpn_gateway": ("topology.gateway_in_spoke", "VPN gateway"),
    "expressroute_gateway": ("topology.gateway_in_spoke", "ExpressRoute gateway"),
    "firewall": ("topology.firewall_in_spoke", "Azure Firewall"),
    "bastion": ("topology.bastion_in_spoke", "Bastion host"),
}


def named(thing: Any) -> str:
    """A VNet's, subnet's, peering's or resource's name for a message; its address (or a plain
    phrase) when the name is known only after apply: never "None"."""
    name = getattr(thing, "name", None)
    if isinstance(name, str) and name:
        return name
    address = getattr(thing, "address", None)
    return address if isinstance(address, str) and address else "(name known after apply)"


def _finding(
    check: str,
    r: Resource | None,
    address: str,
    message: str,
    *,
    kind: FindingKind = "violation",
    attr: str = "",
    related: tuple[str, ...] = (),
) -> Finding:
    origin = (r.origin_of(attr) if attr else r.origin) if r is not None else None
    return Finding(check, address, message, origin, kind=kind, related=related)


# ---------------------------------------------------------------------------------------------
# Peerings


def _is_hub_side(topo: Topology, p: Peering) -> bool:
    hub = topo.hub
    if hub is None:
        return False
    if p.remote is not None:
        return p.remote is hub or same_network(p.remote, hub)
    return bool(hub.id and p.remote_id and p.remote_id.lower().rstrip("/") == hub.id.lower().rstrip("/"))


def _points_at(p: Peering, vnet: VNet) -> bool:
    return p.remote is not None and (p.remote is vnet or same_network(p.remote, vnet))


def _peerings(topo: Topology) -> Iterator[Finding]:
    hub = topo.hub
    assert hub is not None
    hub_gateway = bool(hub.gateways)
    # The hub's peerings by remote VNet name (same_network needs equal names unless it is the very
    # same VNet): looking each spoke up keeps this linear in the number of spokes.
    hub_peerings_by_name: dict[str | None, list[Peering]] = {}
    for p in hub.peerings:
        remote_name = p.remote.name.lower() if p.remote is not None and p.remote.name else None
        hub_peerings_by_name.setdefault(remote_name, []).append(p)
    hub_has_unknown_peering = hub.in_inventory and any(p.remote_unknown for p in hub.peerings)
    for spoke in topo.spokes:
        to_hub = [p for p in spoke.peerings if _is_hub_side(topo, p)]
        if spoke.name:
            candidates = hub_peerings_by_name.get(spoke.name.lower(), []) + hub_peerings_by_name.get(None, [])
        else:
            candidates = hub.peerings
        back = [p for p in candidates if _points_at(p, spoke)]
        unknown_out = [p for p in spoke.peerings if p.remote_unknown]
        unknown_back = hub_has_unknown_peering
        disconnected = [p for p in (*to_hub, *back) if p.state == "disconnected"]
        if disconnected:
            p = disconnected[0]
            yield _finding(
                "topology.unpeered_spoke",
                p.resource,
                p.address,
                f"spoke VNet {named(spoke)}'s peering with the hub {hub.address} is Disconnected (peeringState of "
                f"{p.address}): no traffic flows; required: a Connected peering on both sides (re-create the "
                "side that was deleted, then sync)",
            )
            continue
        if not to_hub and not back:
            if unknown_out or unknown_back:
                which = ", ".join(p.address for p in unknown_out) or f"the hub's peerings ({hub.address})"
                yield _finding(
                    "topology.unpeered_spoke",
                    spoke.resource,
                    spoke.address,
                    f"VNet {named(spoke)} has no known peering with the hub {hub.address}: the remote VNet "
                    f"of {which} is unknown at plan time; required: a peering with the hub",
                    kind="unknown",
                )
            else:
                yield _finding(
                    "topology.unpeered_spoke",
                    spoke.resource,
                    spoke.address,
                    f"spoke VNet {named(spoke)} is not peered with the hub {hub.address} (no peering either "
                    "way); required: a spoke-to-hub peering and the hub's peering back",
                )
            continue
        if not to_hub and unknown_out:
            yield _finding(
                "topology.peering_one_way",
                spoke.resource,
                spoke.address,
                f"the hub peers with spoke VNet {named(spoke)} but the remote VNet of "
                f"{', '.join(p.address for p in unknown_out)} is unknown at plan time; required: a peering back to "
                f"the hub {hub.address}",
                kind="unknown",
            )
        elif not to_hub:
            yield _finding(
                "topology.peering_one_way",
                spoke.resource,
                spoke.address,
                f"the hub peers with spoke VNet {named(spoke)} ({back[0].address}) but the spoke has no peering "
                f"to the hub {hub.address}; required: peerings on both sides",
            )
        elif not back and hub.in_inventory and not unknown_back:
            yield _finding(
                "topology.peering_one_way",
                to_hub[0].resource,
                to_hub[0].address,
                f"spoke VNet {named(spoke)} peers with the hub but the hub {hub.address} has no peering back; "
                "required: peerings on both sides",
                related=(hub.address,),
            )
        for p in to_hub:
            yield from _spoke_side_settings(p, spoke, hub, hub_gateway)
        if hub_gateway:
            for p in back:
                yield from _flag(
                    p,
                    "allow_gateway_transit",
                    p.allow_gateway_transit,
                    True,
                    f"the hub's peering to {named(spoke)} must offer its gateway (allow_gateway_transit)",
                )
    for p in topo.peerings:
        if p.local is None or topo.is_hub(p.local) or _is_hub_side(topo, p):
            continue
        local = p.local.name or p.local.address
        if p.remote_unknown:
            yield _finding(
                "topology.spoke_to_spoke",
                p.resource,
                p.address,
                f"peering {named(p)} of spoke VNet {local}: the remote VNet is unknown at plan time and no "
                "configuration reference names it; required: spokes peer only with the hub",
                kind="unknown",
                attr="remote_virtual_network_id",
            )
            continue
        where = "" if p.remote is not None else " (outside the inventory)"
        related = tuple(a for a in (p.remote.address if p.remote else p.remote_id,) if a)
        yield _finding(
            "topology.spoke_to_spoke",
            p.resource,
            p.address,
            f"peering {named(p)} joins spoke VNet {local} with {p.describe_remote()}{where}, which is not the "
            f"hub {hub.address}; required: spokes peer only with the hub",
            attr="remote_virtual_network_id",
            related=related,
        )


def _spoke_side_settings(p: Peering, spoke: VNet, hub: VNet, hub_gateway: bool) -> Iterator[Finding]:
    yield from _flag(
        p,
        "allow_forwarded_traffic",
        p.allow_forwarded_traffic,
        True,
        f"the peering of spoke {named(spoke)} to the hub must allow forwarded traffic",
    )
    if hub_gateway:
        yield from _flag(
            p,
            "use_remote_gateways",
            p.use_remote_gateways,
            True,
            f"the hub {named(hub)} has a gateway: the peering of spoke {named(spoke)} must use it "
            "(use_remote_gateways)",
        )


def _flag(p: Peering, attr: str, value: bool | None, wanted: bool, required: str) -> Iterator[Finding]:
    if value is None:
        yield _finding(
            "topology.peering_settings",
            p.resource,
            p.address,
            f"peering {named(p)}: {attr} is unknown at plan time; required: {required}",
            kind="unknown",
            attr=attr,
        )
    elif value is not wanted:
        yield _finding(
            "topology.peering_settings",
            p.resource,
            p.address,
            f"peering {named(p)} has {attr} = {str(value).lower()}; required: {required}",
            attr=attr,
        )


# ---------------------------------------------------------------------------------------------
# Address spaces


def _overlaps(topo: Topology) -> Iterator[Finding]:
    """Sort every range by start and sweep: a range overlapping any earlier one overlaps the earlier
    range reaching furthest, so one pass finds every overlapping VNet (n log n, not n squared)."""
    ranges: list[tuple[int, int, int, int, VNet, Network]] = []
    for vnet in topo.vnets:
        if vnet.space_unknown and not vnet.networks:
            yield _finding(
                "topology.address_overlap",
                vnet.resource,
                vnet.address,
                f"VNet {named(vnet)}: address space unknown at plan time; overlap not assessed; required: an "
                "address space known before apply",
                kind="unknown",
                attr="address_space",
            )
        for net in vnet.networks:
            ranges.append((net.version, int(net.network_address), -int(net.broadcast_address), id(vnet), vnet, net))
    ranges.sort(key=lambda t: t[:3])
    reported: set[tuple[int, int]] = set()
    furthest: tuple[int, int, VNet, Network] | None = None  # (version, end, vnet, net)
    for version, start, neg_end, _, vnet, net in ranges:
        end = -neg_end
        if furthest is not None and furthest[0] == version and start <= furthest[1]:
            other, other_net = furthest[2], furthest[3]
            pair = (id(vnet), id(other))
            if not same_network(vnet, other) and pair not in reported:
                reported.add(pair)
                yield _finding(
                    "topology.address_overlap",
                    vnet.resource,
                    vnet.address,
                    f"VNet {named(vnet)} address space {net} overlaps {other_net} of {other.address}; required: "
                    "address spaces that do not overlap",
                    attr="address_space",
                    related=(other.address,),
                )
        if furthest is None or furthest[0] != version or end > furthest[1]:
            furthest = (version, end, vnet, net)


def _ip_plan(topo: Topology, inventory: Inventory) -> Iterator[Finding]:
    lines = inventory.settings.get("ip_plan")
    if not lines:
        return
    plan = parse_ip_plan(lines, rules_of(inventory))
    everything = [net for nets in plan.values() for net in nets]
    for vnet in topo.vnets:
        env = vnet.environment
        allowed = [*plan.get(env, ()), *plan.get(None, ())] if env is not None else everything
        if env is not None and not allowed:
            allowed = everything
        for net in vnet.networks:
            if not any(net.version == a.version and net.subnet_of(a) for a in allowed):  # type: ignore[arg-type]
                ranges = ", ".join(map(str, allowed)) or "none"
                yield _finding(
                    "topology.ip_plan",
                    vnet.resource,
                    vnet.address,
                    f"VNet {named(vnet)} ({env or 'unclassified'}) address space {net} lies outside the IP plan "
                    f"({ranges}); required: inside cloudcheck_ip_plan",
                    attr="address_space",
                )


# ---------------------------------------------------------------------------------------------
# Hub-only appliances, public IPs, NSGs


def _appliances(topo: Topology) -> Iterator[Finding]:
    for a in topo.appliances:
        if a.vnet is None or topo.is_hub(a.vnet) or (topo.hub is not None and same_network(a.vnet, topo.hub)):
            continue
        check, what = HUB_ONLY[a.kind]
        yield _finding(
            check,
            a.resource,
            a.resource.address,
            f"{what} {named(a.resource)} sits in spoke VNet {a.vnet.address}; required: {what}s only in the "
            f"hub {topo.hub.address if topo.hub else ''}".rstrip(),
            related=(a.vnet.address,),
        )


def _public_ips(topo: Topology) -> Iterator[Finding]:
    appliances = {id(a.resource) for a in topo.appliances}  # reported by their own rule
    for use in topo.public_ips:
        if use.vnet is None or topo.is_hub(use.vnet) or id(use.holder) in appliances:
            continue
        holder = use.holder
        if use.unknown:
            yield _finding(
                "topology.public_ip",
                holder,
                holder.address,
                f"{holder.type} {named(holder)} in spoke VNet {use.vnet.address}: whether it has a public IP is "
                "unknown at plan time; required: no public IP in a spoke",
                kind="unknown",
            )
        elif use.public_ip is holder:
            yield _finding(
                "topology.public_ip",
                holder,
                holder.address,
                f"public IP {named(holder)} in the resource group of spoke VNet {use.vnet.address}; required: "
                "no public IP in a spoke (internet traffic goes through the hub)",
            )
        else:
            yield _finding(
                "topology.public_ip",
                holder,
                holder.address,
                f"{holder.type} {named(holder)} in spoke VNet {use.vnet.address} has public IP "
                f"{use.describe()}; required: no public IP in a spoke (internet traffic goes through the hub)",
                related=(use.describe(),),
            )


def _nsgs(topo: Topology) -> Iterator[Finding]:
    for subnet in topo.subnets:
        if subnet.reserved or subnet.has_nsg is True:
            continue
        where = f" in VNet {subnet.vnet.address}" if subnet.vnet is not None else ""
        if subnet.has_nsg is None:
            yield _finding(
                "topology.subnet_nsg",
                subnet.resource,
                subnet.address,
                f"subnet {named(subnet)}{where}: its NSG is unknown at plan time; required: an NSG on every "
                "subnet but the Azure-reserved ones",
                kind="unknown",
            )
        else:
            yield _finding(
                "topology.subnet_nsg",
                subnet.resource,
                subnet.address,
                f"subnet {named(subnet)}{where} has no network security group; required: an NSG on every "
                "subnet but the Azure-reserved ones",
            )


# ---------------------------------------------------------------------------------------------
# Routes


class _FirewallHop:
    """What a spoke default route may point at: the hub firewall's private IPs (or, while they are
    unknown at plan time, an address in the hub's AzureFirewallSubnet, which holds only the firewall;
    or, in a hub without Azure Firewall, an appliance inside the hub's address space)."""

    def __init__(self, hub: VNet) -> None:
        self.hub = hub
        firewalls = [a for a in hub.appliances if a.kind == "firewall"]
        self.firewall_resources = {id(a.resource) for a in firewalls}
        self.firewall_names = {a.resource.name for a in firewalls if a.resource.name}
        self.ips = {ip for a in firewalls for ip in a.private_ips}
        self.ranges: list[Network] = [
            net for s in hub.subnets if (s.name or "").lower() == "azurefirewallsubnet" for net in s.networks
        ]
        if not firewalls and hub.in_inventory:
            self.ranges = list(hub.networks)
        self.known = bool(self.ips or self.ranges)
        where = ", ".join(sorted(self.ips)) or ", ".join(map(str, self.ranges)) or "unknown"
        self.describe = f"the hub firewall ({where})" if firewalls else f"an appliance in the hub ({where})"

    def accepts_ip(self, ip: str) -> bool | None:
        if ip in self.ips:
            return True
        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError:
            return False
        if any(address in net for net in self.ranges):
            return True
        return False if self.known else None

    def accepts_sources(self, sources: tuple[Resource, ...]) -> bool:
        return any(
            id(r) in self.firewall_resources
            or (
                r.is_data_source
                and r.type == "azurerm_firewall"
                and (r.name in self.firewall_names or not self.firewall_names)
            )
            for r in sources
        )


def _spoke_tables(topo: Topology) -> dict[int, tuple[RouteTable, list[str]]]:
    tables: dict[int, tuple[RouteTable, list[str]]] = {}
    for vnet in topo.spokes:
        for subnet in vnet.subnets:
            if subnet.route_table is not None:
                tables.setdefault(id(subnet.route_table), (subnet.route_table, []))[1].append(subnet.name or "?")
    for table in topo.route_tables:  # tables in a spoke's resource group that serve no subnet
        owner = topo.vnet_of(table.resource)
        if id(table) not in tables and owner is not None and not topo.is_hub(owner):
            tables[id(table)] = (table, [])
    return tables


def _routes(topo: Topology) -> Iterator[Finding]:
    hub = topo.hub
    assert hub is not None
    hop = _FirewallHop(hub)
    for vnet in topo.spokes:
        for subnet in vnet.subnets:
            if subnet.reserved or subnet.route_table is not None:
                continue
            if subnet.route_table_unknown:
                yield _finding(
                    "topology.route_table",
                    subnet.resource,
                    subnet.address,
                    f"spoke subnet {named(subnet)} in {vnet.address}: its route table is unknown at plan time; "
                    "required: a route table sending 0.0.0.0/0 to the hub firewall",
                    kind="unknown",
                )
            elif subnet.route_table_outside:
                yield _finding(
                    "topology.route_table",
                    subnet.resource,
                    subnet.address,
                    f"spoke subnet {named(subnet)} uses route table {subnet.route_table_outside}, which is not "
                    "in the inventory; its routes cannot be checked",
                    kind="outside",
                )
            else:
                yield _finding(
                    "topology.route_table",
                    subnet.resource,
                    subnet.address,
                    f"spoke subnet {named(subnet)} in {vnet.address} has no route table; required: a route "
                    f"table sending 0.0.0.0/0 to the hub firewall ({hop.describe})",
                )
    for table, subnets in _spoke_tables(topo).values():
        if subnets:
            yield from _default_route(table, subnets, hop)
        for route in table.routes:
            if _is_default(route.prefix):
                continue
            if isinstance(route.next_hop_type, str) and route.next_hop_type.lower() == "internet":
                yield _finding(
                    "topology.internet_route",
                    route.resource,
                    table.address,
                    f"route table {named(table.resource)}: route {named(route)} sends {route.prefix} straight to "
                    "the Internet; required: no next hop Internet in a spoke (egress through the hub firewall)",
                    attr="route",
                )


def _is_default(prefix: object) -> bool:
    return isinstance(prefix, str) and prefix.strip() in (DEFAULT, "default")


DEFAULT = "0.0.0.0/0"


def _default_route(table: RouteTable, subnets: list[str], hop: _FirewallHop) -> Iterator[Finding]:
    name = table.resource.name
    required = f"0.0.0.0/0 -> VirtualAppliance {hop.describe}"
    served = ", ".join(sorted(subnets))
    if table.routes_unknown:
        yield _finding(
            "topology.default_route",
            table.resource,
            table.address,
            f"route table {name}: routes unknown at plan time; required: {required}",
            kind="unknown",
            attr="route",
        )
        return
    defaults = [r for r in table.routes if _is_default(r.prefix)]
    if not defaults:
        yield _finding(
            "topology.default_route",
            table.resource,
            table.address,
            f"route table {name} (subnets {served}) has no 0.0.0.0/0 route; required: {required}",
            attr="route",
        )
        return
    for route in defaults:
        kind, problem = _judge(route.next_hop_type, route.next_hop_ip, route.next_hop_sources, hop)
        if problem:
            yield _finding(
                "topology.default_route",
                route.resource,
                table.address,
                f"route table {name} (subnets {served}): 0.0.0.0/0 {problem}; required: {required}",
                kind=kind,
                attr="route",
            )


def _judge(hop_type: object, ip: object, sources: tuple[Resource, ...], hop: _FirewallHop) -> tuple[FindingKind, str]:
    """(kind, problem) of a default route's next hop; no problem: ("violation", "")."""
    if hop_type is UNKNOWN:
        return "unknown", "next hop type unknown at plan time"
    if not isinstance(hop_type, str) or hop_type.lower() != "virtualappliance":
        return "violation", f"goes to {hop_type}"
    if ip is UNKNOWN:
        if hop.accepts_sources(sources):
            return "violation", ""
        return "unknown", "next hop IP unknown at plan time and not taken from the hub firewall"
    if not isinstance(ip, str):
        return "violation", "goes to a virtual appliance without an IP"
    verdict = hop.accepts_ip(ip)
    if verdict is None:
        return "unknown", f"goes to {ip}, but the hub firewall's private IP is unknown"
    return "violation", "" if verdict else f"goes to {ip}, which is not the hub firewall"


# ---------------------------------------------------------------------------------------------
# The check


def _no_hub(topo: Topology) -> Iterator[Finding]:
    why = topo.hub_problem or "no hub VNet found (none holds an Azure Firewall or VPN/ExpressRoute gateway)"
    for vnet in topo.vnets:
        yield _finding(
            "topology.hub",
            vnet.resource,
            vnet.address,
            f"VNet {named(vnet)}: {why}, so peering, routing and hub-only rules were not assessed; set cloudcheck_hub",
            kind="not_assessed",
        )


def _in_view(finding: Finding, topo: Topology, view: Inventory) -> bool:
    """A finding on a resource of the view, or on a part of a VNet of the view that has no
    environment of its own (an inline subnet or peering, an unclassified subnet resource)."""
    if finding.address in view:
        return True
    own = topo.inventory.get(finding.address)
    if own is not None and own.environment is not None:
        return False  # classified: it belongs to the view of its own environment
    address = finding.address.split(".subnet[")[0].split(".peering[")[0]
    if address in view:
        return True
    r = topo.inventory.get(address)
    vnet = topo.vnet_of(r) if r is not None else None
    return vnet is not None and vnet.resource is not None and vnet.resource.address in view


def hub_and_spoke(inventory: Inventory) -> Findings:
    """Hub-and-spoke findings of the inventory (empty: compliant). An ambiguous hub makes every VNet a
    `topology.hub` finding (not assessed, saying how to set `cloudcheck_hub`); a `cloudcheck_hub` that
    names no VNet raises `ConfigurationError`.

    On an environment view (`@pytest.mark.environment`) the topology is that of the whole inventory
    (the hub is usually in another environment) and the findings those of the view's resources.
    """
    whole = inventory.whole
    topo = topology_of(whole)
    findings = list(_overlaps(topo)) + list(_ip_plan(topo, whole)) + list(_nsgs(topo))
    if topo.hub is None:
        findings += _no_hub(topo)
    else:
        findings += [*_peerings(topo), *_appliances(topo), *_public_ips(topo), *_routes(topo)]
    if whole is not inventory:
        findings = [f for f in findings if _in_view(f, topo, inventory)]
    findings.sort(key=lambda f: (CHECK_IDS.index(f.check), f.address))
    return Findings(findings)


#: azurerm type prefixes of the network the hub-and-spoke check judges
_NETWORK = (
    "azurerm_virtual_network",
    "azurerm_subnet",
    "azurerm_network_",
    "azurerm_route",
    "azurerm_firewall",
    "azurerm_public_ip",
    "azurerm_virtual_hub",
    "azurerm_virtual_wan",
    "azurerm_vpn_",
    "azurerm_express_route",
    "azurerm_bastion",
    "azurerm_nat_gateway",
    "azurerm_lb",
    "azurerm_application_gateway",
    "azurerm_private_dns",
)


def judges(tf_type: str) -> bool:
    """The types this check judges (coverage gaps hiding one are `topology.not_assessed`)."""
    return tf_type.startswith(_NETWORK)
