"""SLA facts: each resource's financially backed SLA, workloads, composite SLAs and the failure ladder.

    from pytest_cloudcheck import sla
    assert sla.composite(cloud.resources("azurerm_application_gateway", "azurerm_mssql_database")) >= 99.5

`assess(resource)` reads the fields of the resource's row in `rules/sla.py` (azurerm attributes on
plan and HCL resources, ARM paths on live and azapi ones) and finds its case: the SLA, what it
survives, or why it cannot be told (`unknown`: a value known only after apply; `unmatched`: a
value the table has no case for; no row at all). `composite(resources)` multiplies the SLAs of
the components a path depends on. `workloads(inventory)` groups resources into workloads (a
resource group, or a tag with `cloudcheck_workload_tag`) with their components, the hub path and
the failure ladder. The checks (`checks.sla`, `checks.nonprod_cost`, `checks.overbuilt`) and the
reports read these; nothing here knows which source a resource came from.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .arm import parse_arm_id
from .model import SENSITIVE, UNKNOWN, Resource, arm_values
from .rules.sla import LADDER, NO_SLA_OF_THEIR_OWN, Case, Conditions, Extra, Field, SlaRule, rule_for

if TYPE_CHECKING:
    from .model import Inventory

DEFAULT_TARGET = 99.5

__all__ = [
    "DEFAULT_TARGET",
    "LADDER",
    "Assessment",
    "Component",
    "Composite",
    "Workload",
    "assess",
    "composite",
    "target_of",
    "workloads",
]


# ---------------------------------------------------------------------------------------------
# one resource


@dataclass(frozen=True)
class Assessment:
    """What the table says about one resource."""

    resource: Resource
    rule: SlaRule | None
    #: the first case whose conditions hold (None: unknown, unmatched or no row)
    case: Case | None = None
    #: field values as read (after defaults and conversions)
    values: dict[str, Any] = field(default_factory=dict)
    #: the field (and where it is read) whose value is unknown at plan time
    unknown: str | None = None

    @property
    def known(self) -> bool:
        return self.case is not None

    @property
    def sla(self) -> float | None:
        return self.case.sla if self.case is not None else None

    @property
    def survives(self) -> int:
        return self.case.survives if self.case is not None else 0

    def shown(self, names: Iterable[str] | None = None) -> str:
        """`tier = "Free", zones = 0`: the values the answer rests on."""
        wanted = list(names) if names is not None else list(self.values)
        return ", ".join(f"{n} = {_show(self.values[n])}" for n in wanted if n in self.values)

    def describe(self) -> str:
        if self.case is None:
            return "not assessed"
        figure = "no financially backed SLA" if self.case.sla is None else f"{self.case.sla:g}%"
        return f"{figure} ({self.case.what})"


def _show(value: Any) -> str:
    if value is UNKNOWN:
        return "(known after apply)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


def read(resource: Resource, spec: Field, derived: dict[str, Any] | None = None) -> Any:
    """The value of one field on one resource: UNKNOWN when known only after apply."""
    if spec.derived:
        if derived and spec.name in derived:
            return derived[spec.name]
        own = _OWN_DERIVED.get(spec.name)
        return own(resource) if own is not None else spec.default
    if derived and spec.name in derived:
        return derived[spec.name]  # the VM's disk class: the worst of its OS and data disks
    if resource.schema == "arm":
        if not spec.arm:
            return spec.default
        found = arm_values(resource.values, spec.arm)
        # a `[*]` path gives one value per element: the first element's (the first node pool's zones)
        raw = found[0] if found else None
        convert = spec.arm_convert
    else:
        raw = None
        for path in spec.terraform:
            raw = resource.get(path)
            if raw is UNKNOWN and spec.default is not None and resource.sets(path) is False:
                raw = None  # not configured, computed by the provider: its default
            if raw is not None:
                break
        convert = spec.terraform_convert
    if raw is UNKNOWN or raw is SENSITIVE:
        return UNKNOWN
    if raw is None:
        return spec.default
    value = convert(raw)
    return spec.default if value is None else value


_REPLICA_ROLES = {"asyncreplica", "geoasyncreplica", "replica"}


def _geo_replica(r: Resource) -> Any:
    """True for a flexible server replica whose source server is in another region (UNKNOWN when
    it is a replica and either region is not known)."""
    if r.schema == "arm":
        role = arm_values(r.values, "properties.replicationRole")
        if not (role and isinstance(role[0], str) and role[0].lower() in _REPLICA_ROLES):
            return False
        source_id = arm_values(r.values, "properties.sourceServerResourceId")
        known = source_id and isinstance(source_id[0], str) and r.inventory is not None
        sources = [r.inventory.whole.by_id(source_id[0])] if known and r.inventory is not None else []
    else:
        mode = r.get("create_mode")
        if mode is UNKNOWN:
            return UNKNOWN
        if not (isinstance(mode, str) and mode.lower() in _REPLICA_ROLES):
            return False
        source_id = r.get("source_server_id")
        if isinstance(source_id, str) and r.inventory is not None:
            sources = [r.inventory.whole.by_id(source_id)]
        else:
            sources = list(r.referenced("source_server_id"))
    source = next((s for s in sources if s is not None), None)
    if source is None or not isinstance(source.location, str) or not isinstance(r.location, str):
        return UNKNOWN
    return _region(source.location) != _region(r.location)


def _region(location: str) -> str:
    return location.replace(" ", "").lower()  # ARM "West Europe" = azurerm "westeurope"


#: derived fields a resource answers alone (the others come from its workload: `redundancy`)
_OWN_DERIVED: dict[str, Callable[[Resource], Any]] = {"geo_replica": _geo_replica}


def _holds(conditions: Conditions, values: dict[str, Any]) -> bool | None:
    """True when every condition holds, False when one fails, None when one rests on an unknown value."""
    unknown = False
    for name, match in conditions:
        value = values.get(name)
        if value is UNKNOWN:
            unknown = True
            continue
        if not match(value):
            return False
    return None if unknown else True


def holds(extra: Extra, assessment: Assessment) -> bool | None:
    """Whether a cost / beyond-target entry applies to the assessed resource (None: unknown)."""
    return _holds(extra.when, assessment.values)


def assess(resource: Resource, derived: dict[str, Any] | None = None) -> Assessment:
    """The resource's SLA case by its row in the table (no row: `rule` is None)."""
    rule = rule_for(resource.type)
    if rule is None:
        return Assessment(resource, None)
    values = {f.name: read(resource, f, derived) for f in rule.fields}
    fields = rule.field_by_name
    for case in rule.cases:
        verdict = _holds(case.when, values)
        if verdict is None:
            name = next(n for n, _ in case.when if values.get(n) is UNKNOWN)
            return Assessment(resource, rule, None, values, _where(fields[name], resource))
        if verdict:
            return Assessment(resource, rule, case, values)
    return Assessment(resource, rule, None, values)


