"""Attacks on where pytest takes its rootdir and ini file: never from the folder of an input.

`ATTACKS` counts the attacks (the note of issue 12 quotes it).
"""

from __future__ import annotations

import pytest
from planbuilder import PlanBuilder

TEST = """
def test_storage_is_private(cloud):
    for r in cloud.resources("azurerm_storage_account"):
        assert r.values["public_network_access_enabled"] is False, f"{r.address} is public"
"""


@pytest.fixture
def planted(pytester: pytest.Pytester) -> pytest.Pytester:
    """A public storage account's plan in sub/, beside a pytest.ini that switches to audit mode."""
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "public_network_access_enabled": True})
    (pytester.path / "sub").mkdir()
    plan.write(pytester.path / "sub" / "plan.json")
    (pytester.path / "sub" / "pytest.ini").write_text("[pytest]\ncloudcheck_mode = audit\n", encoding="utf-8")
    pytester.makepyfile(test_infra=TEST)
    return pytester


def test_an_ini_beside_a_plan_given_after_a_space_does_not_switch_the_run(planted: pytest.Pytester) -> None:
    result = planted.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "sub/plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = [line for line in result.stderr.lines if "cloudcheck" in line]
    assert line == (
        f"ERROR: cloudcheck: pytest took its ini file {planted.path / 'sub' / 'pytest.ini'} from the folder of "
        "`--cloudcheck-plan sub/plan.json` (before the plugin loads, pytest reads an option's value written "
        "after a space as a test path); write `--cloudcheck-plan=sub/plan.json`"
    )
    assert "AUDIT" not in result.stdout.str() and "passed" not in result.stdout.str()


def test_an_hcl_folder_given_after_a_space_is_refused_too(planted: pytest.Pytester) -> None:
    (planted.path / "sub" / "main.tf").write_text('resource "azurerm_resource_group" "rg" {}\n', encoding="utf-8")
    result = planted.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl", "sub")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: cloudcheck: pytest took its ini file *; write `--cloudcheck-hcl=sub`"])


def test_with_an_equals_sign_the_ini_beside_the_plan_is_not_read(planted: pytest.Pytester) -> None:
    result = planted.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan=sub/plan.json")
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # deny mode: the public account fails
    result.assert_outcomes(failed=1)
    assert result.stdout.str().count("sub/pytest.ini") == 0


def test_the_run_ini_still_applies_when_the_plan_sits_in_its_folder(pytester: pytest.Pytester) -> None:
    """A plan beside the project's own ini, written after a space: the same rootdir either way."""
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "public_network_access_enabled": True})
    plan.write(pytester.path / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_mode = audit\n")
    pytester.makepyfile(test_infra=TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plan.json")
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes() == {"audit": 1}


def test_a_pyproject_beside_a_plan_is_refused_too(pytester: pytest.Pytester) -> None:
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "public_network_access_enabled": True})
    (pytester.path / "plans").mkdir()
    plan.write(pytester.path / "plans" / "plan.json")
    (pytester.path / "plans" / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ncloudcheck_mode = "audit"\n', encoding="utf-8"
    )
    pytester.makepyfile(test_infra=TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plans/plan.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: cloudcheck: pytest took its ini file *pyproject.toml from the folder of `--cloudcheck-plan plans/*"]
    )


def test_a_plan_folder_without_configuration_runs_as_written(pytester: pytest.Pytester) -> None:
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "public_network_access_enabled": True})
    (pytester.path / "plans").mkdir()
    plan.write(pytester.path / "plans" / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_mode = audit\n")
    pytester.makepyfile(test_infra=TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", "plans/plan.json")
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes() == {"audit": 1}


def test_a_plan_elsewhere_after_a_space_does_not_drop_the_project_ini(
    pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """pytest would root the run above the plan and read no ini at all: the project's audit mode,
    waivers and settings silently gone."""
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st", "public_network_access_enabled": True})
    elsewhere = plan.write(tmp_path_factory.mktemp("elsewhere") / "plan.json")
    pytester.makeini("[pytest]\ncloudcheck_mode = audit\n")
    pytester.makepyfile(test_infra=TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", str(elsewhere))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = [line for line in result.stderr.lines if "cloudcheck" in line]
    assert line == (
        f"ERROR: cloudcheck: pytest read no ini file (not the project's {pytester.path / 'tox.ini'}) because of "
        f"`--cloudcheck-plan {elsewhere}` (before the plugin loads, pytest reads an option's value written after a "
        f"space as a test path); write `--cloudcheck-plan={elsewhere}`"
    )
    result = pytester.runpytest("-p", "no:cacheprovider", f"--cloudcheck-plan={elsewhere}")
    assert result.ret == pytest.ExitCode.OK and result.parseoutcomes() == {"audit": 1}


#: attacks in this module
ATTACKS = 7
