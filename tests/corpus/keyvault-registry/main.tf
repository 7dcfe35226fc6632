# A Key Vault with its keys from a registry module (AVM key vault style: keys as a map of
# objects, rotation policies as dynamic blocks), used for CMK by the root's storage accounts.
module "kv" {
  source  = "acme/keyvault/azurerm"
  version = "3.1.0"

  name                = "kv-orders-prod"
  resource_group_name = "rg-orders-prod"
  location            = "westeurope"
  purge_protection    = false
  tags                = { environment = "prod" }
  keys = {
    orders = { size = 3072, rotate = true }
    legacy = { size = 2048, rotate = false }
  }
}

resource "azurerm_storage_account" "orders" {
  name                     = "stordersprod"
  resource_group_name      = "rg-orders-prod"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = { environment = "prod" }
  identity {
    type = "SystemAssigned"
  }
  customer_managed_key {
    key_vault_key_id = module.kv.keys["orders"].versionless_id
  }
}

resource "azurerm_storage_account" "archive" {
  name                     = "starchiveprod"
  resource_group_name      = "rg-orders-prod"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = { environment = "prod" }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_storage_account_customer_managed_key" "archive" {
  storage_account_id = azurerm_storage_account.archive.id
  key_vault_id       = module.kv.id
  key_name           = module.kv.keys["legacy"].name
}
