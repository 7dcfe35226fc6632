"""The SLA table: per resource type, its financially backed SLA by SKU, tier, redundancy and count.

One `SlaRule` a service. A rule names the `Field`s its SLA depends on, each twice: where azurerm
keeps it (`terraform`, a dotted path as `Resource.get` reads it; alternatives for renamed
attributes) and where ARM keeps it (`arm`, a case-insensitive path as live Azure and azapi give
it). Its `cases` are tried in order; the first whose conditions all hold gives the SLA (None: no
financially backed SLA at all) and what failures that configuration survives (`LADDER`). A
condition on a value unknown at plan time makes the answer unknown, never a pass, so the
decisive field is tested first.

`costs` are what a NonProd resource pays for without needing it (NonProd has no SLA), each
naming the cheaper setting; `beyond` is what a Prod resource has beyond the target (advisory).

Every rule names where Microsoft publishes its figures (`Published`: the Service Level Agreement
for Online Services and the product's SLA / reliability page) and when it was read. Facts only;
no text is copied. `docs/sla.md` is generated from this table (`markdown()`); a test compares it
with the committed file. Evaluation lives in `pytest_cloudcheck.sla`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from .sla_checked import Checked

#: what a configuration survives, weakest first: the failure ladder of the evidence report
LADDER: tuple[str, ...] = ("nothing", "a single resource", "a fault domain", "a zone", "a region")
NOTHING, RESOURCE, FAULT_DOMAIN, ZONE, REGION = range(len(LADDER))

#: the document every figure comes from, and the product pages that detail it
SLA_DOC = "Service Level Agreement for Online Services (Microsoft Licensing: Service Level Agreements, Azure section)"
READ = "2026-12-03"


class Published(NamedTuple):
    """Where Microsoft publishes the figures of one service, and when we read them."""

    service: str
    #: the product's SLA or reliability page (Microsoft Learn / azure.microsoft.com)
    page: str
    read: str = READ

    def describe(self) -> str:
        return f"{SLA_DOC}, section {self.service}; {self.page} (read {self.read})"

    @property
    def checked(self) -> Checked | None:
        """What the figures were compared with and the verdict (rules/sla_checked.py, read by the
        docs: a run does not load it)."""
        from .sla_checked import CHECKED

        return CHECKED.get(self.page)


# ---------------------------------------------------------------------------------------------
# fields and conversions


def as_is(value: Any) -> Any:
    """unchanged"""
    return value


def count(value: Any) -> Any:
    """number of elements (null: 0)"""
    if value is None:
        return 0
    return len(value) if isinstance(value, (list, tuple, set, dict)) else value


def after_underscore(value: Any) -> Any:
    """`Standard_RAGRS` -> `RAGRS`"""
    return value.split("_", 1)[1] if isinstance(value, str) and "_" in value else value


def before_underscore(value: Any) -> Any:
    """`Standard_RAGRS` -> `Standard`"""
    return value.split("_", 1)[0] if isinstance(value, str) and "_" in value else value


def true_if_set(value: Any) -> Any:
    """true when present and not `Disabled` / empty"""
    if value is None:
        return False
    if isinstance(value, str):
        return value.lower() not in ("", "disabled", "none")
    if isinstance(value, (list, dict)):
        return bool(value)
    return value


class Field(NamedTuple):
    """One attribute an SLA depends on, in both shapes."""

    name: str
    #: azurerm paths (the first that is present wins: renamed attributes); () not settable
    terraform: tuple[str, ...]
    #: ARM path ("" where ARM has none)
    arm: str
    #: value when the attribute is absent or null (the provider's / ARM's default); None: none
    default: Any = None
    terraform_convert: Callable[[Any], Any] = as_is
    arm_convert: Callable[[Any], Any] = as_is
    #: computed by `pytest_cloudcheck.sla` from other resources (VMs sharing an availability set)
    derived: str = ""
    #: said in the docs after the paths
    note: str = ""

    def describe(self) -> str:
        if self.derived:
            return f"derived: {self.derived}"
        tf = " or ".join(f"`{p}`" for p in self.terraform) or "(not in azurerm)"
        arm = f"`{self.arm}`" if self.arm else "(none)"
        conv = {fn for fn in (self.terraform_convert, self.arm_convert) if fn is not as_is}
        how = "; ".join((fn.__doc__ or fn.__name__).strip() for fn in sorted(conv, key=lambda f: f.__name__))
        default = "" if self.default is None else f"; default `{_show(self.default)}`"
        more = f"; {self.note}" if self.note else ""
        return f"{tf} / ARM {arm}" + (f" ({how})" if how else "") + default + more


def _f(name: str, terraform: str | tuple[str, ...], arm: str, default: Any = None, **kw: Any) -> Field:
    paths = (terraform,) if isinstance(terraform, str) else terraform
    return Field(name, tuple(p for p in paths if p), arm, default, **kw)


def _zones(terraform: str = "zones", arm: str = "zones") -> Field:
    return _f("zones", terraform, arm, 0, terraform_convert=count, arm_convert=count)


# ---------------------------------------------------------------------------------------------
# conditions


class Match(Protocol):
    """A condition on one field's (known) value (`Is`, `Prefix`, `AtLeast`)."""

    def __call__(self, value: Any) -> bool: ...

    def describe(self) -> str: ...


class Is(NamedTuple):
    """One of these values (strings case-insensitively)."""

    values: tuple[Any, ...]

    def __call__(self, value: Any) -> bool:
        return any(_same(value, v) for v in self.values)

    def describe(self) -> str:
        return " or ".join(f"`{_show(v)}`" for v in self.values)


class Prefix(NamedTuple):
    """A string starting with one of these (case-insensitively)."""

    prefixes: tuple[str, ...]

    def __call__(self, value: Any) -> bool:
        return isinstance(value, str) and value.lower().startswith(tuple(p.lower() for p in self.prefixes))

    def describe(self) -> str:
        return " or ".join(f"`{p}...`" for p in self.prefixes)


