resource "azurerm_resource_group" "haarlem" {
  name     = "rg-haarlem-prod-weu"
  location = var.location
  tags     = merge(local.tags, { municipality = "haarlem" })
}

resource "azurerm_virtual_network" "haarlem" {
  name                = "vnet-haarlem-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.haarlem.name
  address_space       = ["10.1.32.0/20"]
  tags                = merge(local.tags, { municipality = "haarlem" })
}

resource "azurerm_subnet" "haarlem_app" {
  name                            = "snet-app"
  resource_group_name             = azurerm_resource_group.haarlem.name
  virtual_network_name            = azurerm_virtual_network.haarlem.name
  address_prefixes                = ["10.1.32.0/24"]
  default_outbound_access_enabled = false
}

resource "azurerm_network_security_group" "haarlem" {
  name                = "nsg-haarlem-prod-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.haarlem.name
  tags                = merge(local.tags, { municipality = "haarlem" })
}

resource "azurerm_subnet_network_security_group_association" "haarlem_app" {
  subnet_id                 = azurerm_subnet.haarlem_app.id
  network_security_group_id = azurerm_network_security_group.haarlem.id
}

resource "azurerm_route_table" "haarlem" {
  name                          = "rt-haarlem-prod-weu"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.haarlem.name
  bgp_route_propagation_enabled = false
  tags                          = merge(local.tags, { municipality = "haarlem" })

  route {
    name                   = "default-via-hub-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.0.4"
  }
}

resource "azurerm_subnet_route_table_association" "haarlem_app" {
  subnet_id      = azurerm_subnet.haarlem_app.id
  route_table_id = azurerm_route_table.haarlem.id
}

# VIOLATION topology.peering_settings: allow_forwarded_traffic = false on the spoke side.
resource "azurerm_virtual_network_peering" "haarlem_to_hub" {
  name                         = "peer-haarlem-prod-to-hub"
  resource_group_name          = azurerm_resource_group.haarlem.name
  virtual_network_name         = azurerm_virtual_network.haarlem.name
  remote_virtual_network_id    = var.hub_vnet_id
  allow_virtual_network_access = true
  allow_forwarded_traffic      = false
  allow_gateway_transit        = false
  use_remote_gateways          = true
}
