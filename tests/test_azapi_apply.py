"""azapi as Terraform applies it (issue 13): `azapi_update_resource` merged into its target,
`azapi_resource_action` PUTs as the resource they write, an `azapi_resource` re-declaring a
resource merged into it, an update that changes nothing a check reads left alone. Through the
plugin, on HCL and on plan JSON alike (one tree holding compliant and violating cases)."""

from __future__ import annotations

import pytest
from planbuilder import PlanBuilder

SUB = "11111111-1111-1111-1111-111111111111"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-app"
STORAGE = "Microsoft.Storage/storageAccounts@2023-05-01"
ITEM = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems@2024-04-01"
AKS = "Microsoft.ContainerService/managedClusters@2024-05-01"
PROD = {"environment": "prod"}

TESTS = """
import pytest
from pytest_cloudcheck import checks

@pytest.mark.resources("azurerm_storage_account")
def test_cmk(resource):
    assert resource.encryption.customer_managed is True, resource.encryption.how

def test_no_infra_backups(cloud):
    assert not checks.no_infra_backups(cloud)

def test_ledger(cloud):
    gaps = list(cloud.ledger)
    assert not gaps, "\\n".join(f"GAP {g}" for g in gaps)

def test_accounts_merged_not_doubled(cloud):
    by = {r.address: r for r in cloud.resources("azurerm_storage_account")}
    assert sorted(by) == [
        "azapi_resource.sa_cmk", "azapi_resource.sa_plain", "azurerm_storage_account.old", "azurerm_storage_account.sa"
    ]
    assert by["azurerm_storage_account.sa"].values["allow_nested_items_to_be_public"] is False
    assert by["azurerm_storage_account.old"].values["allow_nested_items_to_be_public"] is False
"""

TREE = (
    """
variable "cmk" {
  type    = bool
  default = true
}

variable "backup" {
  type    = bool
  default = true
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
  tags     = { environment = "prod" }
}

resource "azurerm_key_vault" "kv" {
  name                     = "kv-app"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = "westeurope"
  purge_protection_enabled = true
  tags                     = { environment = "prod" }
}

resource "azurerm_key_vault_key" "k" {
  name         = "cmk-storage"
  key_vault_id = azurerm_key_vault.kv.id
  key_type     = "RSA"
  key_size     = 3072
}

# AVM's storage module: created with Microsoft-managed keys, then switched to the CMK by an update
resource "azapi_resource" "sa_cmk" {
  type      = "@STORAGE@"
  name      = "stcmk"
  parent_id = azurerm_resource_group.rg.id
  location  = "westeurope"
  tags      = { environment = "prod" }
  body = {
    kind       = "StorageV2"
    sku        = { name = "Standard_ZRS" }
    properties = { encryption = { keySource = "Microsoft.Storage" } }
  }
}

resource "azapi_update_resource" "customer_managed_key" {
  count       = var.cmk ? 1 : 0
  type        = "@STORAGE@"
  resource_id = azapi_resource.sa_cmk.id
  body = {
    properties = {
      encryption = {
        keySource = "Microsoft.Keyvault"
        keyvaultproperties = {
          keyname     = azurerm_key_vault_key.k.name
          keyvaulturi = azurerm_key_vault.kv.vault_uri
        }
      }
    }
  }
}

# the same without the update: Microsoft-managed keys
resource "azapi_resource" "sa_plain" {
  type      = "@STORAGE@"
  name      = "stplain"
  parent_id = azurerm_resource_group.rg.id
  location  = "westeurope"
  tags      = { environment = "prod" }
  body = {
    kind       = "StorageV2"
    sku        = { name = "Standard_ZRS" }
    properties = { encryption = { keySource = "Microsoft.Storage" } }
  }
}

# an azurerm account with its CMK, a setting azurerm has an attribute for updated by azapi
resource "azurerm_storage_account" "sa" {
  name                            = "stapp"
  resource_group_name             = azurerm_resource_group.rg.name
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  allow_nested_items_to_be_public = true
  tags                            = { environment = "prod" }
  customer_managed_key {
    key_vault_key_id = "https://kv-app.vault.azure.net/keys/cmk/0123"
  }
}

resource "azapi_update_resource" "sa" {
  type        = "@STORAGE@"
  resource_id = azurerm_storage_account.sa.id
  body = {
    properties = { allowBlobPublicAccess = false }
  }
}

# an azurerm account re-declared by an azapi_resource (same type, group and name): one account
resource "azurerm_storage_account" "old" {
  name                     = "stold"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = { environment = "prod" }
}

resource "azapi_resource" "old_settings" {
  type      = "@STORAGE@"
  name      = "stold"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = { allowBlobPublicAccess = false }
  }
}

# an update no check reads (the cluster's version): no gap
resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  tags                = { environment = "prod" }
}

resource "azapi_update_resource" "aks_version" {
  type        = "@AKS@"
  resource_id = azurerm_kubernetes_cluster.aks.id
  body = {
    properties = { kubernetesVersion = "1.30.3" }
  }
}

# AVM's VM module: the VM's backup is a PUT of its protected item through an action, then an
# update of that item, and a DELETE at destroy; a POST (restart) leaves nothing behind
resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  tags                = { environment = "prod" }
}

resource "azurerm_recovery_services_vault" "rsv" {
  name                = "rsv"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  sku                 = "Standard"
}

locals {
  container = "iaasvmcontainerv2;rg-app;vm-app"
  fabric    = "${azurerm_recovery_services_vault.rsv.id}/backupFabrics/Azure"
  parent    = "${local.fabric}/protectionContainers/iaasvmcontainer;${local.container}"
  item_id   = "${local.parent}/protectedItems/VM;${local.container}"
  item_body = {
    properties = {
      protectedItemType = "Microsoft.Compute/virtualMachines"
      sourceResourceId  = azurerm_linux_virtual_machine.vm.id
      containerName     = local.container
    }
  }
}

resource "azapi_resource_action" "backup_ensure_active" {
  count       = var.backup ? 1 : 0
  method      = "PUT"
  resource_id = local.item_id
  type        = "@ITEM@"
  body        = local.item_body
  when        = "apply"
}

resource "azapi_update_resource" "backup_protection" {
  count       = var.backup ? 1 : 0
  resource_id = local.item_id
  type        = "@ITEM@"
  body        = local.item_body
  depends_on  = [azapi_resource_action.backup_ensure_active]
}

resource "azapi_resource_action" "backup_destroy" {
  count       = var.backup ? 1 : 0
  method      = "DELETE"
  resource_id = local.item_id
  type        = "@ITEM@"
  when        = "destroy"
}

resource "azapi_resource_action" "restart" {
  method      = "POST"
  action      = "restart"
  resource_id = azurerm_linux_virtual_machine.vm.id
  type        = "Microsoft.Compute/virtualMachines@2024-03-01"
}
""".replace("@STORAGE@", STORAGE)
    .replace("@ITEM@", ITEM)
    .replace("@AKS@", AKS)
)