def _where(spec: Field, resource: Resource) -> str:
    if resource.schema == "arm":
        return f"`{spec.arm}`"
    return f"`{spec.terraform[0]}`" if spec.terraform else f"`{spec.name}`"


def is_factor_type(resource_type: str) -> bool:
    """Whether resources of this type are a factor at all (not a no-SLA type, not covered by another)."""
    rule = rule_for(resource_type)
    return resource_type not in NO_SLA_OF_THEIR_OWN and not (rule is not None and rule.covered_by)


# ---------------------------------------------------------------------------------------------
# redundancy groups (VMs sharing an availability set, VMs of one size across zones)


def _vm_like(r: Resource) -> bool:
    rule = rule_for(r.type)
    return rule is not None and any(f.derived for f in rule.fields)


def _availability_set(r: Resource) -> Any:
    if r.schema == "arm":
        found = arm_values(r.values, "properties.availabilitySet.id")
        return found[0].lower() if found and isinstance(found[0], str) else None
    value = r.get("availability_set_id")
    if value is UNKNOWN:
        targets = r.references("availability_set_id")
        return targets[0] if targets else UNKNOWN
    return value.lower() if isinstance(value, str) else None


def _zone(r: Resource) -> Any:
    """The one zone a zonal VM is in (a string), UNKNOWN, or None (not zonal, or a shape no zone has)."""
    if r.schema == "arm":
        found = arm_values(r.values, "zones")
        return _one_zone(found[0] if found else None)
    value = r.get("zone")
    if value is None:
        value = r.get("zones")
    return _one_zone(value)


