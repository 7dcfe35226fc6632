resource "azurerm_key_vault" "hub" {
  name                          = "kv-hub-platform-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.hub.name
  tenant_id                     = var.tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  rbac_authorization_enabled    = true
  public_network_access_enabled = false
  tags                          = local.tags

  network_acls {
    bypass         = "AzureServices"
    default_action = "Deny"
  }
}

resource "azurerm_key_vault_key" "storage" {
  name            = "cmk-platform-storage"
  key_vault_id    = azurerm_key_vault.hub.id
  key_type        = "RSA-HSM"
  key_size        = 4096
  key_opts        = ["unwrapKey", "wrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
  tags            = local.tags

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P29D"

    automatic {
      time_before_expiry = "P30D"
    }
  }
}

resource "azurerm_key_vault_key" "logs" {
  name            = "cmk-platform-logs"
  key_vault_id    = azurerm_key_vault.hub.id
  key_type        = "RSA-HSM"
  key_size        = 3072
  key_opts        = ["unwrapKey", "wrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
  tags            = local.tags

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P29D"

    automatic {
      time_before_expiry = "P30D"
    }
  }
}

resource "azurerm_user_assigned_identity" "cmk" {
  name                = "id-hub-cmk-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.hub.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "cmk_crypto_user" {
  scope                = azurerm_key_vault.hub.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.cmk.principal_id
}
