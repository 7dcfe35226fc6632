output "vnet_id" {
  value = azurerm_virtual_network.spoke.id
}

output "vnet_name" {
  value = azurerm_virtual_network.spoke.name
}

output "resource_group_name" {
  value = azurerm_resource_group.spoke.name
}

output "key_vault_id" {
  value = azurerm_key_vault.spoke.id
}

output "vm_id" {
  value = azurerm_linux_virtual_machine.app.id
}

output "data_disk_id" {
  value = azurerm_managed_disk.app_data.id
}

output "pe_subnet_id" {
  value = azurerm_subnet.spoke["snet-pe"].id
}

output "cmk_identity_id" {
  value = azurerm_user_assigned_identity.cmk.id
}

output "cmk_identity_principal_id" {
  value = azurerm_user_assigned_identity.cmk.principal_id
}

output "archive_storage_account_id" {
  value = azurerm_storage_account.archive.id
}

output "postgresql_server_id" {
  value = azurerm_postgresql_flexible_server.spoke.id
}
