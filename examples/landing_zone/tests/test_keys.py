"""Key Vaults and the customer-managed keys in them."""

import pytest


@pytest.mark.resources("azurerm_key_vault")
def test_key_vault_cannot_be_purged(resource):
    assert resource.values["purge_protection_enabled"] is True
    assert resource.values["soft_delete_retention_days"] >= 7


@pytest.mark.resources("azurerm_key_vault")
def test_key_vault_is_private_and_uses_rbac(resource):
    assert resource.values["public_network_access_enabled"] is False
    assert resource.values["rbac_authorization_enabled"] is True
    assert resource.values["network_acls"][0]["default_action"] == "Deny"


@pytest.mark.resources("azurerm_key_vault_key")
def test_key_is_hsm_backed_and_large_enough(resource):
    assert resource.values["key_type"] == "RSA-HSM"
    assert resource.values["key_size"] >= 3072


@pytest.mark.resources("azurerm_key_vault_key")
def test_key_rotates_and_expires(resource):
    assert resource.values["expiration_date"]
    (policy,) = resource.values["rotation_policy"]
    assert policy["expire_after"]
    assert policy["automatic"], "rotation must be automatic"


@pytest.mark.resources("azurerm_key_vault_key")
def test_key_only_wraps(resource):
    assert sorted(resource.values["key_opts"]) == ["unwrapKey", "wrapKey"]
