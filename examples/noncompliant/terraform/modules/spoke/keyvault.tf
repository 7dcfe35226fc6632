resource "azurerm_user_assigned_identity" "cmk" {
  name                = "id-${local.suffix}-cmk"
  location            = var.location
  resource_group_name = azurerm_resource_group.spoke.name
  tags                = var.tags
}

resource "azurerm_key_vault" "spoke" {
  name                          = "kv-${local.suffix}"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.spoke.name
  tenant_id                     = var.tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  rbac_authorization_enabled    = true
  public_network_access_enabled = false
  enabled_for_disk_encryption   = true
  tags                          = var.tags

  network_acls {
    bypass         = "AzureServices"
    default_action = "Deny"
  }
}

resource "azurerm_key_vault_key" "cmk" {
  for_each = local.cmk_keys

  name            = "cmk-${each.key}"
  key_vault_id    = azurerm_key_vault.spoke.id
  key_type        = "RSA-HSM"
  key_size        = 4096
  key_opts        = ["unwrapKey", "wrapKey"]
  expiration_date = "2027-12-31T00:00:00Z"
  tags            = var.tags

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P29D"

    automatic {
      time_before_expiry = "P30D"
    }
  }

  depends_on = [azurerm_role_assignment.deployer_crypto_officer]
}

resource "azurerm_role_assignment" "deployer_crypto_officer" {
  scope                = azurerm_key_vault.spoke.id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = var.deployer_object_id
}

resource "azurerm_role_assignment" "cmk_crypto_user" {
  scope                = azurerm_key_vault.spoke.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.cmk.principal_id
}

resource "azurerm_role_assignment" "des_crypto_user" {
  scope                = azurerm_key_vault.spoke.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_disk_encryption_set.spoke.identity[0].principal_id
}
