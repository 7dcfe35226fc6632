variable "name" { type = string }
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "purge_protection" {
  type    = bool
  default = true
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "keys" {
  type = map(object({
    size   = optional(number, 3072)
    rotate = optional(bool, true)
  }))
  default = {}
}

resource "azurerm_key_vault" "this" {
  name                       = var.name
  resource_group_name        = var.resource_group_name
  location                   = var.location
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  purge_protection_enabled   = var.purge_protection
  soft_delete_retention_days = 90
  tags                       = var.tags
}

resource "azurerm_key_vault_key" "this" {
  for_each     = var.keys
  name         = each.key
  key_vault_id = azurerm_key_vault.this.id
  key_type     = "RSA-HSM"
  key_size     = each.value.size
  key_opts     = ["wrapKey", "unwrapKey"]

  dynamic "rotation_policy" {
    for_each = each.value.rotate ? [1] : []
    content {
      expire_after         = "P365D"
      notify_before_expiry = "P30D"
      automatic {
        time_before_expiry = "P60D"
      }
    }
  }
}

output "id" { value = azurerm_key_vault.this.id }
output "keys" {
  value = { for k, key in azurerm_key_vault_key.this : k => { id = key.id, versionless_id = key.versionless_id, name = key.name } }
}
