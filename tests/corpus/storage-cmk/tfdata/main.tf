# The root module ../main.tf with terraform_data standing in for each azurerm resource (no provider
# needed): `terraform_data.<type>__<name>` with `input` = the resource's attributes, nested blocks
# as lists of objects. tests/corpus/make_plans.py plans it and renames the resources back, so
# Terraform itself evaluates the for_each, optional() defaults, lookups and conditionals.
# Ids a provider would compute are written out as the values Azure would give.
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
  rg_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dataplatform-${var.environment}"
}

resource "terraform_data" "azurerm_resource_group__rg" {
  input = {
    id       = local.rg_id
    name     = "rg-dataplatform-${var.environment}"
    location = "westeurope"
    tags     = local.tags
  }
}

resource "terraform_data" "azurerm_key_vault__kv" {
  input = {
    id                         = "${local.rg_id}/providers/Microsoft.KeyVault/vaults/kv-dp-${var.environment}"
    name                       = "kv-dp-${var.environment}"
    resource_group_name        = terraform_data.azurerm_resource_group__rg.input.name
    location                   = terraform_data.azurerm_resource_group__rg.input.location
    tenant_id                  = "00000000-0000-0000-0000-000000000000"
    sku_name                   = "premium"
    purge_protection_enabled   = true
    soft_delete_retention_days = 90
    vault_uri                  = "https://kv-dp-${var.environment}.vault.azure.net/"
    tags                       = local.tags
  }
}

resource "terraform_data" "azurerm_key_vault_key__cmk" {
  input = {
    id              = "https://kv-dp-${var.environment}.vault.azure.net/keys/cmk-storage/0123456789abcdef0123456789abcdef"
    versionless_id  = "https://kv-dp-${var.environment}.vault.azure.net/keys/cmk-storage"
    name            = "cmk-storage"
    key_vault_id    = terraform_data.azurerm_key_vault__kv.input.id
    key_type        = "RSA-HSM"
    key_size        = 3072
    key_opts        = ["wrapKey", "unwrapKey"]
    expiration_date = "2027-12-31T00:00:00Z"
    rotation_policy = [{
      expire_after         = "P365D"
      notify_before_expiry = "P30D"
      automatic            = [{ time_before_expiry = "P60D", time_after_creation = null }]
    }]
  }
}

resource "terraform_data" "azurerm_storage_account__sa" {
  for_each = var.accounts
  input = {
    id                       = "${local.rg_id}/providers/Microsoft.Storage/storageAccounts/${lower("${local.prefix}${each.key}")}"
    name                     = lower("${local.prefix}${each.key}")
    resource_group_name      = terraform_data.azurerm_resource_group__rg.input.name
    location                 = terraform_data.azurerm_resource_group__rg.input.location
    account_tier             = each.value.tier
    account_replication_type = "ZRS"
    tags                     = merge(local.tags, { account = each.key })
    identity                 = [{ type = "SystemAssigned", identity_ids = null }]
    customer_managed_key = [
      for _ in(lookup(local.cmk_accounts, each.key, null) != null ? [1] : []) : {
        key_vault_key_id          = terraform_data.azurerm_key_vault_key__cmk.input.versionless_id
        managed_hsm_key_id        = null
        user_assigned_identity_id = null
      }
    ]
  }
}

resource "terraform_data" "azurerm_storage_container__c" {
  for_each = merge([
    for account, spec in var.accounts : { for c in spec.containers : "${account}-${c}" => { account = account, name = c } }
  ]...)
  input = {
    name               = each.value.name
    storage_account_id = terraform_data.azurerm_storage_account__sa[each.value.account].input.id
  }
}