class AtLeast(NamedTuple):
    """A number of at least `n`."""

    n: int

    def __call__(self, value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= self.n

    def describe(self) -> str:
        return f">= {self.n}"


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted
    if isinstance(wanted, str):
        return isinstance(value, str) and value.lower() == wanted.lower()
    return bool(value == wanted)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def is_(*values: Any) -> Is:
    return Is(values)


def prefix(*prefixes: str) -> Prefix:
    return Prefix(prefixes)


Conditions = tuple[tuple[str, Match], ...]


def when(**conditions: Match) -> Conditions:
    return tuple(conditions.items())


def describe_conditions(conditions: Conditions) -> str:
    return ", ".join(f"`{name}` {m.describe()}" for name, m in conditions) or "otherwise"


class Case(NamedTuple):
    """One configuration of a service and its SLA."""

    when: Conditions
    #: monthly uptime percentage; None: no financially backed SLA
    sla: float | None
    what: str
    #: the highest rung of `LADDER` it survives
    survives: int


class Extra(NamedTuple):
    """Something paid for that the environment does not need (NonProd cost, Prod beyond target)."""

    when: Conditions
    what: str
    #: the cheaper setting, said in the finding
    instead: str


class SlaRule(NamedTuple):
    types: tuple[str, ...]
    arm_type: str
    source: Published
    fields: tuple[Field, ...]
    cases: tuple[Case, ...]
    #: NonProd pays for these without needing them
    costs: tuple[Extra, ...] = ()
    #: Prod built beyond the target (advisory)
    beyond: tuple[Extra, ...] = ()
    #: on a request's path (its SLA is a factor of the workload's composite); False: management,
    #: monitoring, deployment-time services (their SLA is still checked per resource)
    on_path: bool = True
    #: said under the row in the docs
    note: str = ""
    #: no SLA of its own: another resource's SLA covers it (a disk: its VM's); not a factor, no
    #: `sla.resource` finding; its `costs` still count
    covered_by: str = ""
    #: what to change in Prod to meet the target, said in an `sla.resource` finding
    upgrade: str = ""

    @property
    def field_by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


# ---------------------------------------------------------------------------------------------
# the table

_PREMIUM_DISKS = ("Premium_LRS", "Premium_ZRS", "PremiumV2_LRS", "UltraSSD_LRS")
_STANDARD_SSD = ("StandardSSD_LRS", "StandardSSD_ZRS")
_ZRS_DISKS = ("Premium_ZRS", "StandardSSD_ZRS")

_VM_PAGE = Published(
    "Virtual Machines", "https://learn.microsoft.com/azure/virtual-machines/availability (SLA for Virtual Machines)"
)


def _single_vm_cases(disk: str = "disk") -> tuple[Case, ...]:
    return (
        Case(when(**{disk: is_(*_PREMIUM_DISKS)}), 99.9, "single instance, every disk Premium SSD / Ultra", NOTHING),
        Case(when(**{disk: is_(*_STANDARD_SSD)}), 99.5, "single instance, Standard SSD disks", NOTHING),
        Case(when(**{disk: is_("Standard_LRS")}), 95.0, "single instance, a Standard HDD disk", NOTHING),
    )


_VM_FIELDS = (
    _f("set_size", (), "", 1, derived="VMs of the workload sharing this VM's `availability_set_id`"),
    _f("zone_spread", (), "", 1, derived="distinct `zone`s of the workload's VMs of the same `size`"),
    _f(
        "disk",
        "os_disk.storage_account_type",
        "properties.storageProfile.osDisk.managedDisk.storageAccountType",
        note="the worst of the OS disk and the attached data disks (`azurerm_virtual_machine_data_disk_attachment`; ARM `properties.storageProfile.dataDisks[*].managedDisk.storageAccountType`)",
    ),
)
_VM_CASES = (
    Case(when(zone_spread=AtLeast(2)), 99.99, "two or more instances across two or more availability zones", ZONE),
    Case(when(set_size=AtLeast(2)), 99.95, "two or more instances in one availability set", FAULT_DOMAIN),
    *_single_vm_cases(),
)
_VM_UPGRADE = "a Premium SSD OS disk (99.9%), or two VMs in an availability set (99.95%) or across zones (99.99%)"
_VM_COSTS = (
    Extra(
        when(disk=is_(*_PREMIUM_DISKS[:2])),
        "Premium SSD disks (they buy the single-instance VM SLA)",
        'os_disk.storage_account_type = "StandardSSD_LRS"',
    ),
)

_VMSS_FIELDS = (
    _f("instances", ("instances", "sku.capacity"), "sku.capacity", 1),
    _zones(),
    _f(
        "disk",
        "os_disk.storage_account_type",
        "properties.virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType",
    ),
)
_VMSS_CASES = (
    Case(when(instances=AtLeast(2), zones=AtLeast(2)), 99.99, "two or more instances across zones", ZONE),
    Case(when(instances=AtLeast(2)), 99.95, "two or more instances across fault domains", FAULT_DOMAIN),
    *_single_vm_cases(),
)

_STORAGE_PAGE = Published("Storage Accounts", "https://learn.microsoft.com/azure/storage/common/storage-redundancy")
_GEO = ("GRS", "RAGRS", "GZRS", "RAGZRS")

_VPN_AZ = Prefix(tuple(f"VpnGw{n}AZ" for n in range(1, 6)))
_ER_AZ = Prefix(("ErGw1AZ", "ErGw2AZ", "ErGw3AZ"))

_SQL_PAGE = Published("Azure SQL Database", "https://learn.microsoft.com/azure/reliability/reliability-sql-database")
_FLEX_HA_CASES = (
    Case(when(ha=is_("ZoneRedundant")), 99.99, "zone-redundant high availability", ZONE),
    Case(when(ha=is_("SameZone")), 99.95, "same-zone high availability", RESOURCE),
    Case((), 99.9, "no high availability (single server)", NOTHING),
)
_FLEX_FIELDS = (
    _f("ha", "high_availability.mode", "properties.highAvailability.mode", "Disabled"),
    _f(
        "geo_backup",
        "geo_redundant_backup_enabled",
        "properties.backup.geoRedundantBackup",
        False,
        arm_convert=true_if_set,
    ),
    _f(
        "geo_replica",
        (),
        "",
        False,
        derived='a replica (`create_mode = "Replica"`, ARM `replicationRole`) in another region than its source server',
    ),
)
_FLEX_BEYOND = (
    Extra(
        when(geo_replica=is_(True)),
        "a replica in another region",
        "one region: zone-redundant high availability (99.99%)",
    ),
)
_FLEX_COSTS = (
    Extra(
        when(ha=is_("ZoneRedundant", "SameZone")), "high availability (a standby server)", "no high_availability block"
    ),
    Extra(when(geo_backup=is_(True)), "geo-redundant backups", "geo_redundant_backup_enabled = false"),
    Extra(when(geo_replica=is_(True)), "a replica in another region", "no replica"),
)

# fmt: off
RULES: tuple[SlaRule, ...] = (
    # -- compute ----------------------------------------------------------------------------------
    SlaRule(
        ("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine"),
        "Microsoft.Compute/virtualMachines",
        _VM_PAGE,
        _VM_FIELDS,
        _VM_CASES,
        _VM_COSTS,
        upgrade=_VM_UPGRADE,
    ),
    SlaRule(
        ("azurerm_virtual_machine",),
        "Microsoft.Compute/virtualMachines",
        _VM_PAGE,
        (
            *_VM_FIELDS[:2],
            _f("disk", "storage_os_disk.managed_disk_type", "properties.storageProfile.osDisk.managedDisk.storageAccountType"),
        ),
        _VM_CASES,
        _VM_COSTS,
        upgrade=_VM_UPGRADE,
    ),
    SlaRule(
        (
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_orchestrated_virtual_machine_scale_set",
        ),
        "Microsoft.Compute/virtualMachineScaleSets",
        _VM_PAGE,
        _VMSS_FIELDS,
        _VMSS_CASES,
        (
            Extra(when(instances=AtLeast(2)), "more than one instance", "instances = 1"),
            *_VM_COSTS,
        ),
    ),
    SlaRule(
        ("azurerm_kubernetes_cluster",),
        "Microsoft.ContainerService/managedClusters",
        Published("Azure Kubernetes Service", "https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers"),
        (
            _f("tier", "sku_tier", "sku.tier", "Free"),
            _zones("default_node_pool.zones", "properties.agentPoolProfiles[*].availabilityZones"),
        ),
        (
            Case(when(tier=is_("Free")), None, "Free tier (no financially backed SLA)", FAULT_DOMAIN),
            Case(when(tier=is_("Standard", "Premium", "Paid"), zones=AtLeast(2)), 99.95, "Standard/Premium tier, zones",
                 ZONE),
            Case(when(tier=is_("Standard", "Premium", "Paid")), 99.9, "Standard/Premium tier, no zones",
                 FAULT_DOMAIN),
        ),
        (Extra(when(tier=is_("Standard", "Premium", "Paid")), "the paid uptime-SLA tier", 'sku_tier = "Free"'),),
        upgrade='sku_tier = "Standard" (99.9%; 99.95% with zones)',
    ),
    SlaRule(
        ("azurerm_service_plan", "azurerm_app_service_plan"),
        "Microsoft.Web/serverfarms",
        Published("App Service", "https://learn.microsoft.com/azure/reliability/reliability-app-service"),
        (
            _f("sku", ("sku_name", "sku.size"), "sku.name"),
            _f("workers", ("worker_count", "sku.capacity"), "sku.capacity", 1),
            _f("zone_balancing", ("zone_balancing_enabled", "zone_redundant"), "properties.zoneRedundant", False),
        ),
        (
            Case(when(sku=is_("F1", "D1", "Free", "Shared")), None, "Free / Shared tier (no SLA)", NOTHING),
            Case(when(sku=prefix("Y", "FC", "Dynamic")), 99.95, "Consumption plan", FAULT_DOMAIN),
            Case(when(zone_balancing=is_(True)), 99.95, "paid tier, zone balancing", ZONE),
            Case(when(workers=AtLeast(2)), 99.95, "paid tier, two or more workers", FAULT_DOMAIN),
            Case((), 99.95, "paid tier (Basic and above), one worker", NOTHING),
        ),
        (
            Extra(when(zone_balancing=is_(True)), "zone balancing (at least as many workers as zones)",
                  "zone_balancing_enabled = false"),
            Extra(when(workers=AtLeast(2)), "more than one worker", "worker_count = 1"),
        ),
        upgrade='sku_name = "B1" or above (99.95%)',
    ),
    SlaRule(
        ("azurerm_container_app_environment",),
        "Microsoft.App/managedEnvironments",
        Published("Azure Container Apps", "https://learn.microsoft.com/azure/reliability/reliability-azure-container-apps"),
        (_f("zone_redundant", "zone_redundancy_enabled", "properties.zoneRedundant", False),),
        (
            Case(when(zone_redundant=is_(True)), 99.95, "zone-redundant environment", ZONE),
            Case((), 99.95, "environment", FAULT_DOMAIN),
        ),
        (Extra(when(zone_redundant=is_(True)), "zone redundancy", "zone_redundancy_enabled = false"),),
    ),
    SlaRule(
        ("azurerm_container_group",),
        "Microsoft.ContainerInstance/containerGroups",
        Published("Container Instances", "https://learn.microsoft.com/azure/reliability/reliability-container-instances"),
        (),
        (Case((), 99.9, "container group", NOTHING),),
    ),
    # -- ingress and network ----------------------------------------------------------------------
    SlaRule(
        ("azurerm_application_gateway",),
        "Microsoft.Network/applicationGateways",
        Published("Application Gateway", "https://learn.microsoft.com/azure/reliability/reliability-application-gateway-v2"),
        (
            _f("tier", "sku.tier", "properties.sku.tier"),
            _zones(),
            _f("capacity", "sku.capacity", "properties.sku.capacity", 0),
            _f("min_capacity", "autoscale_configuration.min_capacity", "properties.autoscaleConfiguration.minCapacity", 0),
        ),
        (
            Case(when(tier=is_("Standard_v2", "WAF_v2"), zones=AtLeast(2)), 99.95, "v2, across zones", ZONE),
            Case(when(tier=is_("Standard_v2", "WAF_v2")), 99.95, "v2", FAULT_DOMAIN),
            Case(when(tier=is_("Basic")), 99.9, "Basic (v2 platform)", FAULT_DOMAIN),
            Case(when(tier=is_("Standard", "WAF")), None, "v1 (retired; no SLA assessed here)", NOTHING),
        ),
        (
            Extra(when(capacity=AtLeast(2)), "more than one fixed instance", "sku.capacity = 1 (or autoscale from 0)"),
            Extra(when(min_capacity=AtLeast(2)), "reserved instances", "autoscale_configuration.min_capacity = 0"),
        ),
        upgrade='sku.tier = "Standard_v2" or "WAF_v2" (99.95%)',
    ),
    SlaRule(
        ("azurerm_firewall",),
        "Microsoft.Network/azureFirewalls",
        Published("Azure Firewall", "https://learn.microsoft.com/azure/firewall/features#availability-zones"),
        (_zones(),),
        (
            Case(when(zones=AtLeast(2)), 99.99, "two or more availability zones", ZONE),
            Case((), 99.95, "one zone or no zones", FAULT_DOMAIN),
        ),
    ),
    SlaRule(
        ("azurerm_virtual_network_gateway",),
        "Microsoft.Network/virtualNetworkGateways",
        Published("VPN Gateway / ExpressRoute", "https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus"),
        (
            _f("sku", "sku", "properties.sku.name"),
            _f("active_active", "active_active", "properties.activeActive", False),
        ),
        (
            Case(when(sku=is_("Basic")), 99.9, "Basic VPN gateway", RESOURCE),
            Case(when(sku=_VPN_AZ), 99.95, "VPN gateway, zone-redundant (AZ) SKU (no higher SLA than VpnGw1-5)",
                 ZONE),
            Case(when(sku=prefix("VpnGw")), 99.95, "VPN gateway VpnGw1-5", RESOURCE),
            Case(when(sku=_ER_AZ), 99.95, "ExpressRoute gateway, zone-redundant (AZ) SKU", ZONE),
            Case(when(sku=is_("Standard", "HighPerformance", "UltraPerformance", "ErGwScale")), 99.95,
                 "ExpressRoute gateway", RESOURCE),
        ),
        (Extra(when(sku=Prefix(_VPN_AZ.prefixes + _ER_AZ.prefixes)),
               "a zone-redundant gateway SKU", "the same SKU without AZ (or Standard for ExpressRoute)"),),
    ),
    SlaRule(
        ("azurerm_lb",),
        "Microsoft.Network/loadBalancers",
        Published("Load Balancer", "https://learn.microsoft.com/azure/load-balancer/skus"),
        (
            _f("sku", "sku", "sku.name", "Basic"),
            _zones("frontend_ip_configuration.zones", "properties.frontendIPConfigurations[*].zones"),
        ),
        (
            Case(when(sku=is_("Basic")), None, "Basic SKU (no SLA; retired)", NOTHING),
            Case(when(sku=is_("Standard", "Gateway"), zones=AtLeast(2)), 99.99, "Standard, zone-redundant frontend", ZONE),
            Case(when(sku=is_("Standard", "Gateway")), 99.99, "Standard", FAULT_DOMAIN),
        ),
        upgrade='sku = "Standard" (99.99%)',
    ),
    SlaRule(
        ("azurerm_public_ip",),
        "Microsoft.Network/publicIPAddresses",
        Published("Public IP addresses", "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku"),
        (_f("sku", "sku", "sku.name", "Standard"), _zones()),
        (
            Case(when(sku=is_("Basic")), None, "Basic SKU (no SLA; retired)", NOTHING),
            Case(when(zones=AtLeast(2)), 99.99, "Standard, zone-redundant", ZONE),
            Case((), 99.99, "Standard", FAULT_DOMAIN),
        ),
        on_path=False,  # part of the gateway, load balancer or firewall it fronts
        upgrade='sku = "Standard" (99.99%)',
    ),
    SlaRule(
        ("azurerm_private_endpoint",),
        "Microsoft.Network/privateEndpoints",
        Published("Azure Private Link", "https://learn.microsoft.com/azure/private-link/private-link-overview"),
        (),
        (Case((), 99.99, "private endpoint", ZONE),),
    ),
    SlaRule(
        ("azurerm_nat_gateway",),
        "Microsoft.Network/natGateways",
        Published("NAT Gateway", "https://learn.microsoft.com/azure/nat-gateway/nat-overview"),
        (),
        (Case((), 99.99, "NAT gateway", FAULT_DOMAIN),),
    ),
    SlaRule(
        ("azurerm_bastion_host",),
        "Microsoft.Network/bastionHosts",
        Published("Azure Bastion", "https://learn.microsoft.com/azure/bastion/bastion-overview"),
        (_f("sku", "sku", "sku.name", "Basic"),),
        (
            Case(when(sku=is_("Developer")), None, "Developer SKU (no SLA)", NOTHING),
            Case((), 99.95, "Bastion", FAULT_DOMAIN),
        ),
        on_path=False,  # administrators' path, not a request's
        upgrade='sku = "Basic" or above (99.95%)',
    ),
    SlaRule(
        ("azurerm_dns_zone", "azurerm_private_dns_zone"),
        "Microsoft.Network/dnsZones",
        Published("Azure DNS", "https://learn.microsoft.com/azure/dns/dns-overview"),
        (),
        (Case((), 100.0, "DNS zone", REGION),),
    ),
    SlaRule(
        ("azurerm_cdn_frontdoor_profile", "azurerm_frontdoor"),
        "Microsoft.Cdn/profiles",
        Published("Azure Front Door", "https://learn.microsoft.com/azure/frontdoor/front-door-overview"),
        (),
        (Case((), 99.99, "Front Door (global)", REGION),),
    ),
    # -- data -------------------------------------------------------------------------------------
    SlaRule(
        ("azurerm_storage_account",),
        "Microsoft.Storage/storageAccounts",
        _STORAGE_PAGE,
        (
            _f("replication", "account_replication_type", "sku.name", arm_convert=after_underscore),
            _f("access_tier", "access_tier", "properties.accessTier", "Hot"),
        ),
        (
            Case(when(replication=is_("RAGRS", "RAGZRS"), access_tier=is_("Cool", "Cold")), 99.0,
                 "cool/cold tier, read-access geo-redundant (writes 99%)", REGION),
            Case(when(replication=is_("LRS"), access_tier=is_("Cool", "Cold")), 99.0, "cool/cold tier, LRS",
                 FAULT_DOMAIN),
            Case(when(replication=is_("ZRS"), access_tier=is_("Cool", "Cold")), 99.0, "cool/cold tier, ZRS", ZONE),
            Case(when(replication=is_("GRS", "GZRS"), access_tier=is_("Cool", "Cold")), 99.0,
                 "cool/cold tier, geo-redundant", REGION),
            Case(when(replication=is_("LRS")), 99.9, "hot tier, locally redundant", FAULT_DOMAIN),
            Case(when(replication=is_("ZRS")), 99.9, "hot tier, zone-redundant", ZONE),
            Case(when(replication=is_(*_GEO)), 99.9, "hot tier, geo-redundant (writes 99.9%)", REGION),
        ),
        (
            Extra(when(replication=is_(*_GEO)), "geo-redundant storage", 'account_replication_type = "LRS"'),
            Extra(when(replication=is_("ZRS")), "zone-redundant storage", 'account_replication_type = "LRS"'),
        ),
        (Extra(when(replication=is_("GZRS", "RAGZRS")), "geo-zone-redundant storage",
               'account_replication_type = "ZRS" (survives a zone; the region is not in the target)'),),
        upgrade='access_tier = "Hot" (99.9%)',
    ),
    SlaRule(
        ("azurerm_managed_disk",),
        "Microsoft.Compute/disks",
        _VM_PAGE,
        (_f("disk", "storage_account_type", "sku.name"),),
        (Case((), None, "managed disk", NOTHING),),
        (Extra(when(disk=is_(*_ZRS_DISKS)), "a zone-redundant disk", "the same disk type with _LRS"),),
        on_path=False,
        covered_by="the VM it is attached to",
    ),
    SlaRule(
        ("azurerm_mssql_database",),
        "Microsoft.Sql/servers/databases",
        _SQL_PAGE,
        (
            _f("sku", "sku_name", "sku.name"),
            _f("zone_redundant", "zone_redundant", "properties.zoneRedundant", False),
            _f("replicas", ("read_replica_count", "high_availability_replica_count"),
               "properties.highAvailabilityReplicaCount", 0),
            _f("backup", "storage_account_type", "properties.requestedBackupStorageRedundancy", "Geo"),
            _f("create_mode", "create_mode", "properties.createMode", "Default"),
        ),
        (
            Case(when(zone_redundant=is_(True)), 99.995, "zone-redundant", ZONE),
            Case(when(sku=prefix("HS_"), replicas=AtLeast(2)), 99.99, "Hyperscale with two or more high-availability replicas",
                 FAULT_DOMAIN),
            Case(when(sku=prefix("HS_"), replicas=AtLeast(1)), 99.95, "Hyperscale with one high-availability replica",
                 FAULT_DOMAIN),
            Case(when(sku=prefix("HS_")), 99.9, "Hyperscale without replicas", NOTHING),
            Case(when(sku=prefix("BC_", "P", "GP_", "S", "Basic", "ElasticPool", "DW")), 99.99, "single database",
                 FAULT_DOMAIN),
        ),
        (
            Extra(when(sku=prefix("BC_")), "the Business Critical tier", 'sku_name = "GP_Gen5_2" (General Purpose)'),
            Extra(when(sku=prefix("P")), "the Premium tier", 'sku_name = "S0" (Standard)'),
            Extra(when(zone_redundant=is_(True)), "zone redundancy", "zone_redundant = false"),
            Extra(when(backup=is_("Geo", "GeoZone")), "geo-redundant backup storage", 'storage_account_type = "Local"'),
            Extra(when(create_mode=is_("Secondary", "OnlineSecondary")), "a geo-replica", "no secondary database"),
            Extra(when(replicas=AtLeast(1)), "high-availability replicas", "high_availability_replica_count = 0"),
        ),
        (Extra(when(create_mode=is_("Secondary", "OnlineSecondary")), "a geo-replica in another region", "one region: zone_redundant = true (99.995%)"),),
    ),
    SlaRule(
        ("azurerm_mssql_failover_group",),
        "Microsoft.Sql/servers/failoverGroups",
        _SQL_PAGE,
        (),
        (Case((), None, "failover group", REGION),),
        (Extra((), "a failover group (databases replicated to another region)", "no failover group"),),
        (Extra((), "a failover group (databases replicated to another region)", "one region: zone-redundant databases (99.995%)"),),
        on_path=False,
        covered_by="the databases it replicates",
    ),
    SlaRule(
        ("azurerm_mssql_managed_instance",),
        "Microsoft.Sql/managedInstances",
        Published("Azure SQL Managed Instance", "https://learn.microsoft.com/azure/reliability/reliability-sql-managed-instance"),
        (
            _f("sku", "sku_name", "sku.name"),
            _f("zone_redundant", "zone_redundant_enabled", "properties.zoneRedundant", False),
            _f("backup", "storage_account_type", "properties.requestedBackupStorageRedundancy", "GRS"),
        ),
        (
            Case(when(zone_redundant=is_(True)), 99.99, "zone-redundant", ZONE),
            Case(when(sku=prefix("BC_", "GP_")), 99.99, "General Purpose / Business Critical", FAULT_DOMAIN),
        ),
        (
            Extra(when(sku=prefix("BC_")), "the Business Critical tier", 'sku_name = "GP_Gen5" (General Purpose)'),
            Extra(when(zone_redundant=is_(True)), "zone redundancy", "zone_redundant_enabled = false"),
            Extra(when(backup=is_("GRS", "GZRS", "Geo", "GeoZone")), "geo-redundant backup storage",
                  'storage_account_type = "LRS"'),
        ),
    ),
    SlaRule(
        ("azurerm_postgresql_flexible_server",),
        "Microsoft.DBforPostgreSQL/flexibleServers",
        Published("Azure Database for PostgreSQL", "https://learn.microsoft.com/azure/reliability/reliability-database-postgresql"),
        _FLEX_FIELDS,
        _FLEX_HA_CASES,
        _FLEX_COSTS,
        _FLEX_BEYOND,
    ),
    SlaRule(
        ("azurerm_mysql_flexible_server",),
        "Microsoft.DBforMySQL/flexibleServers",
        Published("Azure Database for MySQL", "https://learn.microsoft.com/azure/reliability/reliability-mysql"),
        _FLEX_FIELDS,
        _FLEX_HA_CASES,
        _FLEX_COSTS,
        _FLEX_BEYOND,
    ),
    SlaRule(
        ("azurerm_cosmosdb_account",),
        "Microsoft.DocumentDB/databaseAccounts",
        Published("Azure Cosmos DB", "https://learn.microsoft.com/azure/reliability/reliability-cosmos-db-nosql"),
        (
            _f("regions", "geo_location", "properties.locations", 1, terraform_convert=count, arm_convert=count),
            _f("multi_write", ("multiple_write_locations_enabled", "enable_multiple_write_locations"),
               "properties.enableMultipleWriteLocations", False),
            _f("zone_redundant", "geo_location.zone_redundant", "properties.locations[*].isZoneRedundant", False),
        ),
        (
            Case(when(regions=AtLeast(2), multi_write=is_(True)), 99.999, "multi-region writes", REGION),
            Case(when(regions=AtLeast(2), zone_redundant=is_(True)), 99.995,
                 "two or more regions, one write region, zone-redundant (reads 99.999%)", REGION),
            Case(when(regions=AtLeast(2)), 99.99, "two or more regions, one write region (reads 99.999%)", REGION),
            Case(when(zone_redundant=is_(True)), 99.995, "one region, zone-redundant", ZONE),
            Case((), 99.99, "one region", FAULT_DOMAIN),
        ),
        (
            Extra(when(regions=AtLeast(2)), "more than one region", "one geo_location"),
            Extra(when(multi_write=is_(True)), "multi-region writes", "multiple_write_locations_enabled = false"),
            Extra(when(zone_redundant=is_(True)), "zone redundancy", "geo_location.zone_redundant = false"),
        ),
        (
            Extra(when(multi_write=is_(True)), "multi-region writes", "one write region"),
            Extra(when(regions=AtLeast(2)), "more than one region", "one region, zone-redundant (99.995%)"),
        ),
    ),
    SlaRule(
        ("azurerm_redis_cache",),
        "Microsoft.Cache/redis",
        Published("Azure Cache for Redis", "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-high-availability"),
        (
            _f("sku", "sku_name", "properties.sku.name"),
            _zones(),
            _f("shards", "shard_count", "properties.shardCount", 0),
            _f("subnet", "subnet_id", "properties.subnetId", False, terraform_convert=true_if_set,
               arm_convert=true_if_set),
            _f("replicas", ("replicas_per_primary", "replicas_per_master"), "properties.replicasPerPrimary", 1),
            _f("persistence", ("redis_configuration.rdb_backup_enabled", "redis_configuration.aof_backup_enabled"),
               "properties.redisConfiguration.rdb-backup-enabled", False, arm_convert=true_if_set),
        ),
        (
            Case(when(sku=is_("Basic")), None, "Basic (one node, no SLA)", NOTHING),
            Case(when(sku=is_("Standard", "Premium"), zones=AtLeast(2)), 99.95, "replicated across zones", ZONE),
            Case(when(sku=is_("Standard", "Premium")), 99.9, "Standard / Premium (primary and replica)", RESOURCE),
        ),
        (
            Extra(when(sku=is_("Standard")), "a replica (Standard tier)", 'sku_name = "Basic"'),
            Extra(when(sku=is_("Premium"), subnet=is_(False), shards=is_(0, None), persistence=is_(False), zones=is_(0)),
                  "the Premium tier without a Premium feature (VNet injection, clustering, persistence, zones)",
                  'sku_name = "Basic"'),
            Extra(when(zones=AtLeast(2)), "zone redundancy", "no zones"),
            Extra(when(replicas=AtLeast(2)), "more than one replica", "replicas_per_primary = 1"),
        ),
        upgrade='sku_name = "Standard" (99.9%)',
    ),
    SlaRule(
        ("azurerm_key_vault",),
        "Microsoft.KeyVault/vaults",
        Published("Key Vault", "https://learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance"),
        (),
        (Case((), 99.99, "vault (zone-redundant, read-only failover to the paired region)", ZONE),),
    ),
    SlaRule(
        ("azurerm_key_vault_managed_hardware_security_module",),
        "Microsoft.KeyVault/managedHSMs",
        Published("Key Vault", "https://learn.microsoft.com/azure/key-vault/managed-hsm/overview"),
        (),
        (Case((), 99.9, "Managed HSM pool", ZONE),),
    ),
    SlaRule(
        ("azurerm_eventhub_namespace",),
        "Microsoft.EventHub/namespaces",
        Published("Event Hubs", "https://learn.microsoft.com/azure/reliability/reliability-event-hubs"),
        (_f("sku", "sku", "sku.name"), _f("capacity", "capacity", "sku.capacity", 1)),
        (
            Case(when(sku=is_("Premium")), 99.99, "Premium", ZONE),
            Case(when(sku=is_("Basic", "Standard")), 99.95, "Basic / Standard", FAULT_DOMAIN),
        ),
    ),
    SlaRule(
        ("azurerm_eventhub_cluster",),
        "Microsoft.EventHub/clusters",
        Published("Event Hubs", "https://learn.microsoft.com/azure/event-hubs/event-hubs-dedicated-overview"),
        (),
        (Case((), 99.99, "Dedicated cluster", ZONE),),
    ),
    SlaRule(
        ("azurerm_servicebus_namespace",),
        "Microsoft.ServiceBus/namespaces",
        Published("Service Bus", "https://learn.microsoft.com/azure/reliability/reliability-service-bus"),
        (_f("sku", "sku", "sku.name"),),
        (
            Case(when(sku=is_("Premium")), 99.95, "Premium", ZONE),
            Case(when(sku=is_("Basic", "Standard")), 99.9, "Basic / Standard", FAULT_DOMAIN),
        ),
    ),
    SlaRule(
        ("azurerm_container_registry",),
        "Microsoft.ContainerRegistry/registries",
        Published("Container Registry", "https://learn.microsoft.com/azure/container-registry/container-registry-skus"),
        (
            _f("sku", "sku", "sku.name"),
            _f("replicas", "georeplications", "", 0, terraform_convert=count),
        ),
        (Case(when(replicas=AtLeast(1)), 99.9, "geo-replicated", REGION), Case((), 99.9, "registry", FAULT_DOMAIN)),
        (Extra(when(replicas=AtLeast(1)), "geo-replication (each replica billed at Premium)", "no georeplications"),),
        on_path=False,  # read when images are pulled (deployments, scale-out), not on every request
    ),
    SlaRule(
        ("azurerm_app_configuration",),
        "Microsoft.AppConfiguration/configurationStores",
        Published("Azure App Configuration", "https://learn.microsoft.com/azure/azure-app-configuration/faq"),
        (_f("sku", "sku", "sku.name", "free"),),
        (
            Case(when(sku=is_("free", "developer")), None, "Free / Developer (no SLA)", NOTHING),
            Case((), 99.9, "Standard / Premium", FAULT_DOMAIN),
        ),
        upgrade='sku = "standard" (99.9%)',
    ),
    # -- monitoring (off the request path) --------------------------------------------------------
    SlaRule(
        ("azurerm_log_analytics_workspace",),
        "Microsoft.OperationalInsights/workspaces",
        Published("Azure Monitor", "https://learn.microsoft.com/azure/azure-monitor/logs/availability-zones"),
        (),
        (Case((), 99.9, "workspace (query availability)", FAULT_DOMAIN),),
        on_path=False,
    ),
    SlaRule(
        ("azurerm_application_insights",),
        "Microsoft.Insights/components",
        Published("Azure Monitor", "https://learn.microsoft.com/azure/azure-monitor/app/app-insights-overview"),
        (),
        (Case((), 99.9, "Application Insights", FAULT_DOMAIN),),
        on_path=False,
    ),
)
# fmt: on

BY_TYPE: dict[str, SlaRule] = {t: rule for rule in RULES for t in rule.types}

#: types that are no service of their own: configuration, links and parts of a service that has a
#: row (its SLA covers them), identities, policies, monitoring settings. Not factors, no finding.
NO_SLA_OF_THEIR_OWN: frozenset[str] = frozenset(
    {
        "azurerm_resource_group",
        "azurerm_virtual_network",
        "azurerm_subnet",
        "azurerm_virtual_network_peering",
        "azurerm_network_security_group",
        "azurerm_network_security_rule",
        "azurerm_route_table",
        "azurerm_route",
        "azurerm_network_interface",
        "azurerm_public_ip_prefix",
        "azurerm_lb_backend_address_pool",
        "azurerm_lb_rule",
        "azurerm_lb_probe",
        "azurerm_web_application_firewall_policy",
        "azurerm_firewall_policy",
        "azurerm_firewall_policy_rule_collection_group",
        "azurerm_firewall_network_rule_collection",
        "azurerm_firewall_application_rule_collection",
        "azurerm_firewall_nat_rule_collection",
        "azurerm_virtual_network_gateway_connection",
        "azurerm_local_network_gateway",
        "azurerm_private_dns_zone_virtual_network_link",
        "azurerm_network_watcher",
        "azurerm_network_ddos_protection_plan",
        "azurerm_network_manager",
        "azurerm_mssql_server",
        "azurerm_sql_server",
        "azurerm_kubernetes_cluster_node_pool",
        "azurerm_linux_web_app",
        "azurerm_windows_web_app",
        "azurerm_linux_function_app",
        "azurerm_windows_function_app",
        "azurerm_app_service",
        "azurerm_function_app",
        "azurerm_container_app",
        "azurerm_eventhub",
        "azurerm_servicebus_queue",
        "azurerm_servicebus_topic",
        "azurerm_log_analytics_cluster",
        "azurerm_disk_encryption_set",
        "azurerm_image",
        "azurerm_shared_image",
        "azurerm_shared_image_gallery",
        "azurerm_snapshot",
        "azurerm_recovery_services_vault",
        "azurerm_data_protection_backup_vault",
    }
)
#: why those types are not factors, for the docs
NO_SLA_REASON = (
    "configuration, links and parts of a service that has a row (web apps run on their plan, "
    "databases on their server's SLA row, node pools are VMs of the cluster), and platform "
    "scaffolding with no uptime of its own"
)


def rule_for(resource_type: str) -> SlaRule | None:
    return BY_TYPE.get(resource_type)


# -- documentation -------------------------------------------------------------------------------

DOC_HEADER = (
    """\
# SLA and cost: build to your SLA, pay for no SLA you don't have

<!-- Generated from pytest_cloudcheck/rules/sla.py; do not edit by hand. Regenerate with:
     python -c "from pytest_cloudcheck.rules.sla import markdown; print(markdown(), end='')" > docs/sla.md -->

The organisation's rule: Prod needs high availability up to its target (`cloudcheck_sla_target`,
default `99.5` percent), not fault tolerance; NonProd has no SLA. Three checks read this table:

| check | finds |
|---|---|
| `checks.sla` | Prod (and shared platform) resources whose own SLA is below the target or that have none (`sla.resource`); Prod workloads whose composite SLA, the product over the components a request depends on, is below the target (`sla.composite`); a SKU unknown at plan time (`unknown`); a service type with no row here (`sla.not_assessed`) |
| `checks.nonprod_cost` | NonProd resources paying for SLA or durability they don't need (`cost.nonprod`), each finding naming the cheaper setting |
| `checks.overbuilt` | Prod resources built beyond the target (`sla.overbuilt`; advisory: the baseline test is audit-marked) |

A coverage gap that may hide a type a check judges (a module not read, an `[*]` instance, a
subscription not read) is a `not_assessed` finding of that check (`sla.not_assessed`,
`cost.not_assessed`, `overbuilt.not_assessed`): never a silent pass.

A workload is one resource group (or, with `cloudcheck_workload_tag = <key>`, the resources
sharing that tag's value). Its composite counts every resource of a row marked *on path* (not
monitoring, deployment-time or administrators' services), and the hub's firewall when the
workload's VNet is a spoke peered to the hub. VMs of one workload sharing an availability set,
or of one size spread over zones, count as one redundant component. A squad can compute the
SLA of a path it defines itself:

```python
from pytest_cloudcheck import sla

def test_checkout_path(cloud):
    path = cloud.resources("azurerm_application_gateway", "azurerm_linux_virtual_machine", "azurerm_mssql_database")
    assert sla.composite(path) >= 99.5
```

The failure ladder (evidence report and Markdown summary, per Prod workload) says what the
workload survives: """
    + ", ".join(f"{i} {name}" for i, name in enumerate(LADDER))
    + """; a
workload survives what its weakest component survives.

Figures are monthly uptime percentages from Microsoft's """
    + SLA_DOC
    + """ and the
product pages named per row; *read* is when they were last compared with the published text.
An SLA changes: the table is the place to update, and this page follows.
"""
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _figure(sla: float | None) -> str:
    return "no SLA" if sla is None else f"{sla:g}%"


def markdown() -> str:
    """docs/sla.md, generated from the table (a test compares it with the committed file)."""
    lines = [DOC_HEADER]
    for rule in RULES:
        names = ", ".join(f"`{t}`" for t in rule.types)
        lines += [f"## {names}", "", f"ARM `{rule.arm_type}`; source: {rule.source.describe()}."]
        if rule.source.checked is not None:
            lines.append(f"Checked: {rule.source.checked.describe()}.")
        if not rule.on_path:
            lines.append("Not on a request's path: checked per resource, not a factor of the composite.")
        if rule.covered_by:
            lines.append(f"No SLA of its own: covered by the SLA of {rule.covered_by}; its costs still count.")
        if rule.note:
            lines.append(rule.note[0].upper() + rule.note[1:] + ".")
        lines.append("")
        if rule.fields:
            lines += ["| field | Terraform / ARM |", "|---|---|"]
            lines += [f"| `{f.name}` | {_cell(f.describe())} |" for f in rule.fields]
            lines.append("")
        lines += ["| when | SLA | configuration | survives |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(describe_conditions(c.when))} | {_figure(c.sla)} | {_cell(c.what)} | {LADDER[c.survives]} |"
            for c in rule.cases
        ]
        lines.append("")
        for title, extras in (("NonProd pays for", rule.costs), ("Prod beyond the target", rule.beyond)):
            if extras:
                lines += [f"| {title} | when | cheaper |", "|---|---|---|"]
                lines += [
                    f"| {_cell(e.what)} | {_cell(describe_conditions(e.when))} | {_cell(e.instead)} |" for e in extras
                ]
                lines.append("")
    lines += [
        "## Types that are no factor",
        "",
        f"Not assessed and not a factor ({NO_SLA_REASON}): "
        + ", ".join(f"`{t}`" for t in sorted(NO_SLA_OF_THEIR_OWN))
        + ". Any other Prod resource of a data, compute or network type without a row is "
        "`sla.not_assessed`.",
        "",
        f"{len(BY_TYPE)} resource types in {len(RULES)} rules.",
        "",
    ]
    return "\n".join(lines)


__all__ = [
    "BY_TYPE",
    "LADDER",
    "NO_SLA_OF_THEIR_OWN",
    "RULES",
    "AtLeast",
    "Case",
    "Extra",
    "Field",
    "Is",
    "Prefix",
    "Published",
    "SlaRule",
    "markdown",
    "rule_for",
]
