# ../main.tf with terraform_data standing in for the azurerm resources (see make_plans.py).
variable "vnets" {
  type = map(object({ cidr = string, env = string }))
  default = {
    "vnet-app-prod" = { cidr = "10.10.0.0/16", env = "prod" }
    "vnet-app-test" = { cidr = "10.20.0.0/16", env = "test" }
    "vnet-app-dev"  = { cidr = "10.30.0.0/16", env = "dev" }
  }
}

locals {
  env_of = { for name, v in var.vnets : name => regex("-(prod|test|dev)$", name)[0] }
  sub    = "/subscriptions/00000000-0000-0000-0000-000000000000"
  vnet   = terraform_data.azurerm_virtual_network__v
}

resource "terraform_data" "azurerm_virtual_network__v" {
  for_each = var.vnets
  input = {
    id                  = "${local.sub}/resourceGroups/rg-${local.env_of[each.key]}-net/providers/Microsoft.Network/virtualNetworks/${each.key}"
    name                = each.key
    resource_group_name = "rg-${local.env_of[each.key]}-net"
    location            = "westeurope"
    address_space       = [each.value.cidr]
    tags                = { environment = each.value.env }
  }
}

resource "terraform_data" "azurerm_virtual_network_peering__test_to_prod" {
  input = {
    name                      = "test-to-prod"
    resource_group_name       = local.vnet["vnet-app-test"].input.resource_group_name
    virtual_network_name      = local.vnet["vnet-app-test"].input.name
    remote_virtual_network_id = local.vnet["vnet-app-prod"].input.id
  }
}

resource "terraform_data" "azurerm_virtual_network_peering__prod_to_test" {
  input = {
    name                      = "prod-to-test"
    resource_group_name       = local.vnet["vnet-app-prod"].input.resource_group_name
    virtual_network_name      = local.vnet["vnet-app-prod"].input.name
    remote_virtual_network_id = local.vnet["vnet-app-test"].input.id
  }
}

resource "terraform_data" "azurerm_virtual_network_peering__dev_to_test" {
  input = {
    name                      = "dev-to-test"
    resource_group_name       = local.vnet["vnet-app-dev"].input.resource_group_name
    virtual_network_name      = local.vnet["vnet-app-dev"].input.name
    remote_virtual_network_id = local.vnet["vnet-app-test"].input.id
  }
}

resource "terraform_data" "azurerm_key_vault__prod" {
  input = {
    id                       = "${local.sub}/resourceGroups/rg-prod-keys/providers/Microsoft.KeyVault/vaults/kv-app-prod"
    name                     = "kv-app-prod"
    resource_group_name      = "rg-prod-keys"
    location                 = "westeurope"
    tenant_id                = "00000000-0000-0000-0000-000000000000"
    sku_name                 = "premium"
    purge_protection_enabled = true
    vault_uri                = "https://kv-app-prod.vault.azure.net/"
    tags                     = { environment = "prod" }
  }
}

resource "terraform_data" "azurerm_key_vault_key__prod" {
  input = {
    id              = "https://kv-app-prod.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef"
    versionless_id  = "https://kv-app-prod.vault.azure.net/keys/cmk"
    name            = "cmk"
    key_vault_id    = terraform_data.azurerm_key_vault__prod.input.id
    key_type        = "RSA-HSM"
    key_size        = 3072
    key_opts        = ["wrapKey", "unwrapKey"]
    expiration_date = "2027-06-30T00:00:00Z"
    rotation_policy = [{ expire_after = "P1Y", notify_before_expiry = null, automatic = [{ time_before_expiry = "P30D", time_after_creation = null }] }]
  }
}

resource "terraform_data" "azurerm_storage_account__test" {
  input = {
    id                       = "${local.sub}/resourceGroups/rg-test-data/providers/Microsoft.Storage/storageAccounts/stapptest"
    name                     = "stapptest"
    resource_group_name      = "rg-test-data"
    location                 = "westeurope"
    account_tier             = "Standard"
    account_replication_type = "LRS"
    tags                     = { environment = "test" }
    identity                 = [{ type = "SystemAssigned", identity_ids = null }]
    customer_managed_key     = [{ key_vault_key_id = terraform_data.azurerm_key_vault_key__prod.input.versionless_id, managed_hsm_key_id = null, user_assigned_identity_id = null }]
  }
}