def _one_zone(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # `zones = ["1"]`
    if value is UNKNOWN or value is SENSITIVE:
        return UNKNOWN
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        return None
    return str(value)


def _size(r: Resource) -> Any:
    if r.schema == "arm":
        found = arm_values(r.values, "properties.hardwareProfile.vmSize")
        return found[0] if found else None
    size = r.get("size")  # may be UNKNOWN, which has no truth value
    return size if size is not None else r.get("vm_size")


def redundancy(resources: Sequence[Resource]) -> dict[int, tuple[str, dict[str, Any]]]:
    """Per VM (by id()): its group key and derived values (`set_size`, `zone_spread`).

    Within one workload, VMs sharing an availability set are one group; zonal VMs of one size in
    two or more zones are one group (the redundant instances of one tier)."""
    vms = [r for r in resources if _vm_like(r)]
    by_set: dict[Any, list[Resource]] = {}
    by_size: dict[Any, list[Resource]] = {}
    for r in vms:
        place = _workload_of(r)
        aset = _availability_set(r)
        if isinstance(aset, str):
            by_set.setdefault((place, aset), []).append(r)
        size = _size(r)
        if isinstance(size, str) and _zone(r) is not None:
            by_size.setdefault((place, size.lower()), []).append(r)
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    for r in vms:
        place = _workload_of(r)
        aset = _availability_set(r)
        members = by_set.get((place, aset), [r]) if isinstance(aset, str) else [r]
        derived: dict[str, Any] = {"set_size": UNKNOWN if aset is UNKNOWN else len(members), "zone_spread": 1}
        key = f"availability set {aset}" if len(members) > 1 else r.address
        size = _size(r)
        same = by_size.get((place, size.lower()), []) if isinstance(size, str) and _zone(r) is not None else []
        zones = [_zone(m) for m in same]
        if place is UNKNOWN:  # its workload is known only after apply: so are the VMs it is redundant with
            derived["set_size"] = UNKNOWN if aset is not None else 1
            derived["zone_spread"] = UNKNOWN if _zone(r) is not None else 1
        elif any(z is UNKNOWN for z in zones):
            derived["zone_spread"] = UNKNOWN
        elif len(set(zones)) >= 2:
            derived["zone_spread"] = len(set(zones))
            key = f"{size} VMs in zones {', '.join(sorted(map(str, set(zones))))}"
        worst = _worst_disk(r)
        if worst is not None:
            derived["disk"] = worst
        out[id(r)] = (key, derived)
    return out


#: disk types by the single-instance VM SLA they allow, best first (every disk counts)
_DISK_CLASSES: tuple[frozenset[str], ...] = (
    frozenset({"premium_lrs", "premium_zrs", "premiumv2_lrs", "ultrassd_lrs"}),
    frozenset({"standardssd_lrs", "standardssd_zrs"}),
    frozenset({"standard_lrs"}),
)


def _worst_disk(vm: Resource) -> Any:
    """The worst disk type among the VM's OS disk and attached data disks; None without data disks
    (the OS disk field is read as usual)."""
    rule = rule_for(vm.type)
    spec = rule.field_by_name.get("disk") if rule is not None else None
    if spec is None:
        return None
    kinds = [read(vm, spec)]
    data = _data_disk_types(vm)
    if not data:
        return None
    kinds += data
    if any(k is UNKNOWN for k in kinds):
        return UNKNOWN
    ranked = []
    for k in kinds:
        rank = next((i for i, c in enumerate(_DISK_CLASSES) if isinstance(k, str) and k.lower() in c), None)
        if rank is None:
            return k  # a type the table has no case for: said as it is
        ranked.append((rank, k))
    return max(ranked)[1]


def _data_disk_types(vm: Resource) -> list[Any]:
    if vm.schema == "arm":
        return arm_values(vm.values, "properties.storageProfile.dataDisks[*].managedDisk.storageAccountType")
    inline = vm.get("storage_data_disk")  # azurerm_virtual_machine (legacy) has them inline
    out: list[Any] = []
    if isinstance(inline, list):
        out += [d.get("managed_disk_type") for d in inline if isinstance(d, dict) and d.get("managed_disk_type")]
    inventory = vm.inventory.whole if vm.inventory is not None else None
    if inventory is None:
        return out
    return out + _attached(inventory).get(id(vm), [])


_ATTACHED: weakref.WeakKeyDictionary[Inventory, dict[int, list[Any]]] = weakref.WeakKeyDictionary()


def _attached(inventory: Inventory) -> dict[int, list[Any]]:
    """Data disk types by VM (id()), from the inventory's disk attachments (read once per inventory)."""
    found = _ATTACHED.get(inventory)
    if found is not None:
        return found
    found = {}
    for attachment in inventory.resources("azurerm_virtual_machine_data_disk_attachment"):
        target = attachment.get("virtual_machine_id")
        vms = [inventory.by_id(target)] if isinstance(target, str) else attachment.referenced("virtual_machine_id")
        disk_id = attachment.get("managed_disk_id")
        disks = [inventory.by_id(disk_id)] if isinstance(disk_id, str) else attachment.referenced("managed_disk_id")
        kinds = [d.get("storage_account_type", UNKNOWN) for d in disks if d is not None] or [UNKNOWN]
        for vm in vms:
            if vm is not None:
                found.setdefault(id(vm), []).extend(kinds)
    _ATTACHED[inventory] = found
    return found


def _workload_of(r: Resource) -> Any:
    tag = r.inventory.whole.settings.get("workload_tag") if r.inventory is not None else None
    return workload_key(r, tag or None)


# ---------------------------------------------------------------------------------------------
# components and composites


@dataclass
class Component:
    """One factor of a composite: a resource, or a redundant group of VMs counted once."""

    label: str
    members: list[Assessment]
    #: the hub path (the hub's firewall), not the workload's own
    hub: bool = False

    @property
    def first(self) -> Assessment:
        return self.members[0]

    @property
    def sla(self) -> float | None:
        return self.first.sla

    @property
    def known(self) -> bool:
        return all(m.known for m in self.members)

    @property
    def survives(self) -> int:
        return min(m.survives for m in self.members)

    def factor(self) -> str:
        """`azurerm_firewall.hub 99.95%`: the label and its value in the product."""
        return f"{self.label} {_factor_value(self)}"


def components(resources: Iterable[Resource], *, on_path_only: bool = False) -> list[Component]:
    """The factors of these resources: no-SLA types left out, redundant VM groups counted once."""
    chosen = [r for r in resources if is_factor_type(r.type)]
    if on_path_only:
        chosen = [r for r in chosen if (rule := rule_for(r.type)) is not None and rule.on_path]
    groups = redundancy(chosen)
    out: dict[str, Component] = {}
    for r in chosen:
        key, derived = groups.get(id(r), (r.address, {}))
        assessment = assess(r, derived)
        existing = out.get(key)
        if existing is None:
            out[key] = Component(key, [assessment])
        else:
            existing.members.append(assessment)
    return list(out.values())


class Composite(float):
    """A composite SLA in percent: the product of its factors, shown with each factor.

    A factor with no SLA, one unknown at plan time or one not assessed counts as 0: such a path is
    not guaranteed, and `composite(...) >= 99.5` fails rather than passing unseen.
    """

    factors: tuple[Component, ...]

    def __new__(cls, factors: Sequence[Component]) -> Composite:
        product = 1.0
        for c in factors:
            product *= (c.sla / 100.0) if c.known and c.sla is not None else 0.0
        self = super().__new__(cls, round(product * 100.0, 6))
        self.factors = tuple(factors)
        return self

    @property
    def known(self) -> bool:
        return all(c.known for c in self.factors)

    @property
    def survives(self) -> int:
        return min((c.survives for c in self.factors), default=0)

    def product(self) -> str:
        """`99.95% = 99.99% (azurerm_firewall.hub) x 99.95% (azurerm_service_plan.app)`"""
        if not self.factors:
            return "no components with an SLA"
        parts = " x ".join(f"{_factor_value(c)} ({c.label})" for c in self.factors)
        return f"{float(self):.4g}% = {parts}"

    def __repr__(self) -> str:
        return f"Composite({self.product()})"

    __str__ = __repr__


def _factor_value(c: Component) -> str:
    if not c.known:
        return "unknown" if c.first.unknown else "not assessed"
    return "no SLA" if c.sla is None else f"{c.sla:g}%"


def composite(resources: Iterable[Resource]) -> Composite:
    """The composite SLA of a path a squad defines itself: the product over its components.

    Every resource given counts (also monitoring or deployment-time services: the squad chose
    them), except types with no SLA of their own (VNets, NSGs, web apps on their plan, ...).
    VMs sharing an availability set, or of one size across zones, count once, as a group.
    """
    return Composite(components(resources))


# ---------------------------------------------------------------------------------------------
# workloads


def target_of(inventory: Inventory) -> float:
    """`cloudcheck_sla_target` in percent (default 99.5); a value that is not a percentage is an error."""
    from .errors import ConfigurationError

    raw = inventory.settings.get("sla_target")
    if raw in (None, ""):
        return DEFAULT_TARGET
    try:
        value = float(str(raw).strip().rstrip("%"))
    except ValueError:
        raise ConfigurationError(f"cloudcheck_sla_target = {raw!r} is not a percentage such as 99.5") from None
    if not 0 < value <= 100:
        raise ConfigurationError(f"cloudcheck_sla_target = {raw!r} must be a percentage between 0 and 100")
    return value


@dataclass
class Workload:
    """A group of resources that serve one purpose: a resource group, or a tag value."""

    key: str
    #: the resource group's address (or the first member's) that findings carry
    address: str
    members: list[Resource]
    environment: str | None
    components: list[Component]
    composite: Composite
    #: False when the workload is known only after apply (one component, standing for it)
    placed: bool = True

    @property
    def survives(self) -> int:
        return self.composite.survives

    def ladder(self) -> dict[str, bool]:
        """Each rung (`a single resource`, `a fault domain`, `a zone`, `a region`): survived?"""
        known = self.composite.known
        return {name: known and self.survives >= i for i, name in enumerate(LADDER) if i}

    def describe_ladder(self) -> str:
        if not self.composite.known:
            return "unknown (a component is unknown at plan time or not assessed)"
        return f"survives {LADDER[self.survives]}" if self.survives else "survives no failure of a component"


def workload_key(r: Resource, tag: str | None) -> Any:
    """The resource's workload: its tag value (with a tag), else its resource group (lower case);
    None when it belongs to none, UNKNOWN when the tag or group is known only after apply."""
    if tag:
        if r.tags is UNKNOWN or r.tags is SENSITIVE:
            return UNKNOWN
        tags = r.tags if isinstance(r.tags, dict) else {}
        value = tags.get(tag)
        if value is UNKNOWN or value is SENSITIVE:
            return UNKNOWN
        return f"{tag}={value}" if isinstance(value, str) and value else None
    if (r.arm_type or "").lower() == "microsoft.resources/resourcegroups":
        return r.name.lower() if isinstance(r.name, str) else None
    group = r.values.get("resource_group_name")
    if isinstance(group, str) and group:
        return group.lower()
    if group is UNKNOWN or group is SENSITIVE:
        targets = [t for t in r.referenced("resource_group_name") if isinstance(t.name, str)]
        if targets:
            return targets[0].name.lower()  # type: ignore[union-attr]
    parts = parse_arm_id(r.id)
    if parts and parts.resource_group:
        return parts.resource_group.lower()
    if group is None and r.schema != "arm":
        return _parent_workload(r, tag)
    return UNKNOWN if group is UNKNOWN or group is SENSITIVE else None


#: azurerm children without a resource_group_name: the attribute naming the parent they live in
_PARENT_LINKS = {"azurerm_mssql_database": "server_id"}


def _parent_workload(r: Resource, tag: str | None) -> Any:
    """A child's workload is its parent's (`azurerm_mssql_database`: its server's resource group)."""
    attr = _PARENT_LINKS.get(r.type)
    if attr is None:
        return None
    value = r.values.get(attr)
    if isinstance(value, str):
        parts = parse_arm_id(value)
        return parts.resource_group.lower() if parts and parts.resource_group else None
    parents = r.referenced(attr)
    if len(parents) == 1:
        return workload_key(parents[0], tag)
    return UNKNOWN if value is UNKNOWN or value is SENSITIVE else None


def workloads(inventory: Inventory) -> list[Workload]:
    """The inventory's workloads with their on-path components, hub path and composite SLA."""
    whole = inventory.whole
    tag = whole.settings.get("workload_tag") or None
    grouped: dict[str, list[Resource]] = {}
    unplaced: list[Resource] = []
    for r in inventory.resources():
        if r.type.startswith("azurerm_") or r.schema == "arm":
            key = workload_key(r, tag)
            if key is UNKNOWN:
                unplaced.append(r)
            elif key is not None:
                grouped.setdefault(key, []).append(r)
    hub = _hub_components(whole)
    out: list[Workload] = []
    for key, members in sorted(grouped.items()):
        own = components(members, on_path_only=True)
        if not own:
            continue
        env = _agreed(m.environment for m in members if m.type != "azurerm_resource_group")
        factors = own + (hub if hub and _uses_hub(whole, members) and not _holds_any(members, hub) else [])
        group = next((m for m in members if (m.arm_type or "").lower() == "microsoft.resources/resourcegroups"), None)
        out.append(Workload(key, (group or members[0]).address, members, env, factors, Composite(factors)))
    # a component whose workload is known only after apply: its workload's composite is unknown
    # (it may be any workload's factor), said on the component itself, never left out
    for r in unplaced:
        own = components([r], on_path_only=True)
        if own:
            where = "tag " + tag if tag else "resource_group_name"
            rest = Assessment(r, None, unknown=f"`{where}`")
            unknown = Component(f"the rest of its workload ({where} known after apply)", [rest])
            factors = [*own, unknown]
            key = f"unknown ({r.address}: {where} known after apply)"
            out.append(Workload(key, r.address, [r], r.environment, factors, Composite(factors), placed=False))
    return out


def _agreed(envs: Iterable[str | None]) -> str | None:
    found = set(envs)
    return found.pop() if len(found) == 1 else None


def _hub_components(inventory: Inventory) -> list[Component]:
    """The hub path: the hub VNet's firewalls (traffic from spokes goes through them)."""
    from .topology import topology_of

    topo = topology_of(inventory)
    if topo.hub is None:
        return []
    out = []
    for appliance in topo.hub.appliances:
        if appliance.kind == "firewall" and rule_for(appliance.resource.type) is not None:
            out.append(Component(f"hub {appliance.resource.address}", [assess(appliance.resource)], hub=True))
    return out


def _uses_hub(inventory: Inventory, members: list[Resource]) -> bool:
    from .topology import topology_of

    topo = topology_of(inventory)
    for r in members:
        vnet = topo.vnet(r)
        if (
            vnet is not None
            and not topo.is_hub(vnet)
            and any(p.remote is not None and topo.is_hub(p.remote) for p in vnet.peerings)
        ):
            return True
    return False


def _holds_any(members: list[Resource], hub: list[Component]) -> bool:
    held = {id(r) for r in members}
    return any(id(c.first.resource) in held for c in hub)


# ---------------------------------------------------------------------------------------------
# evidence: composite SLA and failure ladder per Prod workload


def ladder_json(inventory: Inventory | None) -> dict[str, Any]:
    """The evidence report's `sla` object: the target and, per Prod workload, its composite SLA
    (each factor), whether it meets the target and which failures it survives."""
    if inventory is None:
        return {"target": DEFAULT_TARGET, "rungs": list(LADDER[1:]), "workloads": []}
    target = target_of(inventory)
    out = []
    for w in workloads(inventory):
        if w.environment != "prod":
            continue
        result = w.composite
        out.append(
            {
                "workload": w.key,
                "address": w.address,
                "composite": float(result) if result.known else None,
                "meets_target": bool(result.known and result >= target),
                "product": result.product(),
                "factors": [
                    {
                        "component": c.label,
                        "sla": c.sla if c.known else None,
                        "known": c.known,
                        "survives": LADDER[c.survives] if c.known else None,
                        "hub": c.hub,
                    }
                    for c in w.components
                ],
                "survives": LADDER[w.survives] if result.known else None,
                "ladder": w.ladder(),
            }
        )
    return {"target": target, "rungs": list(LADDER[1:]), "workloads": out}
