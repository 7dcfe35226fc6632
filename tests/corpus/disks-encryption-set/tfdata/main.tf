# ../main.tf with terraform_data standing in for the azurerm resources (see make_plans.py).
variable "disks" {
  type = map(object({
    size_gb = number
    sku     = optional(string, "Premium_ZRS")
    cmk     = optional(bool, true)
  }))
  default = {
    data01  = { size_gb = 256 }
    data02  = { size_gb = 512, sku = "PremiumV2_LRS" }
    scratch = { size_gb = 64, cmk = false }
  }
}

locals {
  tags   = { environment = "prod" }
  rg_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-disks-prod"
  des_id = try(terraform_data.azurerm_disk_encryption_set__des.input.id, null)
}

resource "terraform_data" "azurerm_key_vault__kv" {
  input = {
    id                        = "${local.rg_id}/providers/Microsoft.KeyVault/vaults/kv-disks-prod"
    name                      = "kv-disks-prod"
    resource_group_name       = "rg-disks-prod"
    location                  = "westeurope"
    tenant_id                 = "00000000-0000-0000-0000-000000000000"
    sku_name                  = "premium"
    purge_protection_enabled  = true
    enable_rbac_authorization = true
    vault_uri                 = "https://kv-disks-prod.vault.azure.net/"
    tags                      = local.tags
  }
}

resource "terraform_data" "azurerm_key_vault_key__des" {
  input = {
    id              = "https://kv-disks-prod.vault.azure.net/keys/des/0123456789abcdef0123456789abcdef"
    versionless_id  = "https://kv-disks-prod.vault.azure.net/keys/des"
    name            = "des"
    key_vault_id    = terraform_data.azurerm_key_vault__kv.input.id
    key_type        = "RSA-HSM"
    key_size        = 3072
    key_opts        = ["wrapKey", "unwrapKey"]
    expiration_date = "2027-06-30T00:00:00Z"
    rotation_policy = [{ expire_after = "P1Y", notify_before_expiry = null, automatic = [{ time_before_expiry = "P30D", time_after_creation = null }] }]
  }
}

resource "terraform_data" "azurerm_disk_encryption_set__des" {
  input = {
    id                        = "${local.rg_id}/providers/Microsoft.Compute/diskEncryptionSets/des-prod"
    name                      = "des-prod"
    resource_group_name       = "rg-disks-prod"
    location                  = "westeurope"
    key_vault_key_id          = terraform_data.azurerm_key_vault_key__des.input.versionless_id
    auto_key_rotation_enabled = true
    identity                  = [{ type = "SystemAssigned", identity_ids = null }]
    tags                      = local.tags
  }
}

resource "terraform_data" "azurerm_managed_disk__disk" {
  for_each = var.disks
  input = {
    id                     = "${local.rg_id}/providers/Microsoft.Compute/disks/disk-${each.key}"
    name                   = "disk-${each.key}"
    resource_group_name    = "rg-disks-prod"
    location               = "westeurope"
    storage_account_type   = each.value.sku
    create_option          = "Empty"
    disk_size_gb           = each.value.size_gb
    disk_encryption_set_id = each.value.cmk ? local.des_id : null
    tags                   = merge(local.tags, { disk = each.key })
  }
}
