"""A view of the inventory (one environment, any slice) keeps the run's context.

The bug this guards: `Inventory.only(env)` once dropped the settings, so inside an
`@pytest.mark.environment("prod")` test `cloudcheck_key_min_size` and friends were silently ignored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudcheck import checks
from pytest_cloudcheck.model import Finding, Inventory
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LANDING_ZONES = {
    "landing_zone": sorted((EXAMPLES / "landing_zone" / "plans").glob("*.json")),
    "noncompliant": sorted((EXAMPLES / "noncompliant" / "plans").glob("*.json")),
}

#: settings that change what the checks find (none of them the default)
NON_DEFAULT = {
    "key_min_size": "4096",
    "key_hsm_only": True,
    "infra_backup_types": ["!azurerm_snapshot", "azurerm_recovery_services_vault"],
    "shared": ["^rg-hub-"],
    "ip_plan": ["prod = 10.0.0.0/9", "nonprod = 10.128.0.0/9"],
}


def test_environment_marker_keeps_the_key_size_setting(pytester: pytest.Pytester) -> None:
    for plan in LANDING_ZONES["landing_zone"]:
        shutil.copy(plan, pytester.path / plan.name)
    pytester.makeini(
        "[pytest]\ncloudcheck_key_min_size = 4096\ncloudcheck_shared = ^rg-hub-\n"
        "cloudcheck_plan =\n" + "".join(f"    {p.name}\n" for p in LANDING_ZONES["landing_zone"])
    )
    pytester.makepyfile(
        """
        import pytest
        from pytest_cloudcheck import checks

        def strength(inventory):
            return [f for f in checks.cmk(inventory) if f.check == "cmk.key_strength"]

        def test_whole(cloud):
            assert not strength(cloud)

        @pytest.mark.environment("prod")
        def test_prod(cloud):
            assert not strength(cloud)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*def test_prod(cloud):*", "*cmk.key_strength*spokes-prod:azurerm_key_vault_key*"])


def _inventory(zone: str, extra: dict[str, object]) -> Inventory:
    return build_inventory(Settings(plan=list(LANDING_ZONES[zone]), extra=dict(extra)))


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.check, f.address, f.kind, f.message)


@pytest.mark.parametrize("zone", sorted(LANDING_ZONES))
@pytest.mark.parametrize("env", ["prod", "nonprod"])
def test_view_finds_what_the_whole_finds_for_its_resources(zone: str, env: str) -> None:
    inventory = _inventory(zone, NON_DEFAULT)
    view = inventory.only(env)
    assert view.settings is inventory.settings and view.whole is inventory
    assert view.environment_rules is inventory.environment_rules
    assert len(view) > 0
    for name, check in checks.ALL.items():
        on_whole = [_key(f) for f in check(inventory) if f.address in view]
        on_view = [_key(f) for f in check(view)]
        assert sorted(on_view) == sorted(on_whole), name


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_slice_finds_what_the_whole_finds_for_its_resources(data: st.DataObject) -> None:
    zone = data.draw(st.sampled_from(sorted(LANDING_ZONES)))
    extra = {k: v for k, v in NON_DEFAULT.items() if data.draw(st.booleans(), label=k)}
    inventory = _cached(zone, tuple(sorted(extra)))
    everything = inventory.resources()
    chosen = data.draw(st.sets(st.sampled_from(everything), min_size=1, max_size=len(everything)))
    view = inventory.view(r for r in everything if r in chosen)
    assert view.settings is inventory.settings
    for name, check in checks.ALL.items():
        on_whole = [_key(f) for f in check(inventory) if f.address in view]
        # a topology finding on a part of a VNet without an environment of its own (an inline
        # subnet, an unclassified subnet) goes with its VNet: compare the classified ones here
        on_view = [_key(f) for f in check(view) if _classified(inventory, f)]
        assert sorted(on_view) == sorted(k for k in on_whole if _classified(inventory, k)), name


def _classified(inventory: Inventory, finding: Finding | tuple[str, ...]) -> bool:
    address = finding.address if isinstance(finding, Finding) else finding[1]
    r = inventory.get(address)
    return r is not None and r.environment is not None


_BUILT: dict[tuple[str, tuple[str, ...]], Inventory] = {}


def _cached(zone: str, names: tuple[str, ...]) -> Inventory:
    key = (zone, names)
    if key not in _BUILT:
        _BUILT[key] = _inventory(zone, {n: NON_DEFAULT[n] for n in names})
    return _BUILT[key]
