# AVM's VM module protects a VM with Azure Backup through an azapi_resource_action (PUT of a
# protected item), and encrypts its disks through a disk encryption set.
variable "backup" {
  type = object({
    vault_id  = string
    policy_id = string
  })
  default = {
    vault_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod"
    policy_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod/backupPolicies/daily"
  }
}

locals {
  tags     = { environment = "prod" }
  vm_name  = "vm-app-01"
  rg_name  = "rg-app-prod"
  vault    = provider::azapi::parse_resource_id("Microsoft.RecoveryServices/vaults", var.backup.vault_id)
  item     = format("VM;iaasvmcontainerv2;%s;%s", local.rg_name, local.vm_name)
}

resource "azurerm_key_vault_key" "des" {
  name            = "des-key"
  key_vault_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-keys-prod"
  key_type        = "RSA"
  key_size        = 4096
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-06-30T00:00:00Z"
  rotation_policy {
    expire_after = "P1Y"
    automatic {
      time_before_expiry = "P30D"
    }
  }
}

resource "azurerm_disk_encryption_set" "des" {
  name                = "des-app"
  resource_group_name = local.rg_name
  location            = "westeurope"
  key_vault_key_id    = azurerm_key_vault_key.des.versionless_id
  identity {
    type = "SystemAssigned"
  }
  tags = local.tags
}

resource "azurerm_windows_virtual_machine" "vm" {
  name                  = local.vm_name
  resource_group_name   = local.rg_name
  location              = "westeurope"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureadmin"
  admin_password        = "NotReally-A-Secret-1"
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app-prod/providers/Microsoft.Network/networkInterfaces/nic-app-01"]
  tags                  = local.tags
  os_disk {
    caching                = "ReadWrite"
    storage_account_type   = "Premium_ZRS"
    disk_encryption_set_id = azurerm_disk_encryption_set.des.id
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter-azure-edition"
    version   = "latest"
  }
}

resource "azapi_resource_action" "protect" {
  type        = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems@2023-01-01"
  resource_id = "${var.backup.vault_id}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;${local.rg_name};${local.vm_name}/protectedItems/${local.item}"
  method      = "PUT"
  body = {
    properties = {
      protectedItemType = "Microsoft.Compute/virtualMachines"
      policyId          = var.backup.policy_id
      sourceResourceId  = azurerm_windows_virtual_machine.vm.id
    }
  }
  depends_on = [azurerm_windows_virtual_machine.vm]
}

output "vault_name" {
  value = local.vault.name
}
