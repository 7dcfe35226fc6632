# ../main.tf with terraform_data standing in for the azurerm resources (see make_plans.py).
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
  key_name = "cmk-%{ for s, _ in var.stages }${s}%{ endfor }"
  vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-shop-prod"
}

resource "terraform_data" "azurerm_storage_account__sa" {
  for_each = var.stages
  input = {
    name                     = "stshop%{ if each.key == "p" }prod%{ else }test%{ endif }01"
    resource_group_name      = "rg-shop-${local.env[each.key]}"
    location                 = each.value
    account_tier             = "Standard"
    account_replication_type = "ZRS"
    tags = {
      environment = local.env[each.key]
      description = trimspace(local.description)
    }
    identity = [{ type = "SystemAssigned", identity_ids = null }]
    customer_managed_key = [
      for id in(local.env[each.key] == "prod" ? [terraform_data.azurerm_key_vault_key__k.input.versionless_id] : []) : {
        key_vault_key_id          = id
        managed_hsm_key_id        = null
        user_assigned_identity_id = null
      }
    ]
  }
}

resource "terraform_data" "azurerm_key_vault_key__k" {
  input = {
    id              = "https://kv-shop-prod.vault.azure.net/keys/${local.key_name}/0123456789abcdef0123456789abcdef"
    versionless_id  = "https://kv-shop-prod.vault.azure.net/keys/${local.key_name}"
    name            = local.key_name
    key_vault_id    = local.vault_id
    key_type        = "RSA"
    key_size        = 2048
    key_opts        = ["wrapKey", "unwrapKey"]
    expiration_date = null
    rotation_policy = []
  }
}
