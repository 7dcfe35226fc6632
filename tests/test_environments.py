"""Environment classification: tags, names, subscription map, resource-group and parent inheritance,
the shared platform, unclassified resources, the `environment` marker and the terminal summary."""

from __future__ import annotations

import ipaddress

import pytest
from planbuilder import PlanBuilder, arm_id

from pytest_cloudcheck import checks
from pytest_cloudcheck.environments import EnvironmentRules, environment_of_id, parse_ip_plan
from pytest_cloudcheck.errors import ConfigurationError
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

PROD_SUB = "11111111-1111-1111-1111-111111111111"
TEST_SUB = "22222222-2222-2222-2222-222222222222"


def load(tmp_path, *plans: PlanBuilder, **extra):
    paths = [p.write(tmp_path / f"plan{i}.json") for i, p in enumerate(plans)]
    return build_inventory(Settings(plan=paths, extra=extra))


def envs(inventory):
    return {r.address: r.environment for r in inventory}


TAG_CASES = {"prod": "prod", "P": "prod", "Production": "prod", "prd": "prod", "o": "nonprod", "T": "nonprod"}
TAG_CASES |= {"acc": "nonprod", "Acceptance": "nonprod", "dev": "nonprod", "tst": "nonprod", "staging": None}


@pytest.mark.parametrize(("value", "expected"), TAG_CASES.items())
def test_tag_values_cover_otap_case_insensitively(tmp_path, plan, value, expected):
    plan.resource("azurerm_storage_account.a", {"name": "sta", "tags": {"Environment": value}}, unknown=["id"])
    assert load(tmp_path, plan).get("azurerm_storage_account.a").environment == expected


