"""Every plan from real projects in ../shared/reference/real-plans loads and passes every check."""

from __future__ import annotations

import gc

import pytest
from conftest import REAL_PLANS

from pytest_cloudcheck.checks.registry import BY_NAME
from pytest_cloudcheck.model import Finding
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

PLANS = sorted(REAL_PLANS.glob("*.json")) if REAL_PLANS.is_dir() else []
pytestmark = pytest.mark.skipif(not PLANS, reason=f"{REAL_PLANS} not found")


@pytest.fixture(scope="module", params=PLANS, ids=[p.stem[:60] for p in PLANS])
def real_inventory(request):
    return build_inventory(Settings(plan=[request.param], allow_empty=True))


def test_real_plans_are_all_there():
    assert len(PLANS) == 45


def test_loads_with_types_and_addresses(real_inventory):
    assert real_inventory.sources[0].kind in ("plan", "state")
    addresses = [r.address for r in real_inventory]
    assert len(addresses) == len(set(addresses))
    for r in real_inventory:
        assert r.type and isinstance(r.values, dict)
        assert r.id is None or isinstance(r.id, str)


@pytest.mark.parametrize("check", sorted(BY_NAME))
def test_every_check_runs(real_inventory, check):
    family = BY_NAME[check]
    findings = family.function(real_inventory)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.check and finding.address and finding.message
        assert finding.check in family.check_ids, f"{check} produced {finding.check}, not listed in its registry row"
        assert "\n" not in finding.message


def test_references_resolve_without_error(real_inventory):
    for r in real_inventory:
        for attr in (
            "id",
            "key_vault_key_id",
            "remote_virtual_network_id",
            "virtual_network_name",
            "storage_account_id",
            "subnet_id",
        ):
            for target in r.referenced(attr):
                assert target.inventory is real_inventory


@pytest.mark.parametrize("check", sorted(BY_NAME))
def test_a_check_leaves_no_reference_cycles(real_inventory, check):
    """The baseline freezes what a family leaves alive (findings, facts cached on resources) out of
    the garbage collector's view: that is only free of leaks when a family makes no reference cycles."""
    function = BY_NAME[check].function  # imported first: `dataclass(slots=True)` drops a class in a cycle
    gc.collect()
    gc.disable()
    try:
        findings = function(real_inventory)
        del findings
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0, f"checks.{check} left {unreachable} objects in reference cycles"
