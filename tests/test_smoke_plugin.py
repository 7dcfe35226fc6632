"""The plugin as users run it: a plan, the fixtures, the markers."""

from __future__ import annotations

from planbuilder import PlanBuilder


def _landing(plan: PlanBuilder) -> PlanBuilder:
    plan.resource(
        "azurerm_resource_group.rg",
        {"name": "rg", "location": "westeurope", "tags": {"environment": "prod"}},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_storage_account.a",
        {"name": "sta", "tags": {"environment": "prod"}, "public_network_access_enabled": False},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_storage_account.b",
        {"name": "stb", "tags": {"environment": "test"}, "public_network_access_enabled": True},
        unknown=["id"],
    )
    return plan


def test_resources_marker_parametrises_by_address(pytester, plan):
    _landing(plan).write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_storage_account")
        def test_private(resource):
            assert resource.values["public_network_access_enabled"] is False
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_private?azurerm_storage_account.a? PASSED*", "*test_private?azurerm_storage_account.b? FAILED*"]
    )
    result.stdout.fnmatch_lines(["cloudcheck: plan plan.json: 3 resources"])
