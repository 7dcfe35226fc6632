resource "azurerm_resource_group" "monitoring" {
  name     = "rg-monitoring-prod-weu"
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "spokes" {
  name                = "law-spokes-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.monitoring.name
  sku                 = "PerGB2018"
  retention_in_days   = 90
  tags                = local.tags
}

resource "azurerm_key_vault" "monitoring" {
  name                          = "kv-monitoring-prod-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.monitoring.name
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

resource "azurerm_key_vault_key" "logs" {
  name            = "cmk-logs-prod"
  key_vault_id    = azurerm_key_vault.monitoring.id
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

resource "azurerm_log_analytics_cluster" "spokes" {
  name                = "log-cluster-spokes-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.monitoring.name
  size_gb             = 100
  tags                = local.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_log_analytics_cluster_customer_managed_key" "spokes" {
  log_analytics_cluster_id = azurerm_log_analytics_cluster.spokes.id
  key_vault_key_id         = azurerm_key_vault_key.logs.versionless_id
}

resource "azurerm_log_analytics_linked_service" "spokes" {
  workspace_id    = azurerm_log_analytics_workspace.spokes.id
  write_access_id = azurerm_log_analytics_cluster.spokes.id
}
