# AVM's storage module pattern: the account is created without a key, then switched to a
# customer-managed key by azapi_update_resource in the same apply.
locals {
  tags = { environment = "prod" }
}

resource "azurerm_user_assigned_identity" "st" {
  name                = "id-st-prod"
  resource_group_name = "rg-data-prod"
  location            = "westeurope"
}

resource "azurerm_key_vault_key" "st" {
  name            = "cmk-st"
  key_vault_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-keys-prod"
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

resource "azurerm_storage_account" "cmk" {
  name                     = "stdataprodcmk"
  resource_group_name      = "rg-data-prod"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = local.tags
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.st.id]
  }
}

resource "azapi_update_resource" "cmk" {
  type        = "Microsoft.Storage/storageAccounts@2023-01-01"
  resource_id = azurerm_storage_account.cmk.id
  body = {
    properties = {
      encryption = {
        keySource = "Microsoft.Keyvault"
        identity  = { userAssignedIdentity = azurerm_user_assigned_identity.st.id }
        keyvaultproperties = {
          keyname     = azurerm_key_vault_key.st.name
          keyvaulturi = "https://kv-keys-prod.vault.azure.net/"
        }
      }
    }
  }
}

resource "azurerm_storage_account" "plain" {
  name                     = "stdataprodplain"
  resource_group_name      = "rg-data-prod"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = local.tags
}

resource "azapi_update_resource" "plain_tls" {
  type        = "Microsoft.Storage/storageAccounts@2023-01-01"
  resource_id = azurerm_storage_account.plain.id
  body = {
    properties = { minimumTlsVersion = "TLS1_2" }
  }
}
