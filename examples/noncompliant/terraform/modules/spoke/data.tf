resource "azurerm_storage_account" "data" {
  name                              = "st${var.name}${var.environment}data"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.spoke.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = var.environment == "prod" ? "ZRS" : "LRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  tags                              = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cmk.id]
  }

  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.cmk["storage"].versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.cmk.id
  }
}

resource "azurerm_storage_account" "archive" {
  name                              = "st${var.name}${var.environment}arch"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.spoke.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = var.environment == "prod" ? "ZRS" : "LRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  access_tier                       = "Hot"
  tags                              = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cmk.id]
  }
}

# CMK attached after creation: at plan time only the references link key and account.
resource "azurerm_storage_account_customer_managed_key" "archive" {
  storage_account_id        = azurerm_storage_account.archive.id
  key_vault_id              = azurerm_key_vault.spoke.id
  key_name                  = azurerm_key_vault_key.cmk["storage"].name
  user_assigned_identity_id = azurerm_user_assigned_identity.cmk.id
}

resource "azurerm_private_endpoint" "data_blob" {
  name                = "pe-st${var.name}${var.environment}data-blob"
  location            = var.location
  resource_group_name = azurerm_resource_group.spoke.name
  subnet_id           = azurerm_subnet.spoke["snet-pe"].id
  tags                = var.tags

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.data.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

resource "azurerm_mssql_server" "spoke" {
  name                              = "sql-${local.suffix}"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.spoke.name
  version                           = "12.0"
  administrator_login               = "sqladmin"
  administrator_login_password      = var.sql_admin_password
  minimum_tls_version               = "1.2"
  public_network_access_enabled     = false
  primary_user_assigned_identity_id = azurerm_user_assigned_identity.cmk.id
  tags                              = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cmk.id]
  }
}

resource "azurerm_mssql_server_transparent_data_encryption" "spoke" {
  server_id             = azurerm_mssql_server.spoke.id
  key_vault_key_id      = azurerm_key_vault_key.cmk["sql"].id
  auto_rotation_enabled = true
}

resource "azurerm_postgresql_flexible_server" "spoke" {
  name                          = "psql-${local.suffix}"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.spoke.name
  version                       = "16"
  sku_name                      = "GP_Standard_D2ds_v5"
  storage_mb                    = 65536
  backup_retention_days         = 14
  geo_redundant_backup_enabled  = false
  public_network_access_enabled = false
  zone                          = "1"
  tags                          = var.tags

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.tenant_id
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cmk.id]
  }

  customer_managed_key {
    key_vault_key_id                  = azurerm_key_vault_key.cmk["postgres"].id
    primary_user_assigned_identity_id = azurerm_user_assigned_identity.cmk.id
  }
}