def _account(plan: PlanBuilder, address: str, name: str) -> None:
    plan.resource(
        address,
        {
            "type": STORAGE,
            "name": name,
            "parent_id": RG,
            "location": "westeurope",
            "tags": PROD,
            "body": {
                "kind": "StorageV2",
                "sku": {"name": "Standard_ZRS"},
                "properties": {"encryption": {"keySource": "Microsoft.Storage"}},
            },
        },
        unknown=["id"],
    )


def _update(plan: PlanBuilder, address: str, arm_type: str, body: dict, target: list[str], **kw: list[str]) -> None:
    plan.resource(
        address,
        {"type": arm_type, "body": body},
        unknown=["id", "resource_id", *kw.get("unknown", [])],
        refs={"resource_id": target, **({"body": kw["body_refs"]} if "body_refs" in kw else {})},
    )


def _tree_plan() -> PlanBuilder:
    """The tree's plan, in the shape `terraform show -json` gives it (azapi 2.x bodies are objects)."""
    plan = PlanBuilder()
    plan.resource("azurerm_resource_group.rg", {"name": "rg-app", "location": "westeurope", "tags": PROD, "id": RG})
    plan.resource(
        "azurerm_key_vault.kv",
        {"name": "kv-app", "resource_group_name": "rg-app", "purge_protection_enabled": True, "tags": PROD},
        unknown=["id", "vault_uri"],
    )
    plan.resource(
        "azurerm_key_vault_key.k",
        {"name": "cmk-storage", "key_type": "RSA", "key_size": 3072},
        unknown=["id", "key_vault_id", "versionless_id"],
        refs={"key_vault_id": ["azurerm_key_vault.kv.id", "azurerm_key_vault.kv"]},
    )
    _account(plan, "azapi_resource.sa_cmk", "stcmk")
    cmk = {"encryption": {"keySource": "Microsoft.Keyvault", "keyvaultproperties": {"keyname": "cmk-storage"}}}
    _update(
        plan,
        "azapi_update_resource.customer_managed_key[0]",
        STORAGE,
        {"properties": cmk},
        ["azapi_resource.sa_cmk.id", "azapi_resource.sa_cmk"],
        unknown=["body.properties.encryption.keyvaultproperties.keyvaulturi"],
        body_refs=["azurerm_key_vault_key.k.name", "azurerm_key_vault.kv.vault_uri"],
    )
    _account(plan, "azapi_resource.sa_plain", "stplain")
    azurerm_account = {"resource_group_name": "rg-app", "account_tier": "Standard", "account_replication_type": "ZRS"}
    plan.resource(
        "azurerm_storage_account.sa",
        {
            "name": "stapp",
            **azurerm_account,
            "allow_nested_items_to_be_public": True,
            "tags": PROD,
            "customer_managed_key": [{"key_vault_key_id": "https://kv-app.vault.azure.net/keys/cmk/0123"}],
        },
        unknown=["id"],
    )
    _update(
        plan,
        "azapi_update_resource.sa",
        STORAGE,
        {"properties": {"allowBlobPublicAccess": False}},
        ["azurerm_storage_account.sa.id", "azurerm_storage_account.sa"],
    )
    plan.resource("azurerm_storage_account.old", {"name": "stold", **azurerm_account, "tags": PROD}, unknown=["id"])
    plan.resource(
        "azapi_resource.old_settings",
        {"type": STORAGE, "name": "stold", "parent_id": RG, "body": {"properties": {"allowBlobPublicAccess": False}}},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_kubernetes_cluster.aks",
        {"name": "aks-app", "resource_group_name": "rg-app", "tags": PROD},
        unknown=["id"],
    )
    _update(
        plan,
        "azapi_update_resource.aks_version",
        AKS,
        {"properties": {"kubernetesVersion": "1.30.3"}},
        ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"],
    )
    plan.resource(
        "azurerm_linux_virtual_machine.vm",
        {"name": "vm-app", "resource_group_name": "rg-app", "size": "Standard_D2s_v5", "tags": PROD},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_recovery_services_vault.rsv", {"name": "rsv", "resource_group_name": "rg-app"}, unknown=["id"]
    )
    item = {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines"}}
    unknown = ["id", "resource_id", "body.properties.sourceResourceId", "output"]
    refs = {"resource_id": ["local.item_id"], "body": ["local.item_body"]}
    plan.resource(
        "azapi_resource_action.backup_ensure_active[0]",
        {"type": ITEM, "method": "PUT", "when": "apply", "body": item},
        unknown=unknown,
        refs=refs,
    )
    plan.resource(
        "azapi_update_resource.backup_protection[0]", {"type": ITEM, "body": item}, unknown=unknown, refs=refs
    )
    plan.resource(
        "azapi_resource_action.backup_destroy[0]",
        {"type": ITEM, "method": "DELETE", "when": "destroy", "body": None},
        unknown=["id", "resource_id", "output"],
        refs={"resource_id": ["local.item_id"]},
    )
    plan.resource(
        "azapi_resource_action.restart",
        {"type": "Microsoft.Compute/virtualMachines@2024-03-01", "method": "POST", "action": "restart"},
        unknown=["id", "resource_id", "output"],
        refs={"resource_id": ["azurerm_linux_virtual_machine.vm.id", "azurerm_linux_virtual_machine.vm"]},
    )
    return plan


def _run(pytester: pytest.Pytester, source: str, tree: str, plan: PlanBuilder, tests: str = TESTS):
    pytester.makepyfile(test_checks=tests)
    if source == "hcl":
        (pytester.path / "infra").mkdir()
        (pytester.path / "infra" / "main.tf").write_text(tree)
        return pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl", "infra", "-v")
    path = plan.write(pytester.path / "plan.json")
    return pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", str(path), "-v")


@pytest.mark.parametrize("source", ["hcl", "plan"])
def test_azapi_updates_and_actions_apply_to_their_targets(pytester, source):
    result = _run(pytester, source, TREE, _tree_plan())
    result.stdout.fnmatch_lines_random(
        [
            # switched to the CMK by azapi_update_resource: compliant; the same without the update: not
            "*test_cmk?azapi_resource.sa_cmk? PASSED*",
            "*test_cmk?azapi_resource.sa_plain? FAILED*",
            "*test_cmk?azurerm_storage_account.sa? PASSED*",
            "*test_cmk?azurerm_storage_account.old? FAILED*",
            # the PUT action is the VM's backup (the update of it, the destroy and the POST are not)
            "*test_no_infra_backups FAILED*",
            "*azapi_resource_action.backup_ensure_active[[]0[]]: Azure Backup of a virtual machine*vm_backup[]]*",
            # no gap: the AKS version update changes nothing a check reads
            "*test_ledger PASSED*",
            "*test_accounts_merged_not_doubled PASSED*",
        ]
    )
    result.assert_outcomes(passed=4, failed=3)
    out = result.stdout.str()
    assert "found properties.encryption.keySource = Microsoft.Storage" in out
    assert "backup_destroy" not in out and "restart" not in out and "backup_protection" not in out


GAP_TESTS = """
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)
"""

GAP_TREE = """
resource "azurerm_storage_account" "sa" {
  name                     = "stapp"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = { environment = "prod" }
  customer_managed_key {
    key_vault_key_id = "https://kv-app.vault.azure.net/keys/cmk/0123"
  }
}

resource "azapi_update_resource" "sa" {
  type        = "@STORAGE@"
  resource_id = azurerm_storage_account.sa.id
  body = {
    properties = { encryption = { keySource = "Microsoft.Storage" } }
  }
}
""".replace("@STORAGE@", STORAGE)


@pytest.mark.parametrize("source", ["hcl", "plan"])
def test_an_update_switching_an_azurerm_account_back_to_microsoft_keys_is_a_violation(pytester, source):
    """An azurerm account switched back to Microsoft-managed keys by azapi: the CMK check reads
    the key from the update (no azurerm attribute holds keySource), never a pass."""
    plan = PlanBuilder()
    plan.resource(
        "azurerm_storage_account.sa",
        {
            "name": "stapp",
            "resource_group_name": "rg-app",
            "tags": PROD,
            "customer_managed_key": [{"key_vault_key_id": "https://kv-app.vault.azure.net/keys/cmk/0123"}],
        },
        unknown=["id"],
    )
    _update(
        plan,
        "azapi_update_resource.sa",
        STORAGE,
        {"properties": {"encryption": {"keySource": "Microsoft.Storage"}}},
        ["azurerm_storage_account.sa.id", "azurerm_storage_account.sa"],
    )
    result = _run(pytester, source, GAP_TREE, plan, GAP_TESTS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*azurerm_storage_account.sa: *found properties.encryption.keySource = Microsoft.Storage;*"
            "[[]cmk.storage_account[]]*"
        ]
    )


