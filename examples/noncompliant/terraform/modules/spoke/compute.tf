resource "azurerm_disk_encryption_set" "spoke" {
  name                      = "des-${local.suffix}"
  location                  = var.location
  resource_group_name       = azurerm_resource_group.spoke.name
  key_vault_key_id          = azurerm_key_vault_key.cmk["disk"].versionless_id
  auto_key_rotation_enabled = true
  encryption_type           = "EncryptionAtRestWithCustomerKey"
  tags                      = var.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_network_interface" "app" {
  name                = "nic-vm-${var.name}-${var.environment}-app01"
  location            = var.location
  resource_group_name = azurerm_resource_group.spoke.name
  tags                = var.tags

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.spoke["snet-app"].id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "app" {
  name                       = "vm-${var.name}-${var.environment}-app01"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.spoke.name
  size                       = var.vm_size
  admin_username             = "azureadmin"
  network_interface_ids      = [azurerm_network_interface.app.id]
  encryption_at_host_enabled = true
  secure_boot_enabled        = true
  vtpm_enabled               = true
  zone                       = "1"
  tags                       = var.tags

  admin_ssh_key {
    username   = "azureadmin"
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching                = "ReadWrite"
    storage_account_type   = var.environment == "prod" ? "Premium_LRS" : "StandardSSD_LRS"
    disk_encryption_set_id = azurerm_disk_encryption_set.spoke.id
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  boot_diagnostics {
  }
}

resource "azurerm_managed_disk" "app_data" {
  name                          = "disk-vm-${var.name}-${var.environment}-app01-data"
  location                      = var.location
  resource_group_name           = azurerm_resource_group.spoke.name
  storage_account_type          = "Premium_LRS"
  create_option                 = "Empty"
  disk_size_gb                  = 128
  zone                          = "1"
  disk_encryption_set_id        = azurerm_disk_encryption_set.spoke.id
  network_access_policy         = "DenyAll"
  public_network_access_enabled = false
  tags                          = var.tags
}

resource "azurerm_virtual_machine_data_disk_attachment" "app_data" {
  managed_disk_id    = azurerm_managed_disk.app_data.id
  virtual_machine_id = azurerm_linux_virtual_machine.app.id
  lun                = 0
  caching            = "ReadOnly"
}
