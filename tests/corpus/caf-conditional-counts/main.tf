# CAF-style switches: resources behind `count = var.x ? 1 : 0` on variables known at plan time.
variable "deploy_management_resources" {
  type    = bool
  default = false
}
variable "deploy_backup" {
  type    = bool
  default = true
}
variable "settings" {
  type = object({
    location = optional(string)
    vms      = map(object({ size = string, backup = optional(bool, false) }))
  })
  default = {
    vms = {
      jump = { size = "Standard_B2s" }
      app1 = { size = "Standard_D4s_v5", backup = true }
    }
  }
}

locals {
  location = coalesce(var.settings.location, "westeurope")
  tags     = { environment = "prod", landingzone = "corp" }
  backed_up = { for k, v in var.settings.vms : k => v if v.backup && var.deploy_backup }
}

resource "azurerm_resource_group" "mgmt" {
  name     = "rg-mgmt"
  location = local.location
  tags     = local.tags
}

resource "azurerm_storage_account" "mgmt_logs" {
  count                    = var.deploy_management_resources ? 1 : 0
  name                     = "stmgmtlogs"
  resource_group_name      = azurerm_resource_group.mgmt.name
  location                 = local.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = local.tags
}

resource "azurerm_recovery_services_vault" "vault" {
  count               = length(local.backed_up) > 0 ? 1 : 0
  name                = "rsv-corp"
  resource_group_name = azurerm_resource_group.mgmt.name
  location            = local.location
  sku                 = "Standard"
  tags                = local.tags
}

resource "azurerm_backup_policy_vm" "daily" {
  count               = length(azurerm_recovery_services_vault.vault)
  name                = "daily"
  resource_group_name = azurerm_resource_group.mgmt.name
  recovery_vault_name = azurerm_recovery_services_vault.vault[0].name
  backup {
    frequency = "Daily"
    time      = "23:00"
  }
  retention_daily {
    count = 7
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  for_each              = var.settings.vms
  name                  = "vm-${each.key}"
  resource_group_name   = azurerm_resource_group.mgmt.name
  location              = local.location
  size                  = each.value.size
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mgmt/providers/Microsoft.Network/networkInterfaces/nic-${each.key}"]
  tags                  = local.tags
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "azurerm_backup_protected_vm" "vm" {
  for_each            = local.backed_up
  resource_group_name = azurerm_resource_group.mgmt.name
  recovery_vault_name = azurerm_recovery_services_vault.vault[0].name
  source_vm_id        = azurerm_linux_virtual_machine.vm[each.key].id
  backup_policy_id    = azurerm_backup_policy_vm.daily[0].id
}

resource "azurerm_backup_protected_vm" "mgmt" {
  count               = var.deploy_management_resources ? 1 : 0
  resource_group_name = azurerm_resource_group.mgmt.name
  recovery_vault_name = "rsv-mgmt"
  source_vm_id        = azurerm_linux_virtual_machine.vm["jump"].id
}