OUTSIDE_TESTS = """
def test_ledger(cloud):
    assert not list(cloud.ledger)
"""

OUTSIDE_TREE = """
data "azurerm_client_config" "current" {}

locals {
  sub     = "/subscriptions/${data.azurerm_client_config.current.subscription_id}"
  feature = "featureProviders/Microsoft.Compute/subscriptionFeatureRegistrations/EncryptionAtHost"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
  tags     = { environment = "prod" }
}

resource "azapi_update_resource" "feature" {
  type        = "Microsoft.Features/featureProviders/subscriptionFeatureRegistrations@2021-07-01"
  resource_id = "${local.sub}/providers/Microsoft.Features/${local.feature}"
  body        = { properties = {} }
}

resource "azapi_update_resource" "storage" {
  type        = "@STORAGE@"
  resource_id = "${local.sub}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stother"
  body        = { properties = { @BODY@ } }
}
"""


@pytest.mark.parametrize(
    ("body", "gap"),
    [
        ('encryption = { keySource = "Microsoft.Storage" }', True),
        ('largeFileSharesState = "Enabled"', False),  # nothing a check reads
    ],
)
def test_an_update_of_a_resource_outside_the_configuration_is_a_gap_only_where_a_check_reads(pytester, body, gap):
    # AVM's VM examples register a subscription feature with azapi_update_resource: no verdict changes
    tree = OUTSIDE_TREE.replace("@STORAGE@", STORAGE).replace("@BODY@", body)
    result = _run(pytester, "hcl", tree, PlanBuilder(), OUTSIDE_TESTS)
    if gap:
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            ["*azapi_update_resource.storage updates a Microsoft.Storage/storageAccounts known only after apply*"]
        )
    else:
        result.assert_outcomes(passed=1)


