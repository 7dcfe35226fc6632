# Names and tags from template directives and heredocs; the environment follows from them.
variable "stages" {
  type    = map(string)
  default = { p = "westeurope", t = "northeurope" }
}

locals {
  env = { for s, _ in var.stages : s => "%{ if s == "p" }prod%{ else }test%{ endif }" }
  description = <<-EOT
    %{~ for s, region in var.stages ~}
    ${s}: ${region}
    %{~ endfor ~}
  EOT
}

resource "azurerm_storage_account" "sa" {
  for_each                 = var.stages
  name                     = "stshop%{ if each.key == "p" }prod%{ else }test%{ endif }01"
  resource_group_name      = "rg-shop-${local.env[each.key]}"
  location                 = each.value
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags = {
    environment = local.env[each.key]
    description = trimspace(local.description)
  }
  identity {
    type = "SystemAssigned"
  }
  dynamic "customer_managed_key" {
    for_each = local.env[each.key] == "prod" ? [azurerm_key_vault_key.k.versionless_id] : []
    content {
      key_vault_key_id = customer_managed_key.value
    }
  }
}

resource "azurerm_key_vault_key" "k" {
  name            = "cmk-%{ for s, _ in var.stages }${s}%{ endfor }"
  key_vault_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-shop-prod"
  key_type        = "RSA"
  key_size        = 2048
  key_opts        = ["wrapKey", "unwrapKey"]
}
