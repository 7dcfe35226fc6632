"""checks.nonprod_isolation: nothing joins NonProd to Prod.

    from pytest_cloudcheck import checks
    assert not checks.nonprod_isolation(cloud)

"Data in NonProd mag uitlekken. NonProd heeft geen SLA." So prod data and prod networks must not
be reachable from nonprod. One finding per joining resource, naming both sides (`related`) and how
they are joined:

- `isolation.peering`: a VNet peering between a prod and a nonprod VNet (either direction); a prod
  VNet peered to a VNet outside the inventory whose environment nothing tells is kind `outside`;
- `isolation.cmk_key`: a data store encrypted with a key from the other environment's Key Vault;
- `isolation.private_endpoint`: a private endpoint in one environment connecting to the other's resource;
- `isolation.role_assignment`: a nonprod managed identity given a role on a prod scope;
- `isolation.diagnostics`: a prod resource's diagnostic setting sending to a nonprod sink;
- `isolation.replication`: storage object replication, SQL failover groups and geo replicas,
  Cosmos DB restores, PostgreSQL / MySQL replicas spanning the two;
- `isolation.nsg_rule` / `isolation.firewall_rule`: allow rules letting nonprod address ranges
  into prod address ranges (ranges from the VNets in the inventory and `cloudcheck_ip_plan`).

Links are found by ARM id when known and through configuration references when not, across every
loaded plan file (`pytest_cloudcheck.links`). A link whose other end is unknown at plan time is a
finding of kind `unknown`, never a pass; so is an allow rule (NSG or firewall, Terraform or ARM
shape) whose action or addresses are unknown while what is known does not rule it out. Resources
of the shared platform ("shared") and unclassified ones (see `checks.unclassified`) are neither side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from ..arm import parent_of
from ..encryption import key_coordinates, vault_of
from ..environments import ISOLATED, NONPROD, PROD, environment_of, parse_ip_plan, rules_of
from ..links import BY_REFERENCE, Links, Resolved, Target, links_of, tf_get
from ..model import SENSITIVE, UNKNOWN, Finding, Findings, Inventory, Resource
from ..model import arm_values as arm_get
from ..network import (
    FIREWALL_TYPES,
    WILDCARDS,
    FirewallRule,
    Network,
    Ranges,
    SecurityRule,
    firewall_rules,
    nsg_rules,
    parse_network,
    parse_span,
    security_rule,
)

#: every check id this family reports (the baseline runs one test per id)
#: judges by environment: a resource whose environment is unknown is not assessed (coverage.py)
BY_ENVIRONMENT = True
CHECK_IDS = (
    "isolation.peering",
    "isolation.cmk_key",
    "isolation.private_endpoint",
    "isolation.role_assignment",
    "isolation.diagnostics",
    "isolation.replication",
    "isolation.nsg_rule",
    "isolation.firewall_rule",
)
VNET_ARM = "Microsoft.Network/virtualNetworks"
NSG_ARM = "Microsoft.Network/networkSecurityGroups"


# ---------------------------------------------------------------------------------------------
# Sides of a link


class Side(NamedTuple):
    """One end of a link and its environment."""

    label: str  # an address, or the id / URL it was given as
    env: str | None
    via: str = ""  # "" (the resource itself), "ARM id", "configuration reference"

    def describe(self) -> str:
        return f"{self.label} ({self.env or 'unclassified'})"


def _side(target: Target, inventory: Inventory) -> Side:
    return Side(target.describe(), environment_of(target.resource, target.ident, inventory), target.via)


def _own(r: Resource) -> Side:
    return Side(r.address, r.environment)


def _crosses(a: str | None, b: str | None) -> bool:
    return a in ISOLATED and b in ISOLATED and a != b


class _Context:
    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        # links resolve over the whole inventory even under an environment view: the other side
        # of a cross-environment link is by definition not in the view
        self.whole: Inventory = inventory.whole
        self.links: Links = links_of(self.whole)
        self.findings: list[Finding] = []

    def resources(self, *types: str) -> list[Resource]:
        present = [t for t in types if t in self.inventory.types]
        return self.inventory.resources(*present) if present else []

    def sides(self, resolved: Resolved) -> list[Side]:
        return [_side(t, self.whole) for t in resolved.targets]

    def join(self, check: str, at: Resource, what: str, a: Side, b: Side, how: str, *, required: str = "") -> None:
        """Record a violation when `a` and `b` sit on different sides of the prod / nonprod line."""
        if not _crosses(a.env, b.env):
            return
        via = f", found by {b.via}" if b.via else ""
        self.findings.append(
            Finding(
                check,
                at.address,
                f"{what} joins {a.describe()} and {b.describe()} through {how}{via}; "
                f"{required or 'prod and nonprod must stay separate'}",
                origin=at.origin,
                related=tuple(dict.fromkeys(s.label for s in (a, b) if s.label != at.address)),
            )
        )

    def unknown(self, check: str, at: Resource, what: str, a: Side, how: str) -> None:
        """The other end of a link from a prod / nonprod resource cannot be told at plan time."""
        if a.env not in ISOLATED:
            return
        self.findings.append(
            Finding(
                check,
                at.address,
                f"{what} from {a.describe()}: {how} is unknown at plan time and not visible in the "
                "configuration; cannot tell whether it crosses into the other environment",
                origin=at.origin,
                kind="unknown",
                related=(a.label,) if a.label != at.address else (),
            )
        )


# ---------------------------------------------------------------------------------------------
# VNet peering


def _peerings(ctx: _Context) -> None:
    for p in ctx.resources("azurerm_virtual_network_peering"):
        if p.schema == "arm":
            local_id = parent_of(p)
            local_vnet = ctx.links.find(local_id)
            local = _side(Target(local_vnet, local_id, ""), ctx.whole) if local_id else _own(p)
            remote = ctx.links.resolve(p, "", arm_path="properties.remoteVirtualNetwork.id")
        else:
            local = _local_vnet(ctx, p)
            remote = ctx.links.resolve(p, "remote_virtual_network_id")
        if local.env is None:
            local = Side(local.label, p.environment)
        _peering_findings(ctx, p, local, remote)
    for vnet in ctx.resources("azurerm_virtual_network"):
        if vnet.schema == "arm":  # live VNets carry their peerings inline
            remote = ctx.links.resolve(
                vnet, "", arm_path="properties.virtualNetworkPeerings[*].properties.remoteVirtualNetwork.id"
            )
            _peering_findings(ctx, vnet, _own(vnet), remote)


def _local_vnet(ctx: _Context, p: Resource) -> Side:
    name = p.values.get("virtual_network_name")
    if isinstance(name, str):
        found = ctx.links.find_named(VNET_ARM, name, p.values.get("resource_group_name"), p.subscription_id)
        return Side(found.address, found.environment) if found is not None else Side(name, p.environment)
    vnets = [r for r in p.referenced("virtual_network_name") if r.type == "azurerm_virtual_network"]
    if len(vnets) == 1:
        return Side(vnets[0].address, vnets[0].environment, BY_REFERENCE)
    return _own(p)


def _peering_findings(ctx: _Context, at: Resource, local: Side, remote: Resolved) -> None:
    for target, side in zip(remote.targets, ctx.sides(remote), strict=True):
        ctx.join("isolation.peering", at, "VNet peering", local, side, "remote_virtual_network_id")
        if local.env == PROD and side.env is None:
            # a prod VNet joined to a network nothing classifies: not known to be prod
            outside = target.resource is None or target.resource.is_data_source
            where = "outside the inventory" if outside else "in the inventory but unclassified"
            ctx.findings.append(
                Finding(
                    "isolation.peering",
                    at.address,
                    f"VNet peering joins {local.describe()} and {side.label}, a VNet {where} whose environment "
                    "is not known: the peer is not known to be prod; load its plan or map its subscription "
                    "in cloudcheck_subscriptions",
                    origin=at.origin,
                    kind="outside" if outside else "unknown",
                    related=tuple(s for s in (local.label, side.label) if s != at.address),
                )
            )
    if remote.unknown:
        ctx.unknown("isolation.peering", at, "VNet peering", local, "the remote VNet")


# ---------------------------------------------------------------------------------------------
# Keys of the other environment


def _cmk_keys(ctx: _Context) -> None:
    vaults_by_name: dict[str, list[Resource]] | None = None
    for r in ctx.inventory:
        if r.environment not in ISOLATED:
            continue
        encryption = r.encryption
        if not encryption.assessed:
            continue
        for key in encryption.keys:
            vault: Resource | None = None
            if key.resource is not None:
                vault = vault_of(key.resource)
            elif key.ident:
                coordinates = key_coordinates(key.ident)
                if coordinates:
                    if vaults_by_name is None:
                        vaults_by_name = _vaults_by_name(ctx.whole)
                    found = vaults_by_name.get(coordinates[0], [])
                    vault = found[0] if len(found) == 1 else None
            holder = vault if vault is not None else key.resource
            if holder is None:
                continue
            side = Side(holder.address, holder.environment or (key.resource.environment if key.resource else None))
            how = f"key {key}" + (f" via {key.via}" if key.via else "")
            ctx.join(
                "isolation.cmk_key",
                r,
                f"{r.type} encryption",
                _own(r),
                side,
                how,
                required="each environment encrypts with keys from its own Key Vault",
            )


def _vaults_by_name(inventory: Inventory) -> dict[str, list[Resource]]:
    out: dict[str, list[Resource]] = {}
    for r in (*inventory, *inventory.data_sources):
        if r.type in ("azurerm_key_vault", "azurerm_key_vault_managed_hardware_security_module") and isinstance(
            r.name, str
        ):
            out.setdefault(r.name.lower(), []).append(r)
    return out


# ---------------------------------------------------------------------------------------------
# Private endpoints


def _private_endpoints(ctx: _Context) -> None:
    for pe in ctx.resources("azurerm_private_endpoint"):
        own = _own(pe)
        if own.env is None:
            subnet = ctx.links.resolve(pe, "subnet_id", arm_path="properties.subnet.id")
            envs = {s.env for s in ctx.sides(subnet)}
            own = Side(pe.address, envs.pop() if len(envs) == 1 else None)
        resolved = Resolved()
        for path, arm_path in (
            ("private_service_connection.private_connection_resource_id", "properties.privateLinkServiceConnections"),
            (None, "properties.manualPrivateLinkServiceConnections"),
        ):
            if path is None and pe.schema != "arm":
                continue
            got = ctx.links.resolve(pe, path or "", arm_path=f"{arm_path}[*].properties.privateLinkServiceId")
            resolved = Resolved(resolved.targets + got.targets, resolved.unknown or got.unknown)
        for side in ctx.sides(resolved):
            ctx.join("isolation.private_endpoint", pe, "private endpoint", own, side, "its private service connection")
        if resolved.unknown:
            ctx.unknown("isolation.private_endpoint", pe, "private endpoint", own, "the connected resource")


# ---------------------------------------------------------------------------------------------
# Role assignments


def _role_assignments(ctx: _Context) -> None:
    principals: dict[str, Resource] | None = None
    for ra in ctx.resources("azurerm_role_assignment"):
        if ra.schema == "arm":
            scope_value = arm_get(ra.values, "properties.scope") or [parent_of(ra)]
            scope = ctx.links.resolve_value(ra, scope_value[0], None)
            principal_values = arm_get(ra.values, "properties.principalId")
        else:
            scope = ctx.links.resolve(ra, "scope")
            principal_values = [ra.values.get("principal_id")]
        scope_sides = [_scope_side(ctx, t) for t in scope.targets]
        if not any(s.env == PROD for s in scope_sides):
            continue
        identities: list[Side] = []
        for value in principal_values:
            if isinstance(value, str) and value:
                if principals is None:
                    principals = _principals(ctx.whole)
                found = principals.get(value.lower())
                if found is not None:
                    identities.append(Side(found.address, found.environment, "principal id"))
            elif (value is UNKNOWN or value is SENSITIVE) and ra.schema != "arm":
                referenced = ra.referenced("principal_id")
                identities += [Side(r.address, r.environment, BY_REFERENCE) for r in referenced]
                if not referenced:
                    prod_scope = next(s for s in scope_sides if s.env == PROD)
                    ctx.unknown("isolation.role_assignment", ra, "role assignment on", prod_scope, "the principal")
        role = ra.values.get("role_definition_name") if ra.schema != "arm" else None
        role_text = f"role {role!r}" if isinstance(role, str) else "a role"
        for scope_side in scope_sides:
            for identity in identities:
                if identity.env == NONPROD and scope_side.env == PROD:
                    ctx.join(
                        "isolation.role_assignment",
                        ra,
                        "role assignment",
                        scope_side,
                        identity,
                        f"{role_text} for the nonprod identity on the prod scope",
                        required="nonprod identities get no roles on prod scopes",
                    )


def _scope_side(ctx: _Context, target: Target) -> Side:
    return _side(target, ctx.whole)


def _principals(inventory: Inventory) -> dict[str, Resource]:
    """Principal ids of managed identities in the inventory: user-assigned and system-assigned."""
    out: dict[str, Resource] = {}
    for r in inventory:
        arm = r.schema == "arm"
        read = arm_get if arm else tf_get
        # `[*]`: live resources give `identity` as a Terraform block list (live_attributes), azapi as a dict
        values = read(r.values, "identity[*].principalId" if arm else "identity.principal_id")
        if r.type == "azurerm_user_assigned_identity":
            values += read(r.values, "properties.principalId" if arm else "principal_id")
        for value in values:
            if isinstance(value, str) and value:
                out.setdefault(value.lower(), r)
    return out


# ---------------------------------------------------------------------------------------------
# Data flowing across: diagnostic settings and replication


_DIAGNOSTIC_SINKS = (
    ("log_analytics_workspace_id", "properties.workspaceId", "Log Analytics workspace"),
    ("storage_account_id", "properties.storageAccountId", "storage account"),
    ("eventhub_authorization_rule_id", "properties.eventHubAuthorizationRuleId", "event hub"),
    ("partner_solution_id", "properties.marketplacePartnerId", "partner solution"),
)


def _diagnostics(ctx: _Context) -> None:
    for ds in ctx.resources("azurerm_monitor_diagnostic_setting"):
        if ds.schema == "arm":
            target_id = parent_of(ds)
            source = ctx.links.resolve_value(ds, target_id, None)
        else:
            source = ctx.links.resolve(ds, "target_resource_id")
        sources = ctx.sides(source) or [_own(ds)]
        for path, arm_path, what in _DIAGNOSTIC_SINKS:
            sink = ctx.links.resolve(ds, path, arm_path=arm_path)
            for src in sources:
                if src.env != PROD:
                    continue
                for side in ctx.sides(sink):
                    if side.env == NONPROD:
                        ctx.join(
                            "isolation.diagnostics",
                            ds,
                            "diagnostic setting",
                            src,
                            side,
                            f"{path} (logs of the prod resource sent to a nonprod {what})",
                        )
                if sink.unknown:
                    ctx.unknown("isolation.diagnostics", ds, "diagnostic setting", src, f"the {what} sink ({path})")


class Replication(NamedTuple):
    """A resource that copies data from one store to another (rows of `REPLICATIONS`)."""

    type: str
    what: str
    #: Terraform path of one end; None: the resource itself
    this: str | None
    other: str
    arm_this: str | None
    arm_other: str


REPLICATIONS: tuple[Replication, ...] = (
    Replication(
        "azurerm_storage_object_replication",
        "storage object replication",
        "source_storage_account_id",
        "destination_storage_account_id",
        "properties.sourceAccount",
        "properties.destinationAccount",
    ),
    Replication(
        "azurerm_mssql_failover_group",
        "SQL failover group",
        "server_id",
        "partner_server.id",
        "",
        "properties.partnerServers[*].id",
    ),
    Replication(
        "azurerm_mssql_database",
        "SQL database copy / geo replica",
        None,
        "creation_source_database_id",
        None,
        "properties.sourceDatabaseId",
    ),
    Replication(
        "azurerm_mssql_managed_instance_failover_group",
        "SQL managed instance failover group",
        "managed_instance_id",
        "partner_managed_instance_id",
        "",
        "properties.managedInstancePairs[*].partnerManagedInstanceId",
    ),
    Replication(
        "azurerm_postgresql_flexible_server",
        "PostgreSQL replica",
        None,
        "source_server_id",
        None,
        "properties.sourceServerResourceId",
    ),
    Replication(
        "azurerm_mysql_flexible_server",
        "MySQL replica",
        None,
        "source_server_id",
        None,
        "properties.sourceServerResourceId",
    ),
    Replication(
        "azurerm_postgresql_server",
        "PostgreSQL replica",
        None,
        "creation_source_server_id",
        None,
        "properties.sourceServerId",
    ),
    Replication(
        "azurerm_mysql_server", "MySQL replica", None, "creation_source_server_id", None, "properties.sourceServerId"
    ),
    Replication(
        "azurerm_cosmosdb_account",
        "Cosmos DB restore",
        None,
        "restore.source_cosmosdb_account_id",
        None,
        "properties.restoreParameters.restoreSource",
    ),
)


def _replications(ctx: _Context) -> None:
    for rule in REPLICATIONS:
        for r in ctx.resources(rule.type):
            arm = r.schema == "arm"
            this_path = rule.arm_this if arm else rule.this
            if this_path is None:
                here = [_own(r)]
            elif arm and this_path == "":  # the parent in the id: a failover group's server
                parent = parent_of(r)
                here = ctx.sides(ctx.links.resolve_value(r, parent, None))
            else:
                here = ctx.sides(ctx.links.resolve(r, rule.this or "", arm_path=rule.arm_this))
            other = ctx.links.resolve(r, rule.other, arm_path=rule.arm_other)
            for a in here:
                for b in ctx.sides(other):
                    ctx.join("isolation.replication", r, rule.what, a, b, rule.other if not arm else rule.arm_other)
                if other.unknown:
                    ctx.unknown("isolation.replication", r, rule.what, a, f"the other end ({rule.other})")


# ---------------------------------------------------------------------------------------------
# Address ranges: NSG and firewall rules


class _AddressPlan:
    def __init__(self, ctx: _Context) -> None:
        rules = rules_of(ctx.whole)
        settings = getattr(ctx.whole, "settings", None)
        plan = parse_ip_plan(settings.get("ip_plan") if settings is not None else None, rules)
        per_env: dict[str, list[Network]] = {PROD: list(plan.get(PROD, ())), NONPROD: list(plan.get(NONPROD, ()))}
        for vnet in (
            ctx.whole.resources("azurerm_virtual_network") if "azurerm_virtual_network" in ctx.whole.types else ()
        ):
            if vnet.environment not in ISOLATED:
                continue
            values = (
                arm_get(vnet.values, "properties.addressSpace.addressPrefixes")
                if vnet.schema == "arm"
                else tf_get(vnet.values, "address_space")
            )
            for value in values:
                for item in value if isinstance(value, list) else [value]:
                    net = parse_network(item)
                    if net is not None:
                        per_env[vnet.environment].append(net)
        self.ranges = {env: Ranges(nets) for env, nets in per_env.items()}

    def reach(self, prefixes: list[Any], env: str, wildcard_env: str | None) -> str | None:
        """The first prefix reaching into `env`'s ranges (as "prefix (range)"); wildcards mean `wildcard_env`."""
        for prefix in prefixes:
            if not isinstance(prefix, str):
                continue
            if prefix.strip().lower() in WILDCARDS:
                if wildcard_env == env or (wildcard_env == "any" and self.ranges[env]):
                    return (
                        f"{prefix} (any address)"
                        if wildcard_env == "any"
                        else f"{prefix} (the {env} NSG's own network)"
                    )
                continue
            for net in parse_span(prefix) or ():
                hit = self.ranges[env].overlap(net)
                if hit:
                    return prefix if hit == str(net) else f"{prefix} (overlaps {env} {hit})"
        return None


