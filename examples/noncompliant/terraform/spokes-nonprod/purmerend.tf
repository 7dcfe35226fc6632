resource "azurerm_resource_group" "purmerend" {
  name     = "rg-purmerend-test-weu"
  location = var.location
  tags     = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION cost.service_plan: three workers balanced over zones in nonprod (one would do).
resource "azurerm_service_plan" "purmerend" {
  name                   = "asp-purmerend-test-weu"
  location               = var.location
  resource_group_name    = azurerm_resource_group.purmerend.name
  os_type                = "Linux"
  sku_name               = "P1v3"
  worker_count           = 3
  zone_balancing_enabled = true
  tags                   = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION topology.address_overlap: 10.2.8.0/22 lies inside zaanstad's 10.2.0.0/20.
# VIOLATION topology.unpeered_spoke: no peering with the hub (and the hub has none back).
resource "azurerm_virtual_network" "purmerend" {
  name                = "vnet-purmerend-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  address_space       = ["10.2.8.0/22"]
  tags                = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION topology.subnet_nsg: no network security group associated.
resource "azurerm_subnet" "purmerend_legacy" {
  name                 = "snet-legacy"
  resource_group_name  = azurerm_resource_group.purmerend.name
  virtual_network_name = azurerm_virtual_network.purmerend.name
  address_prefixes     = ["10.2.8.0/24"]
}

resource "azurerm_subnet" "purmerend_gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.purmerend.name
  virtual_network_name = azurerm_virtual_network.purmerend.name
  address_prefixes     = ["10.2.9.0/27"]
}

# VIOLATION topology.default_route: 0.0.0.0/0 goes straight to the Internet.
# VIOLATION topology.internet_route: the vendor range goes straight to the Internet too.
resource "azurerm_route_table" "purmerend" {
  name                = "rt-purmerend-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  tags                = merge(local.tags, { municipality = "purmerend" })

  route {
    name                   = "default-internet"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "Internet"
    next_hop_in_ip_address = null
  }

  route {
    name                   = "vendor-direct"
    address_prefix         = "52.174.0.0/16"
    next_hop_type          = "Internet"
    next_hop_in_ip_address = null
  }
}

# VIOLATION topology.route_table: no route table (it has an NSG).
resource "azurerm_subnet" "purmerend_batch" {
  name                 = "snet-batch"
  resource_group_name  = azurerm_resource_group.purmerend.name
  virtual_network_name = azurerm_virtual_network.purmerend.name
  address_prefixes     = ["10.2.10.0/24"]
}

resource "azurerm_network_security_group" "purmerend" {
  name                = "nsg-purmerend-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  tags                = merge(local.tags, { municipality = "purmerend" })
}

resource "azurerm_subnet_network_security_group_association" "purmerend_batch" {
  subnet_id                 = azurerm_subnet.purmerend_batch.id
  network_security_group_id = azurerm_network_security_group.purmerend.id
}

resource "azurerm_subnet" "purmerend_bastion" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = azurerm_resource_group.purmerend.name
  virtual_network_name = azurerm_virtual_network.purmerend.name
  address_prefixes     = ["10.2.11.0/26"]
}

resource "azurerm_public_ip" "purmerend_bastion" {
  name                = "pip-bas-purmerend-test"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = ["1", "2", "3"]
  tags                = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION topology.bastion_in_spoke: a Bastion host outside the hub.
resource "azurerm_bastion_host" "purmerend" {
  name                = "bas-purmerend-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  sku                 = "Standard"
  tags                = merge(local.tags, { municipality = "purmerend" })

  ip_configuration {
    name                 = "configuration"
    subnet_id            = azurerm_subnet.purmerend_bastion.id
    public_ip_address_id = azurerm_public_ip.purmerend_bastion.id
  }
}

resource "azurerm_subnet_route_table_association" "purmerend_legacy" {
  subnet_id      = azurerm_subnet.purmerend_legacy.id
  route_table_id = azurerm_route_table.purmerend.id
}

resource "azurerm_public_ip" "purmerend_vpn" {
  name                = "pip-vgw-purmerend-test"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = ["1", "2", "3"]
  tags                = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION topology.gateway_in_spoke: a VPN gateway outside the hub.
resource "azurerm_virtual_network_gateway" "purmerend" {
  name                = "vgw-purmerend-test-weu"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1AZ"
  generation          = "Generation1"
  active_active       = false
  tags                = merge(local.tags, { municipality = "purmerend" })

  ip_configuration {
    name                          = "vnetGatewayConfig"
    public_ip_address_id          = azurerm_public_ip.purmerend_vpn.id
    private_ip_address_allocation = "Dynamic"
    subnet_id                     = azurerm_subnet.purmerend_gateway.id
  }
}

resource "azurerm_public_ip" "purmerend_vm" {
  name                = "pip-vm-purmerend-test-app01"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = merge(local.tags, { municipality = "purmerend" })
}

# VIOLATION topology.public_ip: a public IP on a NIC in a spoke.
resource "azurerm_network_interface" "purmerend_vm" {
  name                = "nic-vm-purmerend-test-app01"
  location            = var.location
  resource_group_name = azurerm_resource_group.purmerend.name
  tags                = merge(local.tags, { municipality = "purmerend" })

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.purmerend_legacy.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.purmerend_vm.id
  }
}
