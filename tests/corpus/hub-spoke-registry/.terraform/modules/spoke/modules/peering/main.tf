variable "name" { type = string }
variable "spoke_vnet_id" { type = string }
variable "hub_vnet_id" { type = string }

resource "azapi_resource" "spoke_to_hub" {
  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01"
  name      = "peer-${var.name}-to-hub"
  parent_id = var.spoke_vnet_id
  body = {
    properties = {
      remoteVirtualNetwork      = { id = var.hub_vnet_id }
      allowVirtualNetworkAccess = true
      allowForwardedTraffic     = true
      allowGatewayTransit       = false
      useRemoteGateways         = false
    }
  }
}

resource "azapi_resource" "hub_to_spoke" {
  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01"
  name      = "peer-hub-to-${var.name}"
  parent_id = var.hub_vnet_id
  body = {
    properties = {
      remoteVirtualNetwork      = { id = var.spoke_vnet_id }
      allowVirtualNetworkAccess = true
      allowForwardedTraffic     = true
      allowGatewayTransit       = false
      useRemoteGateways         = false
    }
  }
}
