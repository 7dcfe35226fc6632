# AVM style network in azapi: NSGs and subnets as azapi_resource bodies, the NSG id known only
# after apply; one subnet left without an NSG.
locals {
  rg_id = provider::azapi::resource_group_resource_id("00000000-0000-0000-0000-000000000000", "rg-net-prod")
  subnets = {
    app  = { prefix = "10.50.0.0/24", nsg = true }
    data = { prefix = "10.50.1.0/24", nsg = true }
    mgmt = { prefix = "10.50.2.0/24", nsg = false }
  }
}

resource "azapi_resource" "vnet" {
  type      = "Microsoft.Network/virtualNetworks@2024-05-01"
  name      = "vnet-app-prod"
  parent_id = local.rg_id
  location  = "westeurope"
  tags      = { environment = "prod" }
  body = {
    properties = { addressSpace = { addressPrefixes = ["10.50.0.0/16"] } }
  }
}

resource "azapi_resource" "nsg" {
  for_each  = { for k, v in local.subnets : k => v if v.nsg }
  type      = "Microsoft.Network/networkSecurityGroups@2024-05-01"
  name      = "nsg-${each.key}"
  parent_id = local.rg_id
  location  = "westeurope"
  tags      = { environment = "prod" }
  body = {
    properties = {
      securityRules = [{
        name = "deny-internet-in"
        properties = {
          access                   = "Deny"
          direction                = "Inbound"
          priority                 = 4000
          protocol                 = "*"
          sourceAddressPrefix      = "Internet"
          sourcePortRange          = "*"
          destinationAddressPrefix = "*"
          destinationPortRange     = "*"
        }
      }]
    }
  }
}

resource "azapi_resource" "subnet" {
  for_each  = local.subnets
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-${each.key}"
  parent_id = azapi_resource.vnet.id
  body = {
    properties = merge(
      { addressPrefix = each.value.prefix },
      each.value.nsg ? { networkSecurityGroup = { id = azapi_resource.nsg[each.key].id } } : {},
    )
  }
}
