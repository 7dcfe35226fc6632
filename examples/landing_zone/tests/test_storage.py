"""Storage accounts: private, TLS 1.2, no shared keys, encrypted with our own key."""

import pytest


@pytest.mark.resources("azurerm_storage_account")
def test_storage_is_private(resource):
    assert resource.values["public_network_access_enabled"] is False
    assert resource.values["allow_nested_items_to_be_public"] is False


@pytest.mark.resources("azurerm_storage_account")
def test_storage_requires_tls12_and_entra_id(resource):
    assert resource.values["min_tls_version"] == "TLS1_2"
    assert resource.values["https_traffic_only_enabled"] is True
    assert resource.values["shared_access_key_enabled"] is False


@pytest.mark.resources("azurerm_storage_account")
def test_storage_has_infrastructure_encryption(resource):
    assert resource.values["infrastructure_encryption_enabled"] is True


@pytest.mark.environment("prod")
@pytest.mark.resources("azurerm_storage_account")
def test_prod_storage_is_zone_redundant(resource):
    assert resource.values["account_replication_type"] in ("ZRS", "GZRS", "RAGZRS")


@pytest.mark.resources("azurerm_storage_account")
def test_storage_has_a_managed_identity_for_its_key(resource):
    (identity,) = resource.values["identity"]
    assert identity["type"] == "UserAssigned"
