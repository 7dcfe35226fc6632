# Data disks from a map, encrypted through a disk encryption set unless a disk opts out.
variable "disks" {
  type = map(object({
    size_gb = number
    sku     = optional(string, "Premium_ZRS")
    cmk     = optional(bool, true)
  }))
  default = {
    data01 = { size_gb = 256 }
    data02 = { size_gb = 512, sku = "PremiumV2_LRS" }
    scratch = { size_gb = 64, cmk = false }
  }
}

locals {
  tags = { environment = "prod" }
  des_id = try(azurerm_disk_encryption_set.des.id, null)
}

resource "azurerm_key_vault" "kv" {
  name                      = "kv-disks-prod"
  resource_group_name       = "rg-disks-prod"
  location                  = "westeurope"
  tenant_id                 = "00000000-0000-0000-0000-000000000000"
  sku_name                  = "premium"
  purge_protection_enabled  = true
  enable_rbac_authorization = true
  tags                      = local.tags
}

resource "azurerm_key_vault_key" "des" {
  name            = "des"
  key_vault_id    = azurerm_key_vault.kv.id
  key_type        = "RSA-HSM"
  key_size        = 3072
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
  name                      = "des-prod"
  resource_group_name       = "rg-disks-prod"
  location                  = "westeurope"
  key_vault_key_id          = azurerm_key_vault_key.des.versionless_id
  auto_key_rotation_enabled = true
  identity {
    type = "SystemAssigned"
  }
  tags = local.tags
}

resource "azurerm_managed_disk" "disk" {
  for_each               = var.disks
  name                   = "disk-${each.key}"
  resource_group_name    = "rg-disks-prod"
  location               = "westeurope"
  storage_account_type   = each.value.sku
  create_option          = "Empty"
  disk_size_gb           = each.value.size_gb
  disk_encryption_set_id = each.value.cmk ? local.des_id : null
  tags                   = merge(local.tags, { disk = each.key })
}
