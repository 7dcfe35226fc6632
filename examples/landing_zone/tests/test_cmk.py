"""Customer-managed keys, as a squad writes it: the fact per resource, and the whole rule at once."""

import pytest

from pytest_cloudcheck import checks

DATA_STORES = (
    "azurerm_storage_account",
    "azurerm_managed_disk",
    "azurerm_linux_virtual_machine",
    "azurerm_mssql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_log_analytics_workspace",
)


@pytest.mark.resources(*DATA_STORES)
def test_encrypted_with_our_own_key(resource):
    # True, False, or None when the key is unknown at plan time: only True passes
    assert resource.encryption.customer_managed is True, resource.encryption.how
    assert resource.encryption.key, "the key must be a resource we can inspect"


@pytest.mark.resources("azurerm_storage_account")
def test_storage_key_is_an_hsm_key_of_the_same_environment(resource, cloud):
    key = cloud.get(resource.encryption.key)
    assert key is not None and key.values["key_type"] == "RSA-HSM"
    assert key.environment == resource.environment


def test_cmk_everywhere(cloud):
    """The ready-made rule: every data store and every key (purge protection, rotation, expiry, size)."""
    assert not checks.cmk(cloud)
