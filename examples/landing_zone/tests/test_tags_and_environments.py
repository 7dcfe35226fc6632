"""Tags drive cost allocation and the prod / nonprod classification."""

import pytest

TAGGABLE = (
    "azurerm_resource_group",
    "azurerm_virtual_network",
    "azurerm_key_vault",
    "azurerm_key_vault_key",
    "azurerm_storage_account",
    "azurerm_linux_virtual_machine",
    "azurerm_managed_disk",
    "azurerm_mssql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_log_analytics_workspace",
    "azurerm_network_security_group",
    "azurerm_route_table",
)


@pytest.mark.resources(*TAGGABLE)
def test_resource_is_tagged(resource):
    assert resource.tags.get("environment") in ("prod", "test")
    assert resource.tags.get("municipality")


@pytest.mark.resources(*TAGGABLE)
def test_resource_is_classified(resource):
    assert resource.environment in ("prod", "nonprod", "shared")  # shared: the hub (cloudcheck_shared)


def test_both_municipalities_have_a_spoke_in_both_environments(cloud):
    spokes = {
        (v.tags["municipality"], v.environment)
        for v in cloud.resources("azurerm_virtual_network")
        if v.tags.get("role") != "hub"
    }
    assert spokes == {(m, e) for m in ("zaanstad", "almere") for e in ("prod", "nonprod")}


@pytest.mark.environment("nonprod")
def test_nonprod_sees_only_nonprod(cloud):
    assert cloud.resources("azurerm_resource_group")
    assert {r.environment for r in cloud.resources("azurerm_resource_group")} == {"nonprod"}
