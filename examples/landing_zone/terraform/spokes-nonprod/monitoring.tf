resource "azurerm_resource_group" "monitoring" {
  name     = "rg-monitoring-test-weu"
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "spokes" {
  name                = "law-spokes-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.monitoring.name
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}
