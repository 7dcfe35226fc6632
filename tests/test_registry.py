"""The check-family registry is the one list of families: what it says is what the checks do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.baseline import test_baseline as baseline
from pytest_cloudcheck.checks.registry import BY_NAME, FAMILIES, family_of
from pytest_cloudcheck.controls import DEFAULT_CONTROLS, controls_for_check
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Import every family's module now, at collection: a module first imported inside a pytester
# in-process run is dropped from sys.modules after it (pytester's snapshot), and the next import
# makes new function objects, so `checks.<name> is family.function` would depend on test order.
for _family in FAMILIES:
    getattr(checks, _family.name)
ZONES = ("landing_zone", "noncompliant")


@pytest.fixture(scope="module", params=ZONES)
def example_inventory(request: pytest.FixtureRequest):
    return build_inventory(Settings(plan=sorted((EXAMPLES / request.param / "plans").glob("*.json"))))


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_every_id_a_family_produces_is_in_its_row(example_inventory, name: str) -> None:
    family = BY_NAME[name]
    produced = {f.check for f in family.function(example_inventory)}
    assert produced <= set(family.check_ids), f"{name} produced ids its registry row does not list"


def test_the_noncompliant_zone_exercises_every_rule_family() -> None:
    # the test above can only fail if the families produce something
    inventory = build_inventory(Settings(plan=sorted((EXAMPLES / "noncompliant" / "plans").glob("*.json"))))
    for family in FAMILIES:
        if family.rule:
            assert family.function(inventory), family.name


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_a_row_is_consistent(family) -> None:
    assert getattr(checks, family.name) is family.function
    assert family.check_ids and len(set(family.check_ids)) == len(family.check_ids)
    for check in family.check_ids:
        assert family_of(check) is family
        assert controls_for_check(check) == family.controls
    if family.baseline:
        assert callable(getattr(baseline, family.baseline))


def test_checks_all_and_controls_come_from_the_rows() -> None:
    assert list(checks.ALL) == [f.name for f in FAMILIES if f.rule]
    assert set(checks.__all__) == {"ALL", *BY_NAME}
    assert DEFAULT_CONTROLS["cmk"] == ("BIO U.05.2", "BIO U.11.3")
    with pytest.raises(AttributeError, match="no attribute 'cmk_rules'"):
        checks.cmk_rules  # noqa: B018


def test_an_advisory_family_runs_audit_marked_in_the_baseline(pytester: pytest.Pytester) -> None:
    # a row with advisory=True: its baseline test reports findings without failing the run
    pytester.makeconftest(
        """
        from pytest_cloudcheck.baseline import test_baseline
        from pytest_cloudcheck.checks import registry

        row = registry.BY_NAME["no_infra_backups"]._replace(baseline="test_advisory", advisory=True)
        test_advisory = test_baseline._family_test(row)
        """
    )
    pytester.makepyfile(
        test_it="from conftest import test_advisory\n"
        "from pytest_cloudcheck.baseline.test_baseline import baseline_findings, pytest_generate_tests\n"
    )
    for plan in sorted((EXAMPLES / "noncompliant" / "plans").glob("*.json")):
        shutil.copy(plan, pytester.path / plan.name)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan", ".")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*mode deny: * audit*"])
    result.stdout.fnmatch_lines(["*backup.vm_backup*"])
