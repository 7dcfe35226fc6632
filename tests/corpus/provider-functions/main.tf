# Ids built and parsed with azapi's provider functions; storage accounts as azapi_resource bodies.
variable "subscription_id" {
  type    = string
  default = "00000000-0000-0000-0000-000000000000"
}
variable "key_vault_id" {
  type    = string
  default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys-prod/providers/Microsoft.KeyVault/vaults/kv-keys-prod"
}

locals {
  rg_id = provider::azapi::resource_group_resource_id(var.subscription_id, "rg-data-prod")
  kv    = provider::azapi::parse_resource_id("Microsoft.KeyVault/vaults", var.key_vault_id)
  accounts = {
    sttelemetryprod = { cmk = false }
    stordersprod    = { cmk = true }
  }
}

resource "azapi_resource" "sa" {
  for_each  = local.accounts
  type      = "Microsoft.Storage/storageAccounts@2023-05-01"
  name      = each.key
  parent_id = local.rg_id
  location  = "westeurope"
  tags      = { environment = "prod", vault = local.kv.name }
  identity {
    type = "SystemAssigned"
  }
  body = {
    kind = "StorageV2"
    sku  = { name = "Standard_ZRS" }
    properties = {
      minimumTlsVersion = "TLS1_2"
      encryption = merge(
        { services = { blob = { enabled = true } } },
        each.value.cmk ? {
          keySource = "Microsoft.Keyvault"
          keyvaultproperties = {
            keyname     = "cmk-orders"
            keyvaulturi = format("https://%s.vault.azure.net/", local.kv.name)
          }
        } : { keySource = "Microsoft.Storage" },
      )
    }
  }
}
