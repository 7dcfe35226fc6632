"""The pytest surface: options, fixtures, markers, usage errors, as users meet them."""

from __future__ import annotations

import re
import sys

import pytest
from planbuilder import PlanBuilder

from pytest_cloudcheck import UnknownResourceType
from pytest_cloudcheck.azure_types import resolve_types


@pytest.fixture
def landing(pytester) -> PlanBuilder:
    plan = PlanBuilder()
    plan.resource("azurerm_resource_group.prod", {"name": "rg-p", "tags": {"environment": "prod"}})
    plan.resource("azurerm_storage_account.prod", {"name": "stp", "tags": {"environment": "prod"}})
    plan.resource("azurerm_storage_account.test", {"name": "stt", "tags": {"environment": "t"}})
    plan.resource("azurerm_linux_virtual_machine.vm", {"name": "vm", "tags": {"environment": "p"}})
    plan.write(pytester.path / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\n")
    return plan


def _single_error(result) -> str:
    errors = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert len(errors) == 1, result.stderr.str()
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    return errors[0]


# -- types ---------------------------------------------------------------------------------------


def test_arm_and_azurerm_names_give_the_same_resources(pytester, landing):
    pytester.makepyfile(
        """
        def test_same(cloud):
            a = cloud.resources("azurerm_storage_account")
            b = cloud.resources("Microsoft.Storage/storageAccounts")
            assert a == b and [r.name for r in a] == ["stp", "stt"]
            vms = cloud.resources("microsoft.compute/virtualMachines@2024-03-01")
            assert [r.type for r in vms] == ["azurerm_linux_virtual_machine"]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_unknown_type_in_marker_is_a_usage_error_with_a_suggestion(pytester, landing):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_storage_acount")
        def test_x(resource):
            pass
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    line = _single_error(result)
    assert "test_x" in line and "'azurerm_storage_acount'" in line and "did you mean 'azurerm_storage_account'" in line


def test_unknown_type_in_cloud_resources_fails_the_test(pytester, landing):
    pytester.makepyfile(
        """
        def test_x(cloud):
            cloud.resources("Microsoft.Storage/storageAcounts")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*UnknownResourceType*did you mean 'Microsoft.Storage/storageAccounts'*"])


def test_resolve_types_accepts_known_and_present_types():
    assert resolve_types(["azurerm_app_service_plan"]) == {"azurerm_app_service_plan"}  # provider schema
    assert resolve_types(["terraform_data"], extra_known={"terraform_data"}) == {"terraform_data"}
    with pytest.raises(UnknownResourceType):
        resolve_types(["terraform_data"])


# -- markers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ('resources(env="staging")', "give at least one resource type"),
        ('resources("azurerm_storage_account", env="staging")', "environment must be one of prod, nonprod"),
        (
            'resources("azurerm_storage_account", envs="prod")',
            "@pytest.mark.resources(*types, env=None): no argument envs (did you mean env?)",
        ),
        (
            'resources("azurerm_storage_account", environment="prod")',
            "::test_x: @pytest.mark.resources(*types, env=None): no argument environment (did you mean env?)",
        ),
        ('environment("prd")', "environment must be one of prod, nonprod, shared, got 'prd' (did you mean 'prod'?)"),
        ('environment("acc")', "environment must be one of"),
        ('source("cloud")', "source must be one of plan, hcl, live"),
        ("environment()", "::test_x: @pytest.mark.environment(env): needs env"),
        ('environment("prod", "nonprod")', "::test_x: @pytest.mark.environment(env): takes 1 argument(s), got 2"),
    ],
)
def test_bad_marker_arguments_are_usage_errors(pytester, landing, marker, expected):
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.{marker}
        def test_x(cloud):
            pass
        """
    )
    result = pytester.runpytest("--strict-markers")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert expected in _single_error(result)


def test_every_marker_error_is_reported_at_once(pytester, landing):
    """Four marker mistakes in three tests: one usage error listing each, in the marker's own terms
    (never the name of the function that checks it)."""
    pytester.makepyfile(
        test_markers="""
        import pytest

        @pytest.mark.resources("azurerm_storage_account", environment="prod")
        def test_a(resource):
            pass

        @pytest.mark.environment("staging")
        def test_b(cloud):
            pass

        @pytest.mark.source("plans")
        @pytest.mark.control()
        def test_c(cloud):
            pass
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[:5] == [
        "ERROR: 4 usage errors:",
        "  test_markers.py::test_a: @pytest.mark.resources(*types, env=None): no argument environment"
        " (did you mean env?)",
        "  test_markers.py::test_b: environment must be one of prod, nonprod, shared, got 'staging'",
        "  test_markers.py::test_c: source must be one of plan, hcl, live, snapshot, got 'plans'"
        " (did you mean 'plan'?)",
        "  test_markers.py::test_c: @pytest.mark.control(*ids): give at least one control id, e.g."
        " control('BIO U.05.2')",
    ]
    assert "_marker()" not in result.stderr.str() and "Traceback" not in result.stdout.str()


