resource "azurerm_log_analytics_workspace" "hub" {
  name                = "law-hub-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.hub.name
  sku                 = "PerGB2018"
  retention_in_days   = 90
  tags                = local.tags
}

resource "azurerm_log_analytics_cluster" "hub" {
  name                = "log-cluster-hub-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.hub.name
  size_gb             = 100
  tags                = local.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_log_analytics_cluster_customer_managed_key" "hub" {
  log_analytics_cluster_id = azurerm_log_analytics_cluster.hub.id
  key_vault_key_id         = azurerm_key_vault_key.logs.versionless_id
}

resource "azurerm_log_analytics_linked_service" "hub" {
  workspace_id    = azurerm_log_analytics_workspace.hub.id
  write_access_id = azurerm_log_analytics_cluster.hub.id
}

resource "azurerm_storage_account" "flowlogs" {
  name                              = "sthubflowlogsweu"
  location                          = var.location
  resource_group_name               = azurerm_resource_group.hub.name
  account_tier                      = "Standard"
  account_kind                      = "StorageV2"
  account_replication_type          = "ZRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  public_network_access_enabled     = false
  shared_access_key_enabled         = false
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  tags                              = local.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cmk.id]
  }

  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.storage.versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.cmk.id
  }
}

resource "azurerm_monitor_diagnostic_setting" "firewall" {
  name                           = "diag-afw-hub"
  target_resource_id             = azurerm_firewall.hub.id
  log_analytics_workspace_id     = azurerm_log_analytics_workspace.hub.id
  log_analytics_destination_type = "Dedicated"

  enabled_log {
    category_group = "allLogs"
  }

  metric {
    category = "AllMetrics"
  }
}

resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  name                       = "diag-kv-hub"
  target_resource_id         = azurerm_key_vault.hub.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.hub.id

  enabled_log {
    category_group = "audit"
  }

  metric {
    category = "AllMetrics"
  }
}
