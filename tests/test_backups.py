"""checks.no_infra_backups: backups of rebuildable components are findings, data-store backups are not."""

from __future__ import annotations

import pytest
from conftest import REAL_PLANS
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck import checks
from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

SUB = "11111111-1111-1111-1111-111111111111"
VAULT = arm_id(SUB, "rg", "Microsoft.RecoveryServices/vaults", "rsv")
BACKUP_VAULT = arm_id(SUB, "rg", "Microsoft.DataProtection/backupVaults", "bv")


def load(tmp_path, plan: PlanBuilder, **extra):
    return build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")], extra=extra))


def found(inventory):
    return [(f.check, f.address) for f in checks.no_infra_backups(inventory)]


def base(plan: PlanBuilder) -> PlanBuilder:
    plan.resource("azurerm_linux_virtual_machine.app", {"name": "vm-app", "resource_group_name": "rg"}, unknown=["id"])
    plan.resource("azurerm_managed_disk.data", {"name": "disk-data", "resource_group_name": "rg"}, unknown=["id"])
    plan.resource("azurerm_kubernetes_cluster.aks", {"name": "aks", "resource_group_name": "rg"}, unknown=["id"])
    plan.resource("azurerm_recovery_services_vault.rsv", {"name": "rsv", "resource_group_name": "rg"}, unknown=["id"])
    plan.resource(
        "azurerm_data_protection_backup_vault.bv", {"name": "bv", "resource_group_name": "rg"}, unknown=["id"]
    )
    plan.resource(
        "azurerm_postgresql_flexible_server.db", {"name": "psql", "resource_group_name": "rg"}, unknown=["id"]
    )
    plan.resource("azurerm_storage_account.data", {"name": "stdata", "resource_group_name": "rg"}, unknown=["id"])
    return plan


