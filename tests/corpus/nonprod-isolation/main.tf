# A nonprod spoke that reaches into prod: peered with a prod VNet and encrypting with a prod key.
variable "vnets" {
  type = map(object({ cidr = string, env = string }))
  default = {
    "vnet-app-prod" = { cidr = "10.10.0.0/16", env = "prod" }
    "vnet-app-test" = { cidr = "10.20.0.0/16", env = "test" }
    "vnet-app-dev"  = { cidr = "10.30.0.0/16", env = "dev" }
  }
}

locals {
  # environment from the name, the way a naming convention does it
  env_of = { for name, v in var.vnets : name => regex("-(prod|test|dev)$", name)[0] }
}

resource "azurerm_virtual_network" "v" {
  for_each            = var.vnets
  name                = each.key
  resource_group_name = "rg-${local.env_of[each.key]}-net"
  location            = "westeurope"
  address_space       = [each.value.cidr]
  tags                = { environment = each.value.env }
}

resource "azurerm_virtual_network_peering" "test_to_prod" {
  name                      = "test-to-prod"
  resource_group_name       = azurerm_virtual_network.v["vnet-app-test"].resource_group_name
  virtual_network_name      = azurerm_virtual_network.v["vnet-app-test"].name
  remote_virtual_network_id = azurerm_virtual_network.v["vnet-app-prod"].id
}

resource "azurerm_virtual_network_peering" "prod_to_test" {
  name                      = "prod-to-test"
  resource_group_name       = azurerm_virtual_network.v["vnet-app-prod"].resource_group_name
  virtual_network_name      = azurerm_virtual_network.v["vnet-app-prod"].name
  remote_virtual_network_id = azurerm_virtual_network.v["vnet-app-test"].id
}

resource "azurerm_virtual_network_peering" "dev_to_test" {
  name                      = "dev-to-test"
  resource_group_name       = azurerm_virtual_network.v["vnet-app-dev"].resource_group_name
  virtual_network_name      = azurerm_virtual_network.v["vnet-app-dev"].name
  remote_virtual_network_id = azurerm_virtual_network.v["vnet-app-test"].id
}

resource "azurerm_key_vault" "prod" {
  name                     = "kv-app-prod"
  resource_group_name      = "rg-prod-keys"
  location                 = "westeurope"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "premium"
  purge_protection_enabled = true
  tags                     = { environment = "prod" }
}

resource "azurerm_key_vault_key" "prod" {
  name            = "cmk"
  key_vault_id    = azurerm_key_vault.prod.id
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

resource "azurerm_storage_account" "test" {
  name                     = "stapptest"
  resource_group_name      = "rg-test-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = { environment = "test" }
  identity {
    type = "SystemAssigned"
  }
  customer_managed_key {
    key_vault_key_id = azurerm_key_vault_key.prod.versionless_id
  }
}
