"""The azapi and azurerm provider functions AVM calls, on the ids their providers' own tests use
(terraform console cannot answer them without downloading the providers)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_cloudcheck.model import UNKNOWN
from pytest_cloudcheck.sources.hcl.eval import evaluate
from pytest_cloudcheck.sources.hcl.functions import EvalError
from pytest_cloudcheck.sources.hcl.parse import parse_text

SUB = "00000000-0000-0000-0000-000000000000"
RG = f"/subscriptions/{SUB}/resourceGroups/rg1"


class NoNames:
    def resolve(self, name: str) -> Any:
        raise EvalError(name)


def value_of(text: str) -> Any:
    return evaluate(parse_text(f"x = {text}\n")["a"]["x"][1], NoNames())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'provider::azapi::build_resource_id("/subscriptions/{SUB}",'
            f' "Microsoft.Resources/resourceGroups@2021-04-01", "myRG")',
            f"/subscriptions/{SUB}/resourceGroups/myRG",
        ),
        (
            f'provider::azapi::build_resource_id("{RG}", "Microsoft.Automation/automationAccounts@2021-06-22", "aa")',
            f"{RG}/providers/Microsoft.Automation/automationAccounts/aa",
        ),
        (
            'provider::azapi::build_resource_id("/", "Microsoft.Billing/billingAccounts@2018-11-01-preview", "inv")',
            "/providers/Microsoft.Billing/billingAccounts/inv",
        ),
        (
            f'provider::azapi::build_resource_id("{RG}/providers/Microsoft.Network/virtualNetworks/vnet1", '
            '"Microsoft.Network/virtualNetworks/subnets@2023-04-01", "snet")',
            f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/snet",
        ),
        (
            f'provider::azapi::resource_group_resource_id("{SUB}",'
            f' "rg1", "Microsoft.Network/virtualNetworks/subnets", ["v", "s"])',
            f"{RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
        ),
        (
            f'provider::azapi::subscription_resource_id("{SUB}", "Microsoft.Resources/resourceGroups", ["rg1"])',
            RG,
        ),
        (
            'provider::azapi::tenant_resource_id("Microsoft.Billing/billingAccounts/billingProfiles@2020-05-01", '
            '["ba1", "bp1"])',
            "/providers/Microsoft.Billing/billingAccounts/ba1/billingProfiles/bp1",
        ),
        (
            'provider::azapi::management_group_resource_id("mg1",'
            ' "Microsoft.Blueprint/blueprints/artifacts", ["bp1", "a1"])',
            "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Blueprint/blueprints/bp1/artifacts/a1",
        ),
        (
            f'provider::azapi::extension_resource_id("{RG}/providers/Microsoft.Compute/virtualMachines/vm", '
            '"Microsoft.Chaos/targets", ["t1"])',
            f"{RG}/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Chaos/targets/t1",
        ),
    ],
)
def test_azapi_builds_resource_ids(text: str, expected: str) -> None:
    assert value_of(text) == expected


def test_azapi_parses_resource_ids() -> None:
    vnet = f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet1"
    assert value_of(
        f'provider::azapi::parse_resource_id("Microsoft.Network/virtualNetworks@2022-07-01", "{vnet}")'
    ) == {
        "id": vnet,
        "type": "Microsoft.Network/virtualNetworks",
        "name": "vnet1",
        "parent_id": RG,
        "resource_group_name": "rg1",
        "resource_group_id": RG,
        "subscription_id": SUB,
        "provider_namespace": "Microsoft.Network",
        "parts": {
            "subscriptions": SUB,
            "resourceGroups": "rg1",
            "providers": "Microsoft.Network",
            "virtualNetworks": "vnet1",
        },
    }
    lock = f"{vnet}/providers/Microsoft.Authorization/locks/mylock"
    parsed = value_of(f'provider::azapi::parse_resource_id("Microsoft.Authorization/locks", "{lock}")')
    assert (parsed["parent_id"], parsed["name"], parsed["provider_namespace"]) == (
        vnet,
        "mylock",
        "Microsoft.Authorization",
    )
    billing = value_of(
        'provider::azapi::parse_resource_id("Microsoft.Billing/billingAccounts",'
        ' "/providers/Microsoft.Billing/billingAccounts/ba1")'
    )
    assert (billing["parent_id"], billing["subscription_id"], billing["resource_group_name"]) == ("/", "", "")
    sub = value_of(f'provider::azapi::parse_resource_id("Microsoft.Resources/subscriptions", "/subscriptions/{SUB}")')
    assert (sub["name"], sub["parent_id"], sub["subscription_id"]) == (SUB, "/", SUB)


@pytest.mark.parametrize(
    "text",
    [
        f'provider::azapi::parse_resource_id("Invalid/ResourceType",'
        f' "{RG}/providers/Microsoft.Network/virtualNetworks/v")',
        'provider::azapi::resource_group_resource_id("", "rg", "Microsoft.Automation/automationAccounts", ["a"])',
        'provider::azapi::tenant_resource_id("Microsoft.Billing/billingAccounts", ["ba1", "bp1"])',
        'provider::azapi::build_resource_id("/subscriptions/x", "Microsoft.Network/virtualNetworks/subnets", "s")',
        'provider::azurerm::parse_resource_id("")',
        'provider::azurerm::parse_resource_id("not-an-id")',
    ],
)
def test_provider_functions_fail_as_the_providers_do(text: str) -> None:
    assert value_of(f"can({text})") is False
    assert value_of(f'try({text}, "fallback")') == "fallback"


def test_azurerm_parses_resource_ids_and_leaves_what_needs_its_registry_unknown() -> None:
    apim = f"{RG}/providers/Microsoft.ApiManagement/service/s1/gateways/g1/hostnameConfigurations/c1"
    parsed = value_of(f'provider::azurerm::parse_resource_id("{apim}")')
    assert parsed["resource_provider"] == "Microsoft.ApiManagement"
    assert parsed["resource_type"] == "hostnameConfigurations"
    assert parsed["resource_name"] == "c1"
    assert parsed["full_resource_type"] == "Microsoft.ApiManagement/service/gateways/hostnameConfigurations"
    assert parsed["parent_resources"] == {"service": "s1", "gateways": "g1"}
    assert parsed["resource_scope"] is UNKNOWN  # not in our type table: scoped or not is azurerm's registry's call
    kv = value_of(f'provider::azurerm::parse_resource_id("{RG}/providers/Microsoft.KeyVault/vaults/kv1")')
    assert (kv["resource_group_name"], kv["subscription_id"], kv["resource_scope"]) == ("rg1", SUB, "")
    event = value_of(
        f'provider::azurerm::parse_resource_id("{RG}/providers/Microsoft.Storage/storageAccounts/st/'
        'providers/Microsoft.EventGrid/eventSubscriptions/e1")'
    )
    assert event["resource_scope"] == f"{RG}/providers/Microsoft.Storage/storageAccounts/st"
    assert event["full_resource_type"] == "Microsoft.EventGrid/eventSubscriptions"


def test_azurerm_normalises_the_casing_of_known_types() -> None:
    messy = f"/SUBSCRIPTIONS/{SUB}/resourcegroups/rg1/providers/microsoft.keyvault/VAULTS/kv1"
    assert (
        value_of(f'provider::azurerm::normalise_resource_id("{messy}")')
        == f"{RG}/providers/Microsoft.KeyVault/vaults/kv1"
    )
    unknown_type = f"{RG}/providers/microsoft.example/things/t1"
    assert value_of(f'provider::azurerm::normalise_resource_id("{unknown_type}")') is UNKNOWN
