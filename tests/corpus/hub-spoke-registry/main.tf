# Hub and spokes from registry modules (AVM-style pattern module + resource modules), as installed
# by `terraform init` under .terraform/modules.
locals {
  location = "westeurope"
  spokes = {
    payments = { cidr = "10.1.0.0/22", peer = true, subnets = { app = { nsg = false }, data = { nsg = true } } }
    identity = { cidr = "10.2.0.0/22", peer = true, subnets = { dc = { nsg = true } } }
    legacy   = { cidr = "10.3.0.0/22", peer = false, subnets = {} }
  }
  tags = { environment = "prod", owner = "platform" }
}

resource "azurerm_resource_group" "net" {
  name     = "rg-network-prod"
  location = local.location
  tags     = local.tags
}

module "hub" {
  source  = "acme/hubnetworking/azurerm"
  version = "1.2.0"

  resource_group_name = azurerm_resource_group.net.name
  location            = local.location
  tags                = local.tags
  hub_virtual_networks = {
    primary = { name = "vnet-hub", address_space = ["10.0.0.0/22"], firewall = true }
  }
}

module "spoke" {
  source   = "acme/spoke/azurerm"
  version  = "~> 2.0"
  for_each = local.spokes

  name                = "vnet-${each.key}"
  resource_group_name = azurerm_resource_group.net.name
  location            = local.location
  address_space       = [each.value.cidr]
  subnets             = each.value.subnets
  peer_with_hub       = each.value.peer
  hub_vnet_id         = module.hub.virtual_networks["primary"].id
  firewall_ip         = module.hub.firewall_private_ip
  tags                = merge(local.tags, { spoke = each.key })
}
