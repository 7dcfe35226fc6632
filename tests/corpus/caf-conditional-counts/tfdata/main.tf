# ../main.tf with terraform_data standing in for the azurerm resources (see make_plans.py).
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
  location  = coalesce(var.settings.location, "westeurope")
  tags      = { environment = "prod", landingzone = "corp" }
  backed_up = { for k, v in var.settings.vms : k => v if v.backup && var.deploy_backup }
  rg_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mgmt"
}

resource "terraform_data" "azurerm_resource_group__mgmt" {
  input = { id = local.rg_id, name = "rg-mgmt", location = local.location, tags = local.tags }
}

resource "terraform_data" "azurerm_storage_account__mgmt_logs" {
  count = var.deploy_management_resources ? 1 : 0
  input = {
    name                     = "stmgmtlogs"
    resource_group_name      = "rg-mgmt"
    location                 = local.location
    account_tier             = "Standard"
    account_replication_type = "LRS"
    tags                     = local.tags
    customer_managed_key     = []
  }
}

resource "terraform_data" "azurerm_recovery_services_vault__vault" {
  count = length(local.backed_up) > 0 ? 1 : 0
  input = {
    id                  = "${local.rg_id}/providers/Microsoft.RecoveryServices/vaults/rsv-corp"
    name                = "rsv-corp"
    resource_group_name = "rg-mgmt"
    location            = local.location
    sku                 = "Standard"
    tags                = local.tags
    encryption          = []
  }
}

resource "terraform_data" "azurerm_backup_policy_vm__daily" {
  count = length(terraform_data.azurerm_recovery_services_vault__vault)
  input = {
    id                  = "${terraform_data.azurerm_recovery_services_vault__vault[0].input.id}/backupPolicies/daily"
    name                = "daily"
    resource_group_name = "rg-mgmt"
    recovery_vault_name = terraform_data.azurerm_recovery_services_vault__vault[0].input.name
    backup              = [{ frequency = "Daily", time = "23:00" }]
    retention_daily     = [{ count = 7 }]
  }
}

resource "terraform_data" "azurerm_linux_virtual_machine__vm" {
  for_each = var.settings.vms
  input = {
    id                    = "${local.rg_id}/providers/Microsoft.Compute/virtualMachines/vm-${each.key}"
    name                  = "vm-${each.key}"
    resource_group_name   = "rg-mgmt"
    location              = local.location
    size                  = each.value.size
    admin_username        = "azureuser"
    network_interface_ids = ["${local.rg_id}/providers/Microsoft.Network/networkInterfaces/nic-${each.key}"]
    tags                  = local.tags
    os_disk = [{
      caching                          = "ReadWrite"
      storage_account_type             = "Premium_LRS"
      disk_encryption_set_id           = null
      secure_vm_disk_encryption_set_id = null
    }]
    source_image_reference = [{ publisher = "Canonical", offer = "ubuntu-24_04-lts", sku = "server", version = "latest" }]
  }
}

resource "terraform_data" "azurerm_backup_protected_vm__vm" {
  for_each = local.backed_up
  input = {
    resource_group_name = "rg-mgmt"
    recovery_vault_name = terraform_data.azurerm_recovery_services_vault__vault[0].input.name
    source_vm_id        = terraform_data.azurerm_linux_virtual_machine__vm[each.key].input.id
    backup_policy_id    = terraform_data.azurerm_backup_policy_vm__daily[0].input.id
  }
}

resource "terraform_data" "azurerm_backup_protected_vm__mgmt" {
  count = var.deploy_management_resources ? 1 : 0
  input = {
    resource_group_name = "rg-mgmt"
    recovery_vault_name = "rsv-mgmt"
    source_vm_id        = terraform_data.azurerm_linux_virtual_machine__vm["jump"].input.id
  }
}