def test_vm_backup_through_module_style_references_names_vm_policy_and_vault(tmp_path, plan):
    base(plan)
    plan.resource(
        "azurerm_backup_policy_vm.daily",
        {"name": "daily", "recovery_vault_name": "rsv", "resource_group_name": "rg"},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_backup_protected_vm.app",
        {"resource_group_name": "rg", "recovery_vault_name": "rsv"},
        unknown=["id", "source_vm_id", "backup_policy_id"],
        refs={
            "source_vm_id": ["azurerm_linux_virtual_machine.app.id", "azurerm_linux_virtual_machine.app"],
            "backup_policy_id": ["azurerm_backup_policy_vm.daily.id", "azurerm_backup_policy_vm.daily"],
        },
    )
    findings = checks.no_infra_backups(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [("backup.vm_backup", "azurerm_backup_protected_vm.app")]
    (f,) = findings
    assert "protects azurerm_linux_virtual_machine.app" in f.message and "rebuilt from code" in f.message
    assert f.related == ("azurerm_backup_policy_vm.daily", "azurerm_recovery_services_vault.rsv")


def test_unused_vm_backup_policy_is_its_own_finding(tmp_path, plan):
    base(plan)
    plan.resource("azurerm_backup_policy_vm.daily", {"name": "daily", "recovery_vault_name": "rsv"}, unknown=["id"])
    assert found(load(tmp_path, plan)) == [("backup.vm_backup_policy", "azurerm_backup_policy_vm.daily")]


@pytest.mark.parametrize(
    ("address", "values", "refs", "check", "protected"),
    [
        (
            "azurerm_data_protection_backup_instance_disk.d",
            {"name": "d", "vault_id": BACKUP_VAULT},
            {"disk_id": ["azurerm_managed_disk.data.id", "azurerm_managed_disk.data"]},
            "backup.disk_backup",
            "azurerm_managed_disk.data",
        ),
        (
            "azurerm_data_protection_backup_instance_kubernetes_cluster.k",
            {"name": "k", "vault_id": BACKUP_VAULT},
            {"kubernetes_cluster_id": ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]},
            "backup.aks_backup",
            "azurerm_kubernetes_cluster.aks",
        ),
        (
            "azurerm_snapshot.s",
            {"name": "snap", "create_option": "Copy"},
            {"source_resource_id": ["azurerm_managed_disk.data.id", "azurerm_managed_disk.data"]},
            "backup.snapshot",
            "azurerm_managed_disk.data",
        ),
        (
            "azurerm_site_recovery_replicated_vm.r",
            {"name": "asr", "recovery_vault_name": "rsv", "resource_group_name": "rg"},
            {"source_vm_id": ["azurerm_linux_virtual_machine.app.id", "azurerm_linux_virtual_machine.app"]},
            "backup.site_recovery",
            "azurerm_linux_virtual_machine.app",
        ),
    ],
)
def test_each_infrastructure_backup_type(tmp_path, plan, address, values, refs, check, protected):
    base(plan)
    plan.resource(address, values, unknown=["id", *refs], refs=refs)
    findings = checks.no_infra_backups(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [(check, address)]
    assert f"protects {protected};" in findings[0].message


def test_site_recovery_scaffolding_is_related_or_its_own_finding(tmp_path, plan):
    base(plan)
    for name in ("azurerm_site_recovery_fabric.primary", "azurerm_site_recovery_replication_policy.p"):
        plan.resource(
            name,
            {"name": name.split(".")[1], "recovery_vault_name": "rsv", "resource_group_name": "rg"},
            unknown=["id"],
        )
    assert found(load(tmp_path, plan)) == [
        ("backup.site_recovery", "azurerm_site_recovery_fabric.primary"),
        ("backup.site_recovery", "azurerm_site_recovery_replication_policy.p"),
    ]
    plan.resource(
        "azurerm_site_recovery_replicated_vm.r",
        {"name": "asr", "recovery_vault_name": "rsv", "resource_group_name": "rg"},
        unknown=["id", "source_vm_id", "recovery_replication_policy_id"],
        refs={
            "source_vm_id": ["azurerm_linux_virtual_machine.app.id"],
            "recovery_replication_policy_id": ["azurerm_site_recovery_replication_policy.p.id"],
        },
    )
    findings = checks.no_infra_backups(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [
        ("backup.site_recovery", "azurerm_site_recovery_replicated_vm.r")
    ]
    assert "azurerm_site_recovery_replication_policy.p" in findings[0].related


def test_data_store_backups_are_not_flagged(tmp_path, plan):
    base(plan)
    plan.resource(
        "azurerm_data_protection_backup_instance_postgresql_flexible_server.db",
        {"name": "db", "vault_id": BACKUP_VAULT},
        unknown=["id", "server_id"],
        refs={"server_id": ["azurerm_postgresql_flexible_server.db.id"]},
    )
    plan.resource(
        "azurerm_data_protection_backup_instance_blob_storage.blobs",
        {"name": "blobs", "vault_id": BACKUP_VAULT},
        unknown=["id", "storage_account_id"],
        refs={"storage_account_id": ["azurerm_storage_account.data.id"]},
    )
    plan.resource(
        "azurerm_backup_protected_file_share.share",
        {"recovery_vault_name": "rsv", "source_file_share_name": "s"},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_backup_policy_file_share.daily", {"name": "daily", "recovery_vault_name": "rsv"}, unknown=["id"]
    )
    plan.resource(
        "azurerm_data_protection_backup_policy_postgresql_flexible_server.weekly",
        {"name": "w", "vault_id": BACKUP_VAULT},
        unknown=["id"],
    )
    assert found(load(tmp_path, plan)) == []


def test_arm_shapes_tell_vm_items_from_file_shares(tmp_path, plan):
    container = f"{VAULT}/backupFabrics/Azure/protectionContainers/c"
    item = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems@2023-04-01"
    plan.resource(
        "azapi_resource.vm_item",
        {
            "type": item,
            "name": "vm;app",
            "parent_id": container,
            "body": {
                "properties": {
                    "protectedItemType": "Microsoft.Compute/virtualMachines",
                    "sourceResourceId": arm_id(SUB, "rg", "Microsoft.Compute/virtualMachines", "vm-app"),
                }
            },
        },
        unknown=["id"],
    )
    plan.resource(
        "azapi_resource.share_item",
        {
            "type": item,
            "name": "share",
            "parent_id": container,
            "body": {"properties": {"protectedItemType": "AzureFileShareProtectedItem"}},
        },
        unknown=["id"],
    )
    plan.resource(
        "azapi_resource.disk_instance",
        {
            "type": "Microsoft.DataProtection/backupVaults/backupInstances@2023-05-01",
            "name": "disk",
            "parent_id": BACKUP_VAULT,
            "body": {
                "properties": {"dataSourceInfo": {"datasourceType": "Microsoft.Compute/disks", "resourceID": "/x"}}
            },
        },
        unknown=["id"],
    )
    plan.resource(
        "azapi_resource.blob_instance",
        {
            "type": "Microsoft.DataProtection/backupVaults/backupInstances@2023-05-01",
            "name": "blob",
            "parent_id": BACKUP_VAULT,
            "body": {
                "properties": {"dataSourceInfo": {"datasourceType": "Microsoft.Storage/storageAccounts/blobServices"}}
            },
        },
        unknown=["id"],
    )
    plan.resource("azurerm_linux_virtual_machine.app", {"name": "vm-app", "resource_group_name": "rg"}, unknown=["id"])
    findings = checks.no_infra_backups(load(tmp_path, plan))
    assert [(f.check, f.address) for f in findings] == [
        ("backup.disk_backup", "azapi_resource.disk_instance"),
        ("backup.vm_backup", "azapi_resource.vm_item"),
    ]
    assert "protects azurerm_linux_virtual_machine.app" in findings[1].message


def test_table_is_extendable_in_ini(tmp_path, plan):
    base(plan)
    plan.resource("azurerm_snapshot.s", {"name": "snap"}, unknown=["id"])
    plan.resource("azurerm_image.golden", {"name": "img"}, unknown=["id"])
    inventory = load(
        tmp_path, plan, infra_backup_types=["Microsoft.Compute/images  # golden images too", "!azurerm_snapshot"]
    )
    assert found(inventory) == [("backup.infra_backup", "azurerm_image.golden")]
    with pytest.raises(
        ConfigurationError, match="cloudcheck_infra_backup_types: unknown resource type 'azurerm_snapshott'"
    ):
        checks.no_infra_backups(load(tmp_path, plan, infra_backup_types=["azurerm_snapshott"]))


def test_noncompliant_example_has_exactly_the_planted_backups(request):
    plans = request.config.rootpath / "examples" / "noncompliant" / "plans"
    if not plans.is_dir():
        pytest.skip("example not there")
    found_ids = found(build_inventory(Settings(plan=[plans])))
    assert found_ids == [
        ("backup.site_recovery", "azurerm_site_recovery_replicated_vm.almere_app"),
        ("backup.snapshot", "azurerm_snapshot.zaanstad_app_data"),
        ("backup.vm_backup", "azurerm_backup_protected_vm.zaanstad_app"),
    ]


REAL = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []


@pytest.mark.skipif(not REAL, reason=f"{REAL_PLANS} not found")
def test_every_real_plan_runs_through_the_check():
    flagged = []
    for path in REAL:
        inventory = build_inventory(Settings(plan=[path], allow_empty=True))
        flagged += [f.address for f in checks.no_infra_backups(inventory)]
    assert "azurerm_backup_protected_vm.db_vm_backup" in flagged