def _nsg_rules(ctx: _Context, plan: _AddressPlan) -> None:
    for nsg in ctx.resources("azurerm_network_security_group"):
        for rule in nsg_rules(nsg):
            _nsg_rule(ctx, plan, nsg, nsg.environment, rule)
    for r in ctx.resources("azurerm_network_security_rule"):
        _nsg_rule(ctx, plan, r, _nsg_of_rule(ctx, r), security_rule(r))


def _nsg_of_rule(ctx: _Context, rule: Resource) -> str | None:
    if rule.schema == "arm":
        parent = parent_of(rule)
        found = ctx.links.find(parent)
    else:
        found = ctx.links.find_named(
            NSG_ARM,
            rule.values.get("network_security_group_name"),
            rule.values.get("resource_group_name"),
            rule.subscription_id,
        )
    return found.environment if found is not None and found.environment is not None else rule.environment


def _nsg_rule(ctx: _Context, plan: _AddressPlan, at: Resource, nsg_env: str | None, rule: SecurityRule) -> None:
    if rule.access == "deny":
        return
    if rule.unknown and nsg_env == PROD:
        # cannot tell whether nonprod ranges reach prod: unknown, never compliant
        ctx.findings.append(
            Finding(
                "isolation.nsg_rule",
                at.address,
                f"NSG rule {rule.name or '(unnamed)'!r} of a prod NSG: access, direction or address prefixes "
                "unknown at plan time; not compliant until known",
                origin=at.origin,
                kind="unknown",
            )
        )
        return
    if rule.access != "allow":
        return
    inbound = rule.direction == "inbound"
    # a wildcard is the NSG's own network: its destinations inbound, its sources outbound
    source = plan.reach(rule.sources, NONPROD, None if inbound else nsg_env)
    destination = plan.reach(rule.destinations, PROD, nsg_env if inbound else None)
    if source and destination:
        _address_finding(
            ctx, "isolation.nsg_rule", at, f"NSG rule {rule.name!r} ({rule.direction})", source, destination
        )


