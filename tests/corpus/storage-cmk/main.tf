# A squad's data platform: storage accounts from a map of objects, CMK chosen per account.
variable "environment" {
  type    = string
  default = "prod"
}

variable "accounts" {
  type = map(object({
    tier       = optional(string, "Standard")
    cmk        = optional(bool, true)
    containers = optional(list(string), [])
  }))
  default = {
    data = { cmk = true, containers = ["raw", "curated"] }
    logs = { cmk = false }
    ml   = { tier = "Premium", containers = ["models"] }
  }
}

locals {
  prefix = format("st%s%s", substr(var.environment, 0, 1), "dp")
  tags = merge(
    { environment = var.environment, costcenter = "cc-42" },
    var.environment == "prod" ? { criticality = "high" } : {},
  )
  cmk_accounts = { for k, v in var.accounts : k => v if v.cmk }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-dataplatform-${var.environment}"
  location = "westeurope"
  tags     = local.tags
}

resource "azurerm_key_vault" "kv" {
  name                       = "kv-dp-${var.environment}"
  resource_group_name        = azurerm_resource_group.rg.name
  location                   = azurerm_resource_group.rg.location
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
  tags                       = local.tags
}

resource "azurerm_key_vault_key" "cmk" {
  name            = "cmk-storage"
  key_vault_id    = azurerm_key_vault.kv.id
  key_type        = "RSA-HSM"
  key_size        = 3072
  key_opts        = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
  rotation_policy {
    expire_after         = "P365D"
    notify_before_expiry = "P30D"
    automatic {
      time_before_expiry = "P60D"
    }
  }
}

resource "azurerm_storage_account" "sa" {
  for_each                 = var.accounts
  name                     = lower("${local.prefix}${each.key}")
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = azurerm_resource_group.rg.location
  account_tier             = each.value.tier
  account_replication_type = "ZRS"
  tags                     = merge(local.tags, { account = each.key })

  identity {
    type = "SystemAssigned"
  }

  dynamic "customer_managed_key" {
    for_each = lookup(local.cmk_accounts, each.key, null) != null ? [1] : []
    content {
      key_vault_key_id          = azurerm_key_vault_key.cmk.versionless_id
      user_assigned_identity_id = null
    }
  }
}

resource "azurerm_storage_container" "c" {
  for_each = merge([
    for account, spec in var.accounts : { for c in spec.containers : "${account}-${c}" => { account = account, name = c } }
  ]...)
  name               = each.value.name
  storage_account_id = azurerm_storage_account.sa[each.value.account].id
}