def test_tag_key_and_values_are_configurable(tmp_path, plan):
    plan.resource("azurerm_storage_account.a", {"name": "sta", "tags": {"omgeving": "productie"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.b", {"name": "stb", "tags": {"omgeving": "proef"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.c", {"name": "stc", "tags": {"environment": "prod"}}, unknown=["id"])
    inventory = load(
        tmp_path, plan, environment_tag="omgeving", prod_values=["productie"], nonprod_values=["proef ontwikkel"]
    )
    assert envs(inventory) == {
        "azurerm_storage_account.a": "prod",
        "azurerm_storage_account.b": "nonprod",
        "azurerm_storage_account.c": None,
    }


def test_naming_convention_with_named_group(tmp_path, plan):
    plan.resource("azurerm_storage_account.a", {"name": "st-zaanstad-prd-01"}, unknown=["id"])
    plan.resource("azurerm_storage_account.b", {"name": "st-zaanstad-tst-01"}, unknown=["id"])
    plan.resource("azurerm_storage_account.c", {"name": "st-zaanstad-xyz-01"}, unknown=["id"])
    inventory = load(tmp_path, plan, name_pattern=[r"^st-[a-z]+-(?P<env>[a-z]+)-\d+$"])
    assert envs(inventory) == {
        "azurerm_storage_account.a": "prod",
        "azurerm_storage_account.b": "nonprod",
        "azurerm_storage_account.c": None,
    }


def test_subscription_map_beats_the_tag(tmp_path):
    prod = PlanBuilder().provider(PROD_SUB)
    prod.resource("azurerm_storage_account.a", {"name": "sta", "tags": {"environment": "test"}}, unknown=["id"])
    test = PlanBuilder().provider(subscription_var="sub").variable("sub", TEST_SUB)
    test.resource("azurerm_storage_account.b", {"name": "stb"}, unknown=["id"])
    known = PlanBuilder()
    known.resource(
        "azurerm_storage_account.c",
        {"name": "stc", "id": arm_id(PROD_SUB, "rg", "Microsoft.Storage/storageAccounts", "stc")},
    )
    inventory = load(tmp_path, prod, test, known, subscriptions=[f"{PROD_SUB} = prod", f"{TEST_SUB.upper()} = tst"])
    assert envs(inventory) == {
        "azurerm_storage_account.a": "prod",
        "azurerm_storage_account.b": "nonprod",
        "azurerm_storage_account.c": "prod",
    }


def test_resources_inherit_their_resource_group(tmp_path, plan):
    plan.resource("azurerm_resource_group.p", {"name": "rg-p", "tags": {"environment": "prod"}}, unknown=["id"])
    plan.resource("azurerm_resource_group.t", {"name": "rg-t", "tags": {"environment": "test"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.by_name", {"name": "sta", "resource_group_name": "rg-p"}, unknown=["id"])
    plan.resource(
        "azurerm_storage_account.by_ref",
        {"name": "stb"},
        unknown=["id", "resource_group_name"],
        refs={"resource_group_name": ["azurerm_resource_group.t.name", "azurerm_resource_group.t"]},
    )
    plan.resource(
        "azurerm_storage_account.own_tag_wins",
        {"name": "stc", "resource_group_name": "rg-p", "tags": {"environment": "dev"}},
        unknown=["id"],
    )
    plan.resource("azurerm_storage_account.nowhere", {"name": "std", "resource_group_name": "rg-x"}, unknown=["id"])
    inventory = load(tmp_path, plan)
    assert envs(inventory) == {
        "azurerm_resource_group.p": "prod",
        "azurerm_resource_group.t": "nonprod",
        "azurerm_storage_account.by_name": "prod",
        "azurerm_storage_account.by_ref": "nonprod",
        "azurerm_storage_account.own_tag_wins": "nonprod",
        "azurerm_storage_account.nowhere": None,
    }


def test_resource_group_in_another_plan_file(tmp_path):
    hub = PlanBuilder().provider(PROD_SUB)
    hub.resource("azurerm_resource_group.p", {"name": "rg-p", "tags": {"environment": "prod"}}, unknown=["id"])
    spoke = PlanBuilder().provider(PROD_SUB)
    spoke.resource("azurerm_storage_account.a", {"name": "sta", "resource_group_name": "rg-p"}, unknown=["id"])
    assert load(tmp_path, hub, spoke).get("azurerm_storage_account.a").environment == "prod"


def test_children_and_extensions_inherit_their_parent(tmp_path, plan):
    plan.resource(
        "azurerm_key_vault.kv",
        {"name": "kv", "resource_group_name": "rg", "tags": {"environment": "p"}},
        unknown=["id"],
    )
    plan.resource(
        "azurerm_monitor_diagnostic_setting.kv",
        {"name": "diag"},
        unknown=["id", "target_resource_id"],
        refs={"target_resource_id": ["azurerm_key_vault.kv.id", "azurerm_key_vault.kv"]},
    )
    plan.resource(
        "azurerm_role_assignment.on_prod_group",
        {"scope": f"/subscriptions/{PROD_SUB}/resourceGroups/rg-elsewhere", "role_definition_name": "Reader"},
        unknown=["id"],
    )
    inventory = load(tmp_path, plan, subscriptions=[f"{PROD_SUB} = prod"])
    assert inventory.get("azurerm_monitor_diagnostic_setting.kv").environment == "prod"
    assert inventory.get("azurerm_role_assignment.on_prod_group").environment == "prod"


def test_shared_platform_is_neither_prod_nor_nonprod(tmp_path, plan):
    plan.resource(
        "azurerm_virtual_network.hub",
        {"name": "vnet-hub", "resource_group_name": "rg-hub-connectivity", "tags": {"environment": "prod"}},
        unknown=["id"],
    )
    plan.resource("azurerm_virtual_network.spoke", {"name": "vnet-a", "tags": {"environment": "prod"}}, unknown=["id"])
    assert envs(load(tmp_path, plan))["azurerm_virtual_network.hub"] == "prod"  # not configured: the tag
    plan.resource(
        "azurerm_key_vault.hub", {"name": "kv-hub", "resource_group_name": "rg-hub-connectivity"}, unknown=["id"]
    )
    plan.resource(
        "azurerm_key_vault_key.hub",
        {"name": "cmk", "tags": {"environment": "prod"}},
        unknown=["id", "key_vault_id"],
        refs={"key_vault_id": ["azurerm_key_vault.hub.id", "azurerm_key_vault.hub"]},
    )
    inventory = load(tmp_path, plan, shared=["^rg-hub-"])
    assert envs(inventory) == {
        "azurerm_virtual_network.hub": "shared",
        "azurerm_virtual_network.spoke": "prod",
        "azurerm_key_vault.hub": "shared",
        "azurerm_key_vault_key.hub": "shared",  # a child of the shared platform, whatever its tag says
    }


def test_unclassified_is_never_guessed_and_listed(tmp_path, plan):
    plan.resource("azurerm_storage_account.a", {"name": "sta", "tags": {"environment": "prod"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.b", {"name": "stb", "tags": {"owner": "x"}}, unknown=["id"])
    plan.resource("random_password.p", {"length": 20}, unknown=["result"])
    inventory = load(tmp_path, plan)
    assert inventory.get("azurerm_storage_account.b").environment is None
    findings = checks.unclassified(inventory)
    assert [(f.check, f.address, f.kind) for f in findings] == [
        ("environment.unclassified", "azurerm_storage_account.b", "not_assessed")
    ]
    assert "has no environment" in findings[0].message and "cloudcheck_subscriptions" in findings[0].message
    assert "unclassified" not in checks.ALL


def test_environment_of_an_id_outside_the_inventory(tmp_path, plan):
    plan.resource("azurerm_resource_group.t", {"name": "rg-t", "tags": {"environment": "test"}}, unknown=["id"])
    inventory = load(tmp_path, plan, subscriptions=[f"{PROD_SUB} = prod"])
    outside = arm_id(PROD_SUB, "rg-x", "Microsoft.Network/virtualNetworks", "v")
    assert environment_of_id(inventory, outside) == "prod"
    in_test_group = arm_id(TEST_SUB, "rg-t", "Microsoft.Network/virtualNetworks", "v")
    assert environment_of_id(inventory, in_test_group) == "nonprod"
    assert environment_of_id(inventory, arm_id(TEST_SUB, "rg-y", "Microsoft.Network/virtualNetworks", "v")) is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"name_pattern": ["-(prd|tst)-"]}, "named group `env`"),
        ({"name_pattern": ["(?P<env>"]}, "not a regular expression"),
        ({"subscriptions": ["abc prod"]}, "is not `<subscription id> = prod|nonprod|shared`"),
        ({"subscriptions": ["abc = staging"]}, "is not `<subscription id>"),
        ({"prod_values": ["p"], "nonprod_values": ["p t"]}, "both hold p"),
    ],
)
def test_bad_settings_are_usage_errors(settings, message):
    with pytest.raises(ConfigurationError, match=message.replace("|", r"\|").replace("(", r"\(")):
        EnvironmentRules.from_settings(Settings(extra=settings))


def test_ip_plan_lines():
    plan = parse_ip_plan(["prod = 10.1.0.0/16 10.3.0.0/16", "test = 10.2.0.0/16", "10.0.0.0/8", "# comment"])
    net = ipaddress.ip_network
    assert plan == {
        "prod": [net("10.1.0.0/16"), net("10.3.0.0/16")],
        "nonprod": [net("10.2.0.0/16")],
        None: [net("10.0.0.0/8")],
    }
    with pytest.raises(ConfigurationError, match="not an environment"):
        parse_ip_plan(["staging = 10.9.0.0/16"])
    with pytest.raises(ConfigurationError, match="not a CIDR range"):
        parse_ip_plan(["prod = 10.1.0.0/33"])


def _marker_plan(plan: PlanBuilder) -> PlanBuilder:
    plan.resource(
        "azurerm_virtual_network.hub",
        {"name": "vnet-hub", "resource_group_name": "rg-hub", "tags": {"environment": "prod"}},
        unknown=["id"],
    )
    plan.resource("azurerm_virtual_network.a", {"name": "vnet-a", "tags": {"environment": "prod"}}, unknown=["id"])
    plan.resource("azurerm_virtual_network.b", {"name": "vnet-b", "tags": {"environment": "test"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.c", {"name": "stc"}, unknown=["id"])
    return plan


def test_environment_marker_and_summary(pytester, plan):
    _marker_plan(plan).write(pytester.path / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\ncloudcheck_shared = ^rg-hub$\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.environment("shared")
        def test_shared(cloud):
            assert [r.address for r in cloud] == ["azurerm_virtual_network.hub"]

        @pytest.mark.environment("prod")
        @pytest.mark.resources("azurerm_virtual_network")
        def test_prod(resource):
            assert resource.environment == "prod"

        @pytest.mark.resources("azurerm_virtual_network", env="nonprod")
        def test_nonprod(resource):
            assert resource.address == "azurerm_virtual_network.b"
        """
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*test_prod?azurerm_virtual_network.a? PASSED*",
            "cloudcheck environments: 1 prod, 1 nonprod, 1 shared; 1 unclassified",
            "  unclassified: azurerm_storage_account.c",
        ]
    )


def test_shared_marker_needs_configuration(pytester, plan):
    _marker_plan(plan).write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.environment("shared")
        def test_shared(cloud):
            pass
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(['*environment "shared" needs cloudcheck_shared*'])


def test_a_tag_value_not_configured_is_named_with_the_configured_values(pytester, plan):
    """`environment = "staging"` is not "no environment": the finding names the value, the
    configured values and the closest one; the terminal names the values it ignored."""
    plan.resource(
        "azurerm_storage_account.staging", {"name": "sts", "tags": {"environment": "staging"}}, unknown=["id"]
    )
    plan.resource("azurerm_storage_account.typo", {"name": "stt", "tags": {"Environment": "Prdo"}}, unknown=["id"])
    plan.resource("azurerm_resource_group.rg", {"name": "rg-app", "tags": {"environment": "stage"}}, unknown=["id"])
    plan.resource("azurerm_storage_account.in_rg", {"name": "sti", "resource_group_name": "rg-app"}, unknown=["id"])
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest
        from pytest_cloudcheck import checks

        def test_environments(cloud):
            assert not checks.unclassified(cloud)

        @pytest.mark.environment("nonprod")
        def test_nonprod(cloud):
            pass
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "-rs")
    result.assert_outcomes(failed=1, skipped=1)
    configured = "prod: p, prd, prod, production; nonprod: a, acc, acceptance, dev, nonprod, o, t, test, tst"
    result.stdout.fnmatch_lines(
        [
            "4 finding(s):",
            "  azurerm_resource_group.rg: azurerm_resource_group has no environment: its `environment` tag is 'stage',"
            f" none of the configured values ({configured}); use one of them or add 'stage' to"
            " cloudcheck_prod_values or cloudcheck_nonprod_values [environment.unclassified] (plan.json)",
            "  azurerm_storage_account.in_rg: azurerm_storage_account has no environment: the `environment` tag of its"
            " resource group azurerm_resource_group.rg is 'stage', none of the configured values*",
            "  azurerm_storage_account.staging: azurerm_storage_account has no environment: its `environment` tag is"
            " 'staging', none of the configured values*add 'staging' to cloudcheck_prod_values*",
            "  azurerm_storage_account.typo: azurerm_storage_account has no environment: its `environment` tag is"
            f" 'Prdo', none of the configured values ({configured}); did you mean 'prd'? Otherwise use one of them"
            " or add 'prdo' to cloudcheck_prod_values or cloudcheck_nonprod_values"
            " [environment.unclassified] (plan.json)",
        ]
    )
    assert "no subscription mapping" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]1[]] *: no resources classified as nonprod in the inventory (4 unclassified;"
            " tag values not configured: 'Prdo', 'stage', 'staging')"
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "cloudcheck environments: none classified; 4 unclassified",
            "  `environment` tag values not configured (ignored): 'Prdo' (1), 'stage' (1), 'staging' (1);"
            f" configured: {configured}",
        ]
    )