def _address_finding(ctx: _Context, check: str, at: Resource, what: str, source: str, destination: str) -> None:
    ctx.findings.append(
        Finding(
            check,
            at.address,
            f"{what} allows nonprod source {source} into prod destination {destination}; "
            "nonprod address ranges must not reach prod",
            origin=at.origin,
            related=(f"nonprod {source}", f"prod {destination}"),
        )
    )


def _firewall_rules(ctx: _Context, plan: _AddressPlan) -> None:
    ip_groups: dict[str, list[Any]] = {}

    def ip_group_cidrs(ident: str) -> list[Any]:
        if ident not in ip_groups:
            group = ctx.links.find(ident)
            ip_groups[ident] = tf_get(group.values, "cidrs") if group is not None else []
        return ip_groups[ident]

    for r in ctx.resources(*FIREWALL_TYPES):
        for rule in firewall_rules(r, ip_group_cidrs):
            _firewall_rule(ctx, plan, r, rule)


def _firewall_rule(ctx: _Context, plan: _AddressPlan, at: Resource, rule: FirewallRule) -> None:
    if rule.action not in ("allow", "dnat", "(unknown)"):
        return
    # the firewall sits between every spoke: a wildcard there means any address, nonprod included
    source = plan.reach(rule.sources, NONPROD, "any")
    destination = plan.reach(rule.destinations, PROD, "any")
    may_reach = (source or rule.sources_unknown) and (destination or rule.destinations_unknown)
    if rule.unknown and may_reach and not (source and destination and rule.action != "(unknown)"):
        # some addresses (or the action) known only after apply, and what is known does not rule
        # out nonprod reaching prod: unknown, never compliant
        known = source or destination
        ctx.findings.append(
            Finding(
                "isolation.firewall_rule",
                at.address,
                f"firewall rule {rule.name or '(unnamed)'!r} ({rule.action}): addresses or action unknown at plan "
                f"time{f', and it reaches {known}' if known else ''}; not compliant until known",
                origin=at.origin,
                kind="unknown",
            )
        )
        return
    if rule.action == "(unknown)":
        return
    if source and destination:
        what = f"firewall rule {rule.name!r} ({rule.action})"
        _address_finding(ctx, "isolation.firewall_rule", at, what, source, destination)


# ---------------------------------------------------------------------------------------------
# The check


_LINK_RULES: tuple[Callable[[_Context], None], ...] = (
    _peerings,
    _cmk_keys,
    _private_endpoints,
    _role_assignments,
    _diagnostics,
    _replications,
)


def nonprod_isolation(inventory: Inventory) -> Findings:
    """Isolation findings (empty when nothing joins nonprod to prod)."""
    ctx = _Context(inventory)
    for rule in _LINK_RULES:
        rule(ctx)
    plan = _AddressPlan(ctx)
    _nsg_rules(ctx, plan)
    _firewall_rules(ctx, plan)
    return Findings(_unique(ctx.findings))


def _unique(findings: Iterable[Finding]) -> Iterator[Finding]:
    seen: set[tuple[str, str, str]] = set()
    for f in sorted(findings, key=lambda f: (f.check, f.address, f.message)):
        key = (f.check, f.address, f.message)
        if key not in seen:
            seen.add(key)
            yield f
