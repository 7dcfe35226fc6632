"""Virtual machines: no public exposure, encrypted disks with our own keys."""

import pytest

from pytest_cloudcheck import UNKNOWN


@pytest.mark.resources("azurerm_network_interface")
def test_nic_has_no_public_ip(resource):
    for ipconf in resource.values["ip_configuration"]:
        assert ipconf.get("public_ip_address_id") in (None, "")


@pytest.mark.resources("azurerm_public_ip")
def test_public_ips_only_in_the_hub(resource):
    assert resource.values["resource_group_name"] == "rg-hub-connectivity-weu"


@pytest.mark.resources("azurerm_linux_virtual_machine")
def test_vm_hardening(resource):
    v = resource.values
    assert v["encryption_at_host_enabled"] is True
    assert v["secure_boot_enabled"] is True
    assert v["disable_password_authentication"] is True


@pytest.mark.resources("azurerm_linux_virtual_machine")
def test_os_disk_uses_a_disk_encryption_set(resource):
    (os_disk,) = resource.values["os_disk"]
    # the encryption set is created in the same plan: its id is known only after apply
    des = os_disk.get("disk_encryption_set_id")
    assert des is UNKNOWN or des


@pytest.mark.resources("azurerm_managed_disk")
def test_data_disk_uses_a_disk_encryption_set_and_no_network_access(resource):
    des = resource.values.get("disk_encryption_set_id")
    assert des is UNKNOWN or des
    assert resource.values["network_access_policy"] == "DenyAll"


@pytest.mark.resources("azurerm_disk_encryption_set")
def test_disk_encryption_set_rotates_with_the_key(resource):
    assert resource.values["auto_key_rotation_enabled"] is True
    assert resource.values["encryption_type"] == "EncryptionAtRestWithCustomerKey"


def test_no_vm_backups_or_snapshots(cloud):
    """We rebuild infrastructure from code; we back up data, not machines."""
    assert not cloud.resources("azurerm_backup_protected_vm", "azurerm_snapshot", "azurerm_site_recovery_replicated_vm")
