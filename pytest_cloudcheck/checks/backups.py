"""checks.no_infra_backups: no backups or replication of components that are rebuilt from code.

    from pytest_cloudcheck import checks
    assert not checks.no_infra_backups(cloud)

"Geen backups meer van infrastructurele componenten": VMs, disks and clusters are rebuilt from
Terraform, so backing them up (or replicating them with Site Recovery) only adds cost and a
second truth. Backups of data stores (blobs, file shares, PostgreSQL / MySQL flexible servers,
SQL) are not infrastructure backups and are not flagged.

Findings, one per backup or replication resource (`backup.*`, see `INFRA_BACKUPS`); policies,
vaults and Site Recovery scaffolding used by a flagged item are named in its `related`, and only
get a finding of their own when no flagged item uses them. The table is extendable in ini:

    cloudcheck_infra_backup_types =
        azurerm_restore_point_collection          # counts as an infrastructure backup too
        !azurerm_snapshot                         # we allow snapshots after all
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..azure_types import BY_AZURERM, resolve_types
from ..errors import ConfigurationError
from ..links import Links, links_of
from ..model import Finding, Findings, Inventory, Resource
from ..model import arm_values as arm_get
from ..settings import Settings

REBUILT = "infrastructure is rebuilt from code, not restored from backup"


class InfraBackup(NamedTuple):
    """A resource type that backs up or replicates a rebuildable component."""

    type: str  # azurerm type
    check: str
    what: str
    #: Terraform attributes naming the protected component
    protects: tuple[str, ...] = ()
    #: ARM path naming the protected component (live / azapi shape)
    arm_protects: str | None = None
    #: (ARM path, lower-case values) a resource of a shared ARM type must match to count (a
    #: protected item is a VM or a file share by `protectedItemType`); None: every one counts
    arm_kind: tuple[str, frozenset[str]] | None = None
    #: (Terraform path, lower-case values) likewise for azurerm types shared by kinds
    tf_kind: tuple[str, frozenset[str]] | None = None
    #: scaffolding (policies, fabrics, containers): related of an item when used, else own finding
    support: bool = False


_VM_ITEMS = frozenset({"microsoft.compute/virtualmachines", "microsoft.classiccompute/virtualmachines"})
_IAAS_VM = frozenset({"azureiaasvm"})
_DISK = frozenset({"microsoft.compute/disks"})
_AKS = frozenset({"microsoft.containerservice/managedclusters"})
_AKS_BACKUP_EXTENSION = frozenset({"microsoft.dataprotection.kubernetes"})

INFRA_BACKUPS: tuple[InfraBackup, ...] = (
    InfraBackup(
        "azurerm_backup_protected_vm",
        "backup.vm_backup",
        "Azure Backup of a virtual machine",
        ("source_vm_id",),
        "properties.sourceResourceId",
        arm_kind=("properties.protectedItemType", _VM_ITEMS),
    ),
    InfraBackup(
        "azurerm_backup_policy_vm",
        "backup.vm_backup_policy",
        "VM backup policy",
        arm_kind=("properties.backupManagementType", _IAAS_VM),
        support=True,
    ),
    InfraBackup(
        "azurerm_data_protection_backup_instance_disk",
        "backup.disk_backup",
        "backup instance of a managed disk",
        ("disk_id",),
        "properties.dataSourceInfo.resourceID",
        arm_kind=("properties.dataSourceInfo.datasourceType", _DISK),
    ),
    InfraBackup(
        "azurerm_data_protection_backup_policy_disk",
        "backup.disk_backup_policy",
        "disk backup policy",
        arm_kind=("properties.datasourceTypes[*]", _DISK),
        support=True,
    ),
    InfraBackup(
        "azurerm_data_protection_backup_instance_kubernetes_cluster",
        "backup.aks_backup",
        "backup instance of an AKS cluster",
        ("kubernetes_cluster_id",),
        "properties.dataSourceInfo.resourceID",
        arm_kind=("properties.dataSourceInfo.datasourceType", _AKS),
    ),
    InfraBackup(
        "azurerm_data_protection_backup_policy_kubernetes_cluster",
        "backup.aks_backup_policy",
        "AKS backup policy",
        arm_kind=("properties.datasourceTypes[*]", _AKS),
        support=True,
    ),
    InfraBackup(
        "azurerm_kubernetes_cluster_extension",
        "backup.aks_backup",
        "AKS backup extension",
        ("cluster_id",),
        arm_kind=("properties.extensionType", _AKS_BACKUP_EXTENSION),
        tf_kind=("extension_type", _AKS_BACKUP_EXTENSION),
    ),
    InfraBackup(
        "azurerm_snapshot",
        "backup.snapshot",
        "snapshot",
        ("source_resource_id", "source_uri"),
        "properties.creationData.sourceResourceId",
    ),
    InfraBackup(
        "azurerm_site_recovery_replicated_vm",
        "backup.site_recovery",
        "Site Recovery replication of a virtual machine",
        ("source_vm_id",),
        "properties.providerSpecificDetails.fabricObjectId",
    ),
    InfraBackup(
        "azurerm_site_recovery_vmware_replicated_vm",
        "backup.site_recovery",
        "Site Recovery replication of a VMware VM",
        ("source_vm_name",),
    ),
    InfraBackup(
        "azurerm_site_recovery_hyperv_replicated_vm",
        "backup.site_recovery",
        "Site Recovery replication of a Hyper-V VM",
        ("source_vm_name",),
    ),
    InfraBackup(
        "azurerm_site_recovery_replicated_vm_group",
        "backup.site_recovery",
        "Site Recovery replicated VM group",
        ("member.virtual_machine_id",),
    ),
    InfraBackup("azurerm_site_recovery_fabric", "backup.site_recovery", "Site Recovery fabric", support=True),
    InfraBackup(
        "azurerm_site_recovery_protection_container",
        "backup.site_recovery",
        "Site Recovery protection container",
        support=True,
    ),
    InfraBackup(
        "azurerm_site_recovery_protection_container_mapping",
        "backup.site_recovery",
        "Site Recovery container mapping",
        support=True,
    ),
    InfraBackup(
        "azurerm_site_recovery_replication_policy",
        "backup.site_recovery",
        "Site Recovery replication policy",
        support=True,
    ),
    InfraBackup(
        "azurerm_site_recovery_hyperv_replication_policy",
        "backup.site_recovery",
        "Site Recovery replication policy",
        support=True,
    ),
    InfraBackup(
        "azurerm_site_recovery_network_mapping", "backup.site_recovery", "Site Recovery network mapping", support=True
    ),
    InfraBackup(
        "azurerm_site_recovery_replication_recovery_plan",
        "backup.site_recovery",
        "Site Recovery recovery plan",
        ("recovery_group.replicated_protected_items",),
    ),
)

#: every check id of the built-in table, then the one for types added in ini
CHECK_IDS = (*dict.fromkeys(rule.check for rule in INFRA_BACKUPS), "backup.infra_backup")

#: attributes of an item that name the policy / scaffolding / vault it uses (both shapes)
USES = (
    "backup_policy_id",
    "recovery_vault_name",
    "vault_id",
    "recovery_replication_policy_id",
    "source_recovery_fabric_name",
    "target_recovery_fabric_id",
    "source_recovery_protection_container_name",
    "target_recovery_protection_container_id",
)
_ARM_USES = ("properties.policyId", "properties.policyInfo.policyId")
_VAULT_TYPES = ("azurerm_recovery_services_vault", "azurerm_data_protection_backup_vault")


def rules_from_settings(settings: Settings | None) -> dict[str, InfraBackup]:
    """The table by azurerm type, with `cloudcheck_infra_backup_types` added / removed."""
    table = {rule.type: rule for rule in INFRA_BACKUPS}
    lines = settings.get("infra_backup_types") if settings is not None else None
    for raw in lines or ():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        remove = line.startswith("!")
        name = line.lstrip("!").strip()
        try:
            types = resolve_types([name])
        except ConfigurationError as exc:
            raise ConfigurationError(f"cloudcheck_infra_backup_types: {exc}") from None
        for t in types:
            if remove:
                table.pop(t, None)
            else:
                table.setdefault(t, InfraBackup(t, "backup.infra_backup", f"{t} (configured as infrastructure backup)"))
    return table


def no_infra_backups(inventory: Inventory) -> Findings:
    """A finding for every backup or replication of a rebuildable component (empty when none)."""
    table = rules_from_settings(inventory.settings)
    if not any(t in inventory.types for t in table):
        return Findings()
    # Whether a policy or vault is in use is decided over the whole inventory (its protected
    # items may sit outside an environment view); only the view's resources get findings.
    whole = inventory.whole
    present = [t for t in table if t in whole.types]
    links = links_of(whole)
    items: list[tuple[Resource, InfraBackup]] = []
    support: list[tuple[Resource, InfraBackup]] = []
    for r in whole.resources(*present):
        rule = table[r.type]
        if not _counts(r, rule):
            continue
        (support if rule.support else items).append((r, rule))
    findings: list[Finding] = []
    used: set[str] = set()
    vaults_with_items: set[str] = set()
    for r, rule in items:
        related = _used_by(r, links)
        used.update(related)
        vault = _vault_key(r)
        if vault:
            vaults_with_items.add(vault)
        protected = _protected(r, rule, links)
        findings.append(
            Finding(
                rule.check,
                r.address,
                f"{rule.what} {r.name or r.address} protects {protected}; {REBUILT}: remove it",
                origin=r.origin,
                related=tuple(dict.fromkeys(a for a in related if a != r.address)),
            )
        )
    for r, rule in support:
        if r.address in used or (_vault_key(r) in vaults_with_items and rule.check == "backup.site_recovery"):
            continue
        findings.append(
            Finding(
                rule.check,
                r.address,
                f"{rule.what} {r.name or r.address} exists to back up or replicate infrastructure; "
                f"{REBUILT}: remove it",
                origin=r.origin,
            )
        )
    if inventory.is_view:
        findings = [f for f in findings if f.address in inventory]
    return Findings(sorted(findings, key=lambda f: (f.check, f.address)))


def _counts(r: Resource, rule: InfraBackup) -> bool:
    """Types shared by kinds (protected items, backup instances, policies) count only for infrastructure."""
    if r.schema == "arm":
        if rule.arm_kind is None:
            return True
        path, wanted = rule.arm_kind
        return any(isinstance(v, str) and v.lower() in wanted for v in arm_get(r.values, path))
    if rule.tf_kind is None:
        return True
    path, wanted = rule.tf_kind
    value = r.get(path)
    return isinstance(value, str) and value.lower() in wanted


def _protected(r: Resource, rule: InfraBackup, links: Links) -> str:
    """The protected component: an address when in the inventory, else its id; "an unknown ..." otherwise."""
    names: list[str] = []
    resolved_any = False
    for path in rule.protects:
        resolved = links.resolve(r, path, arm_path=rule.arm_protects)
        for target in resolved.targets:
            names.append(target.describe())
        resolved_any = resolved_any or bool(resolved.targets) or resolved.unknown
    if not rule.protects and rule.arm_protects and r.schema == "arm":
        names += [t.describe() for t in links.resolve(r, "", arm_path=rule.arm_protects).targets]
    names = list(dict.fromkeys(names))
    if names:
        return ", ".join(names)
    kind = BY_AZURERM.get(r.type)
    return (
        "a component (unknown at plan time)"
        if resolved_any
        else f"a {kind.kind if kind else 'infrastructure'} component"
    )


def _used_by(r: Resource, links: Links) -> list[str]:
    out: list[str] = []
    for path in USES:
        resolved = links.resolve(r, path, arm_path=None)
        out += [t.resource.address for t in resolved.targets if t.resource is not None]
    if r.schema == "arm":
        for path in _ARM_USES:
            out += [t.resource.address for t in links.resolve(r, "", arm_path=path).targets if t.resource is not None]
    vault = _vault_of(r, links)
    if vault is not None:
        out.append(vault.address)
    return out


def _vault_key(r: Resource) -> str | None:
    """A key naming the vault a Site Recovery / backup resource lives in (name + resource group)."""
    name = r.values.get("recovery_vault_name")
    group = r.values.get("resource_group_name")
    if isinstance(name, str):
        return f"{group if isinstance(group, str) else ''}/{name}".lower()
    if r.id and "/vaults/" in r.id.lower():
        head = r.id.lower().split("/vaults/", 1)
        return f"{head[0].rsplit('/resourcegroups/', 1)[-1].split('/', 1)[0]}/{head[1].split('/', 1)[0]}"
    return None


def _vault_of(r: Resource, links: Links) -> Resource | None:
    name = r.values.get("recovery_vault_name")
    if isinstance(name, str):
        return links.find_named(
            "Microsoft.RecoveryServices/vaults", name, r.values.get("resource_group_name"), r.subscription_id
        )
    vaults = [v for v in r.referenced("recovery_vault_name") if v.type in _VAULT_TYPES] if r.schema != "arm" else []
    return vaults[0] if len(vaults) == 1 else None


def infra_backup_types(inventory: Inventory | None = None) -> Iterable[str]:
    """The azurerm types this run counts as infrastructure backups."""
    return sorted(rules_from_settings(inventory.settings if inventory is not None else None))


#: words of the azurerm types that back up or replicate (with the table, and whatever ini adds)
_BACKUP_WORDS = ("backup", "recovery", "snapshot", "restore_point", "site_recovery", "data_protection")


def judges(tf_type: str) -> bool:
    """The types this check judges (coverage gaps hiding one are `backup.not_assessed`)."""
    return tf_type in {rule.type for rule in INFRA_BACKUPS} or any(word in tf_type for word in _BACKUP_WORDS)