def test_a_key_known_after_apply_set_by_an_update_is_the_key_the_update_references(tmp_path):
    # AVM's storage module: created with Microsoft keys, then switched by an update whose keyname
    # is a key created in the same apply (known after apply): the key is the one it references
    from cmk_cases import KEY, add_key

    from pytest_cloudcheck import checks
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory

    plan = PlanBuilder()
    add_key(plan)
    plan.resource(
        "azapi_resource.sa",
        {
            "type": STORAGE,
            "name": "stapp",
            "parent_id": RG,
            "tags": PROD,
            "body": {"properties": {"encryption": {"keySource": "Microsoft.Storage"}}},
        },
        unknown=["id"],
    )
    _update(
        plan,
        "azapi_update_resource.cmk",
        STORAGE,
        {
            "properties": {
                "encryption": {
                    "keySource": "Microsoft.Keyvault",
                    "keyvaultproperties": {"keyvaulturi": "https://kv-test.vault.azure.net", "keyname": "x"},
                }
            }
        },
        ["azapi_resource.sa.id", "azapi_resource.sa"],
        unknown=["body.properties.encryption.keyvaultproperties.keyname"],
        body_refs=[f"{KEY}.name", KEY],
    )
    inventory = build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")]))
    assert not [f for f in checks.cmk(inventory) if f.address == "azapi_resource.sa"]
    assert inventory.get("azapi_resource.sa").encryption.key == KEY