def test_markers_are_registered_for_strict_markers(pytester, landing):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.environment("prod")
        @pytest.mark.source("plan")
        @pytest.mark.resources("azurerm_storage_account")
        def test_x(resource):
            assert resource.environment == "prod"
        """
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.resources(*types, env=None):*", "@pytest.mark.environment(env):*", "@pytest.mark.source(kind):*"]
    )


def test_environment_marker_narrows_cloud_and_resource(pytester, landing):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.environment("prod")
        def test_prod_only(cloud):
            assert sorted(r.name for r in cloud) == ["rg-p", "stp", "vm"]

        @pytest.mark.environment("nonprod")
        @pytest.mark.resources("azurerm_storage_account")
        def test_nonprod(resource):
            assert resource.name == "stt"

        @pytest.mark.resources("azurerm_storage_account", env="prod")
        def test_kwarg(resource):
            assert resource.name == "stp"
        """
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)


def test_environment_without_resources_is_a_visible_skip_not_a_pass(pytester):
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.untagged", {"name": "st"})
    plan.write(pytester.path / "plan.json")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.environment("prod")
        def test_prod(cloud):
            assert not list(cloud)
        """
    )
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no resources classified as prod in the inventory (1 unclassified)*"])


def test_source_marker_skips_when_that_source_is_absent(pytester, landing):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.source("live")
        def test_live(cloud):
            assert False

        @pytest.mark.source("plan")
        def test_plan(cloud):
            assert len(cloud) == 4
        """
    )
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*needs a live source (none configured)*"])


def test_no_matching_resources_is_a_visible_skip(pytester, landing):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_cosmosdb_account")
        def test_cosmos(resource):
            assert False
        """
    )
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no azurerm_cosmosdb_account resources in the inventory*"])


def test_resource_fixture_needs_the_marker(pytester, landing):
    pytester.makepyfile("def test_x(resource):\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "needs @pytest.mark.resources" in _single_error(result)


# -- sources and loading ---------------------------------------------------------------------------


def test_no_source_errors_for_tests_that_use_the_plugin(pytester):
    pytester.makepyfile("def test_x(cloud):\n    assert cloud\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    line = _single_error(result)
    assert "--cloudcheck-plan" in line and "--cloudcheck-hcl" in line and "--cloudcheck-subscription" in line


def test_unrelated_tests_run_without_a_source_and_without_loading(pytester):
    pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "cloudcheck:" not in result.stdout.str()


def test_cli_beats_ini_and_header_counts_resources(pytester, landing):
    other = PlanBuilder()
    other.resource("azurerm_key_vault.kv", {"name": "kv"})
    other.write(pytester.path / "other.json")
    pytester.makepyfile("def test_x(cloud):\n    assert [r.name for r in cloud] == ['kv']\n")
    result = pytester.runpytest("--cloudcheck-plan", "other.json")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["cloudcheck: plan other.json: 1 resources"])


def test_ini_paths_are_relative_to_the_ini_file(pytester, landing):
    sub = pytester.mkdir("sub")
    pytester.makepyfile("def test_x(cloud):\n    assert len(cloud) == 4\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(sub)
        result = pytester.runpytest(str(pytester.path))
    result.assert_outcomes(passed=1)


def test_plugin_import_pulls_in_no_azure_or_hcl(pytester, landing):
    pytester.makepyfile(
        """
        import sys

        def test_modules(cloud):
            heavy = [m for m in sys.modules if m.split(".")[0] in ("azure", "hcl2", "lark")]
            assert heavy == []
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_failing_check_assertion_lists_one_finding_a_line(pytester, landing):
    pytester.makepyfile(
        """
        from pytest_cloudcheck import Finding, Findings

        def fake_check(inventory):
            return Findings(Finding("demo.rule", r.address, "is not compliant; make it so", r.origin)
                            for r in inventory.resources("azurerm_storage_account"))

        def test_demo(cloud):
            assert not fake_check(cloud)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "2 finding(s):",
            "  azurerm_storage_account.prod: is not compliant; make it so [demo.rule] (plan.json)",
            "  azurerm_storage_account.test: is not compliant; make it so [demo.rule] (plan.json)",
            "test: test_failing_check_assertion_lists_one_finding_a_line.py:7",
        ]
    )


def test_test_ids_are_stable_under_xdist(pytester, landing):
    pytest.importorskip("xdist")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.resources("azurerm_storage_account", "azurerm_resource_group", "azurerm_linux_virtual_machine")
        def test_each(resource):
            pass
        """
    )
    plain = pytester.runpytest("-v", "-p", "no:randomly")
    plain.assert_outcomes(passed=4)
    spread = pytester.runpytest_subprocess("-v", "-n", "2")
    spread.assert_outcomes(passed=4)

    def ids(result):
        return sorted(set(re.findall(r"test_each\[[^\]]+\]", result.stdout.str())))

    assert (
        ids(plain)
        == ids(spread)
        == [
            "test_each[azurerm_linux_virtual_machine.vm]",
            "test_each[azurerm_resource_group.prod]",
            "test_each[azurerm_storage_account.prod]",
            "test_each[azurerm_storage_account.test]",
        ]
    )


def test_disable_with_p_no_cloudcheck(pytester):
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest("-p", "no:cloudcheck")
    result.assert_outcomes(passed=1)
    assert sys.modules  # the plugin stayed out of the way
