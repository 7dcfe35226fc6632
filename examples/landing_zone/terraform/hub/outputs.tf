output "hub_vnet_id" {
  description = "Give this to the spokes."
  value       = azurerm_virtual_network.hub.id
}

output "firewall_private_ip" {
  description = "Next hop of the spokes' default route."
  value       = azurerm_firewall.hub.ip_configuration[0].private_ip_address
}
