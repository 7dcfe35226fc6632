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
