"""The network of an inventory as a hub-and-spoke graph: VNets, subnets, peerings, routes, appliances.

    topo = topology_of(inventory)          # or the `topology` fixture
    topo.hub, topo.spokes, topo.peerings, topo.vnet_of(resource), topo.mermaid()

Built from any source: Terraform-shaped values (`schema == "azurerm"`) and ARM-shaped ones
(`schema == "arm"`: live Azure and azapi resources). Links are found by ARM id when known and through
the plan's configuration references when not (`pytest_cloudcheck.links`), so a spoke plan's peering
to the hub VNet of another plan file resolves. Children given both inline and as resources of their
own (live VNets carry their subnets and peerings inline *and* as child resources) count once.

The hub comes from `cloudcheck_hub` (a name, an address, an ARM id, or a tag `key=value`); without
it, the single VNet holding an Azure Firewall (else the single one holding a VPN / ExpressRoute
gateway) is the hub. Every other VNet is a spoke.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .arm import parse_arm_id
from .errors import ConfigurationError
from .links import BY_ID, BY_REFERENCE, Links, Resolved, Target, links_of, narrow, tf_get
from .model import SENSITIVE, UNKNOWN, Finding, Inventory, Resource, lookup
from .model import arm_values as arm_get
from .network import Network, parse_networks

VNET_ARM = "Microsoft.Network/virtualNetworks"
ROUTE_TABLE_ARM = "Microsoft.Network/routeTables"
#: subnets Azure reserves for its own services: no NSG (or not required) and no spoke route table
RESERVED_SUBNETS = (
    "GatewaySubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "RouteServerSubnet",
    "AzureBastionSubnet",
)
_RESERVED = frozenset(name.lower() for name in RESERVED_SUBNETS)
DEFAULT_ROUTE = "0.0.0.0/0"


def _known(value: Any) -> bool:
    return value is not UNKNOWN and value is not SENSITIVE


# ---------------------------------------------------------------------------------------------
# The parts of the graph


@dataclass(eq=False)
class VNet:
    """A virtual network: its resource (None for a hub known only by its ARM id) and what it holds."""

    resource: Resource | None
    id: str | None
    name: str | None
    networks: list[Network] = field(default_factory=list)
    #: the address space (or part of it) is unknown at plan time
    space_unknown: bool = False
    subnets: list[Subnet] = field(default_factory=list)
    #: peerings this VNet holds (its side)
    peerings: list[Peering] = field(default_factory=list)
    appliances: list[Appliance] = field(default_factory=list)

    @property
    def address(self) -> str:
        if self.resource is not None:
            return self.resource.address
        return self.id or self.name or "(unknown VNet)"

    @property
    def environment(self) -> str | None:
        return self.resource.environment if self.resource is not None else None

    @property
    def in_inventory(self) -> bool:
        return self.resource is not None

    def describe(self) -> str:
        space = ", ".join(map(str, self.networks)) or ("unknown" if self.space_unknown else "none")
        return f"{self.address} ({space})"

    def has(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.appliances)

    @property
    def gateways(self) -> list[Appliance]:
        return [a for a in self.appliances if a.kind in GATEWAY_KINDS]

    def __repr__(self) -> str:
        return f"<VNet {self.address}>"


@dataclass(eq=False)
class Subnet:
    name: str | None
    vnet: VNet | None
    #: the `azurerm_subnet` (or ARM subnet) resource; the VNet's resource for an inline subnet
    resource: Resource
    inline: bool
    id: str | None = None
    networks: list[Network] = field(default_factory=list)
    #: True / False / None (unknown at plan time)
    has_nsg: bool | None = False
    route_table: RouteTable | None = None
    #: the route table's id when it is not in the inventory
    route_table_outside: str | None = None
    route_table_unknown: bool = False

    @property
    def address(self) -> str:
        if not self.inline:
            return self.resource.address
        return f"{self.resource.address}.subnet[{self.name}]"

    @property
    def reserved(self) -> bool:
        return isinstance(self.name, str) and self.name.lower() in _RESERVED

    def __repr__(self) -> str:
        return f"<Subnet {self.address}>"


@dataclass(eq=False)
class Route:
    name: str | None
    prefix: Any  # str, UNKNOWN or None
    next_hop_type: Any
    next_hop_ip: Any
    #: the resource holding it (the route table for inline routes, else the route resource)
    resource: Resource
    #: the resources the next hop IP is taken from (configuration references), when it is unknown
    next_hop_sources: tuple[Resource, ...] = ()


@dataclass(eq=False)
class RouteTable:
    resource: Resource
    routes: list[Route] = field(default_factory=list)
    routes_unknown: bool = False
    subnets: list[Subnet] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.resource.address


@dataclass(eq=False)
class Peering:
    """One side of a VNet peering: held by `local`, pointing at `remote`."""

    resource: Resource
    name: str | None
    local: VNet | None
    remote: VNet | None
    #: the remote VNet's id as given (also when the VNet is outside the inventory)
    remote_id: str | None
    remote_unknown: bool
    #: how the remote VNet was found: by ARM id or through configuration references
    via: str | None
    allow_forwarded_traffic: bool | None
    use_remote_gateways: bool | None
    allow_gateway_transit: bool | None
    inline: bool = False
    #: ARM's `peeringState` (`connected`, `initiated`, `disconnected`), lower case; None where not
    #: known (Terraform shapes: a plan cannot say)
    state: str | None = None

    @property
    def address(self) -> str:
        return f"{self.resource.address}.peering[{self.name}]" if self.inline else self.resource.address

    def describe_remote(self) -> str:
        if self.remote is not None:
            return self.remote.address
        return self.remote_id or "(unknown at plan time)"

    def __repr__(self) -> str:
        return f"<Peering {self.address} -> {self.describe_remote()}>"


GATEWAY_KINDS = ("vpn_gateway", "expressroute_gateway")


@dataclass(eq=False)
class Appliance:
    """A firewall, VPN / ExpressRoute gateway or Bastion host, and the VNet it sits in."""

    resource: Resource
    kind: str  # "firewall" | "vpn_gateway" | "expressroute_gateway" | "bastion"
    vnet: VNet | None
    private_ips: list[str] = field(default_factory=list)


@dataclass(eq=False)
class PublicIpUse:
    """A public IP and what it is attached to (`holder`; the public IP itself when unattached)."""

    holder: Resource
    public_ip: Resource | None
    ident: str | None
    vnet: VNet | None
    #: the attribute is unknown at plan time and no reference tells what it is
    unknown: bool = False

    def describe(self) -> str:
        if self.public_ip is not None:
            return self.public_ip.address
        return self.ident or "(unknown at plan time)"


# ---------------------------------------------------------------------------------------------
# Reading values of both shapes


def _first_str(values: Iterable[Any]) -> str | None:
    return next((v for v in values if isinstance(v, str) and v), None)


def _tri(value: Any, default: bool = False) -> bool | None:
    """A Terraform / ARM boolean: True, False (also when unset: the provider's default), None if unknown."""
    if value is True or value is False:
        return value
    if value is None:
        return default
    return None


#: a subnet resource's own NSG and route table ids: (Terraform, ARM) paths by `schema == "arm"`
_SUBNET_LINKS = {
    False: ("network_security_group_id", "route_table_id"),
    True: ("properties.networkSecurityGroup.id", "properties.routeTable.id"),
}


def _ref_path(arm: bool, path: str) -> str:
    """Where the configuration sets `path`: an azapi resource's ARM properties sit in its `body`."""
    return f"body.{path}" if arm else path


def _arm_prop(values: Any, path: str) -> Any:
    found = arm_get(values, path)
    return found[0] if found else None


def _state(value: Any) -> str | None:
    """ARM's `peeringState` in lower case (`connected`, `initiated`, `disconnected`); None if absent."""
    return value.lower() if isinstance(value, str) else None


# ---------------------------------------------------------------------------------------------
# Public IP holders: where each type keeps its subnet and its public IP (Terraform | ARM paths)


class _Holder(NamedTuple):
    tf_subnet: str
    tf_public_ip: str
    arm_subnet: str
    arm_public_ip: str


_IP_CONFIGS = _Holder(
    "ip_configuration.subnet_id",
    "ip_configuration.public_ip_address_id",
    "properties.ipConfigurations[*].properties.subnet.id",
    "properties.ipConfigurations[*].properties.publicIPAddress.id",
)
HOLDERS: dict[str, _Holder] = {
    "azurerm_network_interface": _IP_CONFIGS,
    "azurerm_firewall": _IP_CONFIGS,
    "azurerm_virtual_network_gateway": _IP_CONFIGS,
    "azurerm_bastion_host": _IP_CONFIGS,
    "azurerm_lb": _Holder(
        "frontend_ip_configuration.subnet_id",
        "frontend_ip_configuration.public_ip_address_id",
        "properties.frontendIPConfigurations[*].properties.subnet.id",
        "properties.frontendIPConfigurations[*].properties.publicIPAddress.id",
    ),
    "azurerm_application_gateway": _Holder(
        "gateway_ip_configuration.subnet_id",
        "frontend_ip_configuration.public_ip_address_id",
        "properties.gatewayIPConfigurations[*].properties.subnet.id",
        "properties.frontendIPConfigurations[*].properties.publicIPAddress.id",
    ),
}
#: appliance types -> kind (gateways are refined by their `type` / `gatewayType`)
APPLIANCES = {
    "azurerm_firewall": "firewall",
    "azurerm_virtual_network_gateway": "gateway",
    "azurerm_bastion_host": "bastion",
}


def _region(location: str) -> str:
    return location.replace(" ", "").lower()  # "West Europe" and "westeurope" are one region


# ---------------------------------------------------------------------------------------------
# The topology


class Topology:
    """The hub-and-spoke graph of one inventory (build it with `topology_of`)."""

    def __init__(self, inventory: Inventory, hub_setting: str | None = None) -> None:
        self.inventory = inventory
        self.links: Links = links_of(inventory)
        self.vnets: list[VNet] = []
        self.subnets: list[Subnet] = []
        self.peerings: list[Peering] = []
        self.route_tables: list[RouteTable] = []
        self.appliances: list[Appliance] = []
        self.public_ips: list[PublicIpUse] = []
        self.hub: VNet | None = None
        #: how the hub was chosen (for messages): "cloudcheck_hub = ...", "the only VNet with a firewall"
        self.hub_reason: str = ""
        #: why no hub could be chosen when several VNets qualify (the hub is configured, never guessed)
        self.hub_problem: str = ""
        self._vnet_by_resource: dict[int, VNet] = {}
        self._subnet_by_resource: dict[int, Subnet] = {}
        self._subnet_by_id: dict[str, Subnet] = {}
        self._subnet_by_name: dict[tuple[int, str], Subnet] = {}
        self._table_by_resource: dict[int, RouteTable] = {}
        self._placed: dict[int, VNet | None] = {}
        self._vnets_by_group: dict[str, list[VNet]] | None = None
        self._build()
        self._choose_hub(hub_setting)

    # -- the public view ----------------------------------------------------------------------
    @property
    def spokes(self) -> list[VNet]:
        return [v for v in self.vnets if v is not self.hub]

    def is_hub(self, vnet: VNet | None) -> bool:
        return vnet is not None and self.hub is not None and vnet is self.hub

    def vnet(self, resource: Resource) -> VNet | None:
        """The VNet object of a VNet resource."""
        return self._vnet_by_resource.get(id(resource))

    def vnet_of(self, resource: Resource) -> VNet | None:
        """The VNet a resource sits in: by its subnet (NICs, firewalls, gateways, load balancers,
        associations), its peering's local side, its public IP's holder, the subnets a route table
        serves; else the single VNet of its resource group. None when that cannot be told."""
        placed = self._placed.get(id(resource), _NOWHERE)
        if placed is not _NOWHERE:
            return placed  # type: ignore[return-value]
        vnet = self._by_group(resource)
        self._placed[id(resource)] = vnet
        return vnet

    def mermaid(self, findings: Iterable[Finding] = ()) -> str:
        """A Mermaid flowchart: hub, spokes per environment, peerings; the VNets and peerings these
        findings name (`checks.hub_and_spoke`'s, say) marked. The model judges nothing itself."""
        from .topology_mermaid import render

        return render(self, findings)

    def __repr__(self) -> str:
        hub = self.hub.address if self.hub is not None else None
        return f"<Topology hub={hub} spokes={len(self.spokes)} peerings={len(self.peerings)}>"

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        inv = self.inventory
        for r in inv.resources("azurerm_virtual_network"):
            self._add_vnet(r)
        for r in inv.resources("azurerm_subnet"):
            self._add_subnet_resource(r)
        for vnet in list(self.vnets):
            self._add_inline_subnets(vnet)
        for r in inv.resources("azurerm_route_table"):
            self._add_route_table(r)
        for r in inv.resources("azurerm_route"):
            self._add_route_resource(r)
        for subnet in self.subnets:
            self._read_subnet_links(subnet)
        for r in inv.resources("azurerm_subnet_network_security_group_association"):
            for subnet in self._subnets_at(r, "subnet_id"):
                subnet.has_nsg = True
                self._placed[id(r)] = subnet.vnet
        for r in inv.resources("azurerm_subnet_route_table_association"):
            subnets = self._subnets_at(r, "subnet_id")
            for subnet in subnets:
                self._placed[id(r)] = subnet.vnet
                self._attach_route_table(subnet, self.links.resolve(r, "route_table_id"))
        for r in inv.resources("azurerm_virtual_network_peering"):
            self._add_peering_resource(r)
        for vnet in list(self.vnets):
            self._add_inline_peerings(vnet)
        for rtype, holder in HOLDERS.items():
            for r in inv.resources(rtype):
                self._add_holder(r, holder)
        self._add_unattached_public_ips()
        for table in self.route_tables:
            vnets = {id(s.vnet): s.vnet for s in table.subnets if s.vnet is not None}
            if len(vnets) == 1:
                self._placed[id(table.resource)] = next(iter(vnets.values()))

    def _add_vnet(self, r: Resource) -> None:
        if r.schema == "arm":
            space = arm_get(r.values, "properties.addressSpace.addressPrefixes[*]")
        else:
            space = tf_get(r.values, "address_space")
        networks, unknown = parse_networks(space)
        if r.values.get("address_space") is UNKNOWN:
            unknown = True
        vnet = VNet(r, r.id, r.name, networks, unknown)
        self.vnets.append(vnet)
        self._vnet_by_resource[id(r)] = vnet
        self._placed[id(r)] = vnet

    def _vnet_at(self, ident: Any) -> VNet | None:
        return self._vnet_of(self.links.find(ident))

    def _vnet_of(self, found: Resource | None) -> VNet | None:
        return self._vnet_by_resource.get(id(found)) if found is not None else None

    def _register_subnet(self, subnet: Subnet) -> bool:
        """Index a subnet; False when it is already known (a live subnet given inline and as a child)."""
        key_id = subnet.id.lower().rstrip("/") if subnet.id else None
        key_name = (id(subnet.vnet), subnet.name.lower()) if subnet.vnet is not None and subnet.name else None
        if (key_id and key_id in self._subnet_by_id) or (key_name and key_name in self._subnet_by_name):
            return False
        self.subnets.append(subnet)
        if key_id:
            self._subnet_by_id[key_id] = subnet
        if key_name:
            self._subnet_by_name[key_name] = subnet
        if subnet.vnet is not None:
            subnet.vnet.subnets.append(subnet)
        return True

    def _add_subnet_resource(self, r: Resource) -> None:
        if r.schema == "arm":
            networks, _ = parse_networks(
                [_arm_prop(r.values, "properties.addressPrefix"), *arm_get(r.values, "properties.addressPrefixes[*]")]
            )
            vnet = self._parent_vnet(r, networks)
        else:
            vnet = self._local_vnet(r)
            networks, _ = parse_networks([*tf_get(r.values, "address_prefixes"), *tf_get(r.values, "address_prefix")])
        subnet = Subnet(r.name, vnet, r, inline=False, id=r.id, networks=networks)
        self._register_subnet(subnet)
        self._subnet_by_resource[id(r)] = subnet
        self._placed[id(r)] = vnet

    def _parent_vnet(self, r: Resource, networks: list[Network]) -> VNet | None:
        """A subnet's VNet; when its parent id is known only after apply and may come from several
        VNets, the one whose address space holds the subnet's prefixes (none when not one)."""
        vnets = [v for v in map(self._vnet_of, self.links.parent_candidates(r)) if v is not None]
        if len(vnets) > 1 and networks:
            vnets = [
                v
                for v in vnets
                if not v.space_unknown
                and all(any(n.version == s.version and n.subnet_of(s) for s in v.networks) for n in networks)  # type: ignore[arg-type]
            ]
        return vnets[0] if len(vnets) == 1 else None

    def _local_vnet(self, r: Resource) -> VNet | None:
        """The VNet a Terraform child (subnet, peering) names with `virtual_network_name`."""
        name = r.values.get("virtual_network_name")
        if isinstance(name, str):
            group = r.values.get("resource_group_name")
            found = self.links.find_named(VNET_ARM, name, group, r.subscription_id)
            if found is not None:
                return self._vnet_by_resource.get(id(found))
            if r.id:  # the parent part of a known id
                parts = parse_arm_id(r.id)
                return self._vnet_at(parts.parent) if parts is not None else None
            return None
        vnets = [
            self._vnet_by_resource[id(v)]
            for v in r.referenced("virtual_network_name")
            if id(v) in self._vnet_by_resource
        ]
        return vnets[0] if len(vnets) == 1 else None

    def _add_inline_subnets(self, vnet: VNet) -> None:
        r = vnet.resource
        assert r is not None
        if r.schema == "arm":
            blocks = arm_get(r.values, "properties.subnets[*]")
        else:
            raw = r.values.get("subnet")
            blocks = raw if isinstance(raw, list) else []
        for block in blocks:
            if not isinstance(block, dict):
                continue
            if r.schema == "arm":
                found = block.get("properties")
                props: dict[str, Any] = found if isinstance(found, dict) else {}
                prefixes = [props.get("addressPrefix"), *(props.get("addressPrefixes") or [])]
                nsg = _arm_prop(props, "networkSecurityGroup.id")
                table = _arm_prop(props, "routeTable.id")
            else:
                prefixes = [*(block.get("address_prefixes") or []), block.get("address_prefix")]
                nsg = block.get("security_group")
                table = block.get("route_table_id")
            networks, _ = parse_networks(p for p in prefixes if p is not None)
            name = block.get("name") if isinstance(block.get("name"), str) else None
            ident = block.get("id") if isinstance(block.get("id"), str) else None
            subnet = Subnet(name, vnet, r, inline=True, id=ident, networks=networks)
            if not self._register_subnet(subnet):
                continue
            subnet.has_nsg = True if isinstance(nsg, str) and nsg else (None if nsg is UNKNOWN else False)
            if isinstance(table, str) and table:
                self._attach_route_table(subnet, self.links.resolve_value(r, table, None))
            elif table is UNKNOWN:
                subnet.route_table_unknown = True

    def _read_subnet_links(self, subnet: Subnet) -> None:
        """NSG and route table set on a subnet resource itself (ARM shape; old azurerm attributes)."""
        if subnet.inline:
            return
        r = subnet.resource
        arm = r.schema == "arm"
        nsg_path, table_path = _SUBNET_LINKS[arm]
        if arm:
            nsg = _arm_prop(r.values, nsg_path)
            table = self.links.resolve(r, "", arm_path=table_path)
        else:
            nsg = r.values.get(nsg_path)
            table = self.links.resolve(r, table_path)
        if isinstance(nsg, str) and nsg:
            subnet.has_nsg = True
        elif nsg is UNKNOWN or nsg is SENSITIVE:
            # known only after apply (an azapi body's `networkSecurityGroup.id` naming an NSG made
            # in the same apply): an association when the configuration references an NSG there
            refs = self._referenced(r, _ref_path(arm, nsg_path), "azurerm_network_security_group")
            subnet.has_nsg = True if refs else None
        if arm and table.unknown:
            refs = self._referenced(r, _ref_path(arm, table_path), "azurerm_route_table")
            if refs:
                table = Resolved(tuple(Target(t, t.id, BY_REFERENCE) for t in refs))
        self._attach_route_table(subnet, table)

    @staticmethod
    def _referenced(r: Resource, path: str, resource_type: str) -> list[Resource]:
        """The resources of `resource_type` the configuration references at `path`."""
        return narrow(r, [t for t in r.referenced(path) if t.type == resource_type])

    def _subnets_at(self, r: Resource, path: str, arm_path: str | None = None) -> list[Subnet]:
        """The subnets an attribute (`subnet_id`, `ip_configuration.subnet_id`) points at."""
        return [s for t in self.links.resolve(r, path, arm_path=arm_path).targets for s in [self._subnet_of(t)] if s]

    def _subnet_of(self, target: Target) -> Subnet | None:
        if target.resource is not None and id(target.resource) in self._subnet_by_resource:
            return self._subnet_by_resource[id(target.resource)]
        ident = target.ident
        if not isinstance(ident, str):
            return None
        subnet = self._subnet_by_id.get(ident.lower().rstrip("/"))
        if subnet is not None:
            return subnet
        parts = parse_arm_id(ident)  # `.../virtualNetworks/v/subnets/s` of a VNet whose id is unknown
        if parts is None or parts.name is None or (parts.arm_type or "").lower() != f"{VNET_ARM}/subnets".lower():
            return None
        vnet = self._vnet_at(parts.parent)
        return self._subnet_by_name.get((id(vnet), parts.name.lower())) if vnet is not None else None

    # -- route tables -------------------------------------------------------------------------
    def _add_route_table(self, r: Resource) -> None:
        table = RouteTable(r)
        self.route_tables.append(table)
        self._table_by_resource[id(r)] = table
        if r.schema == "arm":
            for block in arm_get(r.values, "properties.routes[*]"):
                if isinstance(block, dict):
                    table.routes.append(self._arm_route(r, block))
            return
        raw = r.values.get("route")
        if raw is UNKNOWN:
            table.routes_unknown = True
            return
        for block in raw if isinstance(raw, list) else ():
            if not isinstance(block, dict):
                continue
            hop_ip = block.get("next_hop_in_ip_address")
            sources = tuple(r.referenced("route.next_hop_in_ip_address")) if hop_ip is UNKNOWN else ()
            table.routes.append(
                Route(block.get("name"), block.get("address_prefix"), block.get("next_hop_type"), hop_ip, r, sources)
            )

    @staticmethod
    def _arm_route(holder: Resource, block: dict[str, Any]) -> Route:
        props = block.get("properties") if isinstance(block.get("properties"), dict) else block
        return Route(
            block.get("name") if isinstance(block.get("name"), str) else None,
            _arm_prop(props, "addressPrefix"),
            _arm_prop(props, "nextHopType"),
            _arm_prop(props, "nextHopIpAddress"),
            holder,
        )

    def _add_route_resource(self, r: Resource) -> None:
        if r.schema == "arm":
            table = self._table_at(self.links.parent(r))
            if table is None:
                return
            route = self._arm_route(r, r.values)
            route.name = r.name
            if any(existing.name == route.name for existing in table.routes):
                return  # live tables list their routes inline too
            table.routes.append(route)
            return
        name = r.values.get("route_table_name")
        if isinstance(name, str):
            found = self.links.find_named(ROUTE_TABLE_ARM, name, r.values.get("resource_group_name"), r.subscription_id)
            tables = [found] if found is not None else []
        else:
            tables = [t for t in r.referenced("route_table_name") if t.type == "azurerm_route_table"]
        table = self._table_at(tables[0]) if len(tables) == 1 else None
        if table is None:
            return
        hop_ip = r.values.get("next_hop_in_ip_address")
        sources = tuple(r.referenced("next_hop_in_ip_address")) if hop_ip is UNKNOWN else ()
        # a table whose routes are separate resources leaves its own (computed) `route` unknown at
        # plan time; azurerm does not mix the two, so the route resources are the table's routes
        table.routes_unknown = False
        table.routes.append(
            Route(r.name, r.values.get("address_prefix"), r.values.get("next_hop_type"), hop_ip, r, sources)
        )

    def _table_at(self, r: Resource | None) -> RouteTable | None:
        return self._table_by_resource.get(id(r)) if r is not None else None

    def _attach_route_table(self, subnet: Subnet, resolved: Resolved) -> None:
        for target in resolved.targets:
            table = self._table_at(target.resource)
            if table is not None:
                if subnet.route_table is None:
                    subnet.route_table = table
                    table.subnets.append(subnet)
            elif subnet.route_table is None:
                subnet.route_table_outside = target.ident
        if resolved.unknown and subnet.route_table is None:
            subnet.route_table_unknown = True

    # -- peerings -----------------------------------------------------------------------------
    def _add_peering_resource(self, r: Resource) -> None:
        if r.schema == "arm":
            local = self._vnet_of(self.links.parent(r))
            props = r.values.get("properties") if isinstance(r.values.get("properties"), dict) else {}
            remote = self.links.resolve(r, "", arm_path="properties.remoteVirtualNetwork.id")
            if remote.unknown:  # azapi body: the reference sits somewhere in `body`
                remote = self._referenced_vnets(r, "body", local) or remote
            peering = self._peering(r, r.name, local, remote, props, arm=True)
        else:
            local = self._local_vnet(r)
            remote = self.links.resolve(r, "remote_virtual_network_id")
            peering = self._peering(r, r.name, local, remote, r.values, arm=False)
        self._placed[id(r)] = local
        self._register_peering(peering)

    def _referenced_vnets(self, r: Resource, attribute: str, local: VNet | None) -> Resolved | None:
        vnets = [v for v in r.referenced(attribute) if id(v) in self._vnet_by_resource]
        vnets = [v for v in vnets if local is None or v is not local.resource]
        if len(vnets) != 1:
            return None
        return Resolved((Target(vnets[0], vnets[0].id, BY_REFERENCE),), False)

    def _peering(
        self, r: Resource, name: Any, local: VNet | None, remote: Resolved, flags: Any, *, arm: bool
    ) -> Peering:
        target = next((t for t in remote.targets), None)
        remote_vnet = self._vnet_by_resource.get(id(target.resource)) if target and target.resource else None
        if arm:
            forwarded = _tri(_arm_prop(flags, "allowForwardedTraffic"))
            remote_gateways = _tri(_arm_prop(flags, "useRemoteGateways"))
            transit = _tri(_arm_prop(flags, "allowGatewayTransit"))
        else:
            forwarded = _tri(lookup(flags, "allow_forwarded_traffic"))
            remote_gateways = _tri(lookup(flags, "use_remote_gateways"))
            transit = _tri(lookup(flags, "allow_gateway_transit"))
        return Peering(
            resource=r,
            name=name if isinstance(name, str) else None,
            local=local,
            remote=remote_vnet,
            remote_id=target.ident if target is not None else None,
            remote_unknown=remote.unknown and target is None,
            via=target.via if target is not None else None,
            allow_forwarded_traffic=forwarded,
            use_remote_gateways=remote_gateways,
            allow_gateway_transit=transit,
            state=_state(_arm_prop(flags, "peeringState")) if arm else None,
        )

    def _register_peering(self, peering: Peering) -> None:
        self.peerings.append(peering)
        if peering.local is not None:
            peering.local.peerings.append(peering)

    def _add_inline_peerings(self, vnet: VNet) -> None:
        r = vnet.resource
        if r is None or r.schema != "arm":
            return
        held = {p.resource.id.lower() for p in vnet.peerings if p.resource.id}
        held |= {p.name.lower() for p in vnet.peerings if p.name}
        for block in arm_get(r.values, "properties.virtualNetworkPeerings[*]"):
            if not isinstance(block, dict):
                continue
            ident, name = block.get("id"), block.get("name")
            if (isinstance(ident, str) and ident.lower() in held) or (isinstance(name, str) and name.lower() in held):
                continue
            props = block.get("properties") if isinstance(block.get("properties"), dict) else {}
            remote = self.links.resolve_value(r, _arm_prop(props, "remoteVirtualNetwork.id"), None)
            peering = self._peering(r, name, vnet, remote, props, arm=True)
            peering.inline = True
            self._register_peering(peering)

    # -- appliances and public IPs ------------------------------------------------------------
    def _add_holder(self, r: Resource, holder: _Holder) -> None:
        arm = r.schema == "arm"
        subnets = self._subnets_at(r, holder.tf_subnet, holder.arm_subnet if arm else None)
        vnet = self._holder_vnet(r, subnets)
        if vnet is None and r.type == "azurerm_bastion_host":  # Developer SKU: no subnet, a VNet id
            vnet = self._vnet_at(r.values.get("virtual_network_id"))
        if vnet is None:
            vnet = self._by_group(r)
        self._placed[id(r)] = vnet
        kind = APPLIANCES.get(r.type)
        if kind is not None:
            appliance = Appliance(r, self._appliance_kind(r, kind), vnet, self._private_ips(r))
            self.appliances.append(appliance)
            if vnet is not None:
                vnet.appliances.append(appliance)
        resolved = self.links.resolve(r, holder.tf_public_ip, arm_path=holder.arm_public_ip if arm else None)
        for target in resolved.targets:
            self.public_ips.append(PublicIpUse(r, target.resource, target.ident, vnet))
            if target.resource is not None:
                self._placed.setdefault(id(target.resource), vnet)
        if resolved.unknown:
            self.public_ips.append(PublicIpUse(r, None, None, vnet, unknown=True))

    @staticmethod
    def _holder_vnet(r: Resource, subnets: list[Subnet]) -> VNet | None:
        """The VNet of the subnets an appliance or NIC sits in. References known only after apply
        may name subnets of several VNets (one hub module for two regions): keep those in the
        holder's own region (Azure places an IP configuration only in a VNet of its region);
        still more than one VNet is no answer."""
        vnets = list({id(s.vnet): s.vnet for s in subnets if s.vnet is not None}.values())
        if len(vnets) > 1 and isinstance(r.location, str):
            here = _region(r.location)
            vnets = [
                v
                for v in vnets
                if v.resource is not None
                and isinstance(v.resource.location, str)
                and _region(v.resource.location) == here
            ]
        return vnets[0] if len(vnets) == 1 else None

    @staticmethod
    def _appliance_kind(r: Resource, kind: str) -> str:
        if kind != "gateway":
            return kind
        raw = _arm_prop(r.values, "properties.gatewayType") if r.schema == "arm" else r.values.get("type")
        return "expressroute_gateway" if isinstance(raw, str) and raw.lower() == "expressroute" else "vpn_gateway"

    @staticmethod
    def _private_ips(r: Resource) -> list[str]:
        if r.schema == "arm":
            found = arm_get(r.values, "properties.ipConfigurations[*].properties.privateIPAddress")
        else:
            found = tf_get(r.values, "ip_configuration.private_ip_address")
        return [ip for ip in found if isinstance(ip, str) and ip]

    def _add_unattached_public_ips(self) -> None:
        attached = {id(u.public_ip) for u in self.public_ips if u.public_ip is not None}
        for r in self.inventory.resources("azurerm_public_ip"):
            if id(r) not in attached:
                self.public_ips.append(PublicIpUse(r, r, r.id, self.vnet_of(r)))

    # -- placing a resource by its resource group ---------------------------------------------
    def _by_group(self, r: Resource) -> VNet | None:
        if self._vnets_by_group is None:
            index: dict[str, list[VNet]] = {}
            for vnet in self.vnets:
                group = _group_of(vnet.resource) if vnet.resource is not None else None
                if group:
                    index.setdefault(group, []).append(vnet)
            self._vnets_by_group = index
        group = _group_of(r)
        if not group:
            return None
        own_sub = r.subscription_id
        candidates = [
            v
            for v in self._vnets_by_group.get(group, ())
            if not (own_sub and v.resource is not None and v.resource.subscription_id not in (None, own_sub))
        ]
        return candidates[0] if len(candidates) == 1 else None

    # -- the hub ------------------------------------------------------------------------------
    def _choose_hub(self, setting: str | None) -> None:
        if setting:
            self.hub = self._configured_hub(setting.strip())
            self.hub_reason = f"cloudcheck_hub = {setting.strip()}"
            return
        with_firewall = [v for v in self.vnets if v.has("firewall")]
        with_gateway = [v for v in self.vnets if v.gateways]
        for candidates, what in ((with_firewall, "an Azure Firewall"), (with_gateway, "a VPN/ExpressRoute gateway")):
            unique = _distinct(candidates)
            if len(unique) == 1:
                self.hub = unique[0]
                self.hub_reason = f"the only VNet with {what}"
                return
            if len(unique) > 1:
                names = ", ".join(v.address for v in unique)
                # No hub then: the checks report every VNet as not assessed with this message, the
                # `topology` fixture raises it as a usage error.
                self.hub_problem = (
                    f"cannot tell which VNet is the hub: {names} each hold {what}; set cloudcheck_hub in "
                    "your ini file to the hub's name, address, ARM id or a tag (e.g. role=hub)"
                )
                return

    def _configured_hub(self, setting: str) -> VNet:
        if setting.startswith("/"):
            found = self._vnet_at(setting)
            if found is not None:
                return found
            parts = parse_arm_id(setting)
            if parts is None or (parts.arm_type or "").lower() != VNET_ARM.lower():
                raise ConfigurationError(f"cloudcheck_hub = {setting}: not the ARM id of a virtual network")
            # The hub is in another state / subscription: known by its id only.
            return VNet(None, setting, parts.name)
        if "=" in setting:
            key, _, value = (s.strip() for s in setting.partition("="))
            matches = [
                v
                for v in self.vnets
                if v.resource is not None and isinstance(v.resource.tags, dict) and v.resource.tags.get(key) == value
            ]
            what = f"tag {key}={value}"
        else:
            matches = [
                v
                for v in self.vnets
                if v.resource is not None and setting in (v.resource.address, v.resource.source_address, v.name)
            ]
            what = f"name or address {setting!r}"
        matches = _distinct(matches)
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(f"{v.address} ({v.name})" for v in self.vnets[:10]) or "none"
        if not matches:
            raise ConfigurationError(
                f"cloudcheck_hub = {setting}: no VNet with {what} in the inventory (VNets: {known}); give the hub's "
                "name, address, ARM id or a tag key=value"
            )
        raise ConfigurationError(
            f"cloudcheck_hub = {setting}: {len(matches)} VNets match ({', '.join(v.address for v in matches)}); "
            "give one name, address or ARM id"
        )


_NOWHERE = object()


def _group_of(r: Resource) -> str | None:
    group = r.values.get("resource_group_name")
    if not isinstance(group, str):
        groups = (
            [g.name for g in r.referenced("resource_group_name") if isinstance(g.name, str)]
            if r.schema != "arm"
            else []
        )
        group = groups[0] if len(groups) == 1 else None
    if not isinstance(group, str):
        parts = parse_arm_id(r.id)
        group = parts.resource_group if parts is not None else None
    return group.lower() if isinstance(group, str) and group else None


def same_network(a: VNet, b: VNet) -> bool:
    """The same VNet seen twice (a plan and live Azure, HCL and its plan): same name and group."""
    if a is b:
        return True
    if a.id and b.id and a.id.lower() == b.id.lower():
        return True
    if a.resource is None or b.resource is None or not a.name or not b.name or a.name.lower() != b.name.lower():
        return False
    if a.resource.source_label == b.resource.source_label and a.resource.source == b.resource.source:
        return False
    group_a, group_b = _group_of(a.resource), _group_of(b.resource)
    return group_a is not None and group_a == group_b


def _distinct(vnets: list[VNet]) -> list[VNet]:
    out: list[VNet] = []
    for v in vnets:
        if not any(same_network(v, seen) for seen in out):
            out.append(v)
    return out


# ---------------------------------------------------------------------------------------------
# One topology per inventory


_CACHE: weakref.WeakKeyDictionary[Inventory, Topology] = weakref.WeakKeyDictionary()


def hub_setting_of(inventory: Inventory) -> str | None:
    value = inventory.settings.get("hub")
    return value.strip() if isinstance(value, str) and value.strip() else None


def topology_of(inventory: Inventory, hub: str | None = None) -> Topology:
    """The (cached) topology of an inventory; `hub` overrides `cloudcheck_hub`."""
    if hub is not None:
        return Topology(inventory, hub)
    topo = _CACHE.get(inventory)
    if topo is None:
        topo = _CACHE[inventory] = Topology(inventory, hub_setting_of(inventory))
    return topo


__all__ = [
    "BY_ID",
    "RESERVED_SUBNETS",
    "Appliance",
    "Peering",
    "PublicIpUse",
    "Route",
    "RouteTable",
    "Subnet",
    "Topology",
    "VNet",
    "same_network",
    "topology_of",
]
