"""Attacks with bad inputs and settings: each gives one line naming the file (or setting) and the
fix, when the run starts, never an INTERNALERROR, a traceback or a late failure.

`ATTACKS` counts the attacks (the note of issue 12 quotes it).
"""

from __future__ import annotations

import json
import os

import pytest
from fakeazure import FakeAzure
from fakeazure.fixtures import PROD, live_inventory
from planbuilder import PlanBuilder

from pytest_cloudcheck import checks

TEST = "def test_x(cloud):\n    assert cloud is not None\n"


def _one_line(result: pytest.RunResult, *, needle: str) -> str:
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    (line,) = [line for line in result.stderr.lines if needle in line]
    return line


# -- HCL: count and for_each ---------------------------------------------------------------------

COUNTS = {
    # attack: the count expression -> the end of the one line
    "count = 1e999": ("1e999", "count of azurerm_resource_group.rg is inf; Terraform needs a whole number from 0"),
    "count = -1": ("-1", "count of azurerm_resource_group.rg is -1; Terraform needs a whole number from 0"),
    "count = 1.5": ("1.5", "count of azurerm_resource_group.rg is 1.5; Terraform needs a whole number from 0"),
    "count = 1e9": (
        "1e9",
        "count of azurerm_resource_group.rg makes 1,000,000,000 instances, more than the 100,000 one block may "
        "have here; check the count expression (or check a plan of it instead)",
    ),
    "for_each of 120,000 keys": (
        None,
        "for_each of azurerm_resource_group.rg makes 120,000 instances, more than the 100,000 one block may "
        "have here; check the for_each expression (or check a plan of it instead)",
    ),
}


@pytest.mark.parametrize("attack", sorted(COUNTS))
def test_a_count_terraform_refuses_or_too_many_instances_is_one_line(pytester: pytest.Pytester, attack: str) -> None:
    count, end = COUNTS[attack]
    meta = (
        f"count = {count}"
        if count is not None
        else 'for_each = toset(flatten([for i in range(400) : [for j in range(300) : "${i}-${j}"]]))'
    )
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        f'resource "azurerm_resource_group" "rg" {{\n  {meta}\n  name = "rg"\n}}\n', encoding="utf-8"
    )
    pytester.makepyfile(TEST)
    line = _one_line(pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl=infra"), needle="main.tf")
    assert line == f"ERROR: cloudcheck: infra/main.tf:2: {end}"


def test_range_over_1024_values_is_refused_as_terraform_does(pytester: pytest.Pytester) -> None:
    """Terraform's range() makes at most 1024 values: the instances are a coverage gap, never a pass."""
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        'resource "azurerm_resource_group" "rg" {\n  for_each = toset([for i in range(1e9) : tostring(i)])\n'
        '  name = "rg"\n}\n',
        encoding="utf-8",
    )
    pytester.makepyfile(TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-hcl=infra")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*azurerm_resource_group.rg[[]*[]]: not assessed: * [[]coverage.instances[]]*"])


# -- report paths are checked when the run starts ------------------------------------------------


def _plan(pytester: pytest.Pytester) -> None:
    plan = PlanBuilder()
    plan.resource("azurerm_storage_account.st", {"name": "st"})
    plan.write(pytester.path / "plan.json")


REPORTS = ["--cloudcheck-report", "--cloudcheck-sarif", "--cloudcheck-markdown"]


@pytest.mark.parametrize("flag", REPORTS)
@pytest.mark.parametrize("where", ["in a file", "a folder", "read-only"])
def test_an_unwritable_report_path_stops_the_run_before_any_test(
    pytester: pytest.Pytester, flag: str, where: str
) -> None:
    if where == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    _plan(pytester)
    pytester.makepyfile(TEST)
    (pytester.path / "afile").write_text("x", encoding="utf-8")
    (pytester.path / "ro").mkdir(mode=0o555)
    path, problem = {
        "in a file": ("afile/out.json", f"cannot be created ({pytester.path / 'afile'} is not a folder)"),
        "a folder": ("ro", "is a folder"),
        "read-only": ("ro/out.json", f"cannot be created ({pytester.path / 'ro'} is not writable)"),
    }[where]
    result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-plan=plan.json", f"{flag}={path}")
    line = _one_line(result, needle=path)
    ini = "cloudcheck_" + flag.removeprefix("--cloudcheck-")
    assert line == f"ERROR: {flag} ({ini}) {path}: {problem}; give a file path in a folder you can write to"
    assert "test_x" not in result.stdout.str()


def test_an_unwritable_report_path_in_the_ini_stops_the_run_too(pytester: pytest.Pytester) -> None:
    _plan(pytester)
    pytester.makepyfile(TEST)
    (pytester.path / "afile").write_text("x", encoding="utf-8")
    pytester.makeini("[pytest]\ncloudcheck_plan = plan.json\ncloudcheck_sarif = afile/out.sarif\n")
    line = _one_line(pytester.runpytest("-p", "no:cacheprovider"), needle="afile")
    assert line == (
        f"ERROR: --cloudcheck-sarif (cloudcheck_sarif) {pytester.path / 'afile' / 'out.sarif'}: cannot be created "
        f"({pytester.path / 'afile'} is not a folder); give a file path in a folder you can write to"
    )


# -- live settings -------------------------------------------------------------------------------

BUDGETS = {
    "cloudcheck_live_time_budget = -5": ("live_time_budget", "-5", "a number of seconds"),
    "cloudcheck_live_time_budget = 0": ("live_time_budget", "0", "a number of seconds"),
    "cloudcheck_live_time_budget = soon": ("live_time_budget", "soon", "a number of seconds"),
    "cloudcheck_live_time_budget = inf": ("live_time_budget", "inf", "a number of seconds"),
    "cloudcheck_live_concurrency = 2.5": ("live_concurrency", "2.5", "a whole number of parallel reads"),
}


@pytest.mark.parametrize("attack", sorted(BUDGETS))
def test_a_bad_live_setting_is_one_line_at_start(pytester: pytest.Pytester, attack: str) -> None:
    name, value, what = BUDGETS[attack]
    _plan(pytester)
    pytester.makepyfile(TEST)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--cloudcheck-plan=plan.json", "-o", f"cloudcheck_{name}={value}"
    )
    line = _one_line(result, needle=f"cloudcheck_{name}")
    assert line == f"ERROR: cloudcheck_{name} must be {what} above 0, got {value!r}"


@pytest.mark.parametrize("exp", ["2027-01-01", 1.5e300, [1], {"t": 1}, True])
def test_a_key_expiry_of_the_wrong_type_is_not_a_crash(azure: FakeAzure, exp: object) -> None:
    """Key Vault's `attributes.exp` is Unix seconds; anything else leaves the expiry unread (a
    finding where a check needs it), never a traceback."""
    (vault, name), key = next(iter(azure.keys.items()))
    broken = json.loads(json.dumps(key))
    broken.setdefault("attributes", {})["exp"] = exp
    azure.keys[(vault, name)] = broken
    inventory = live_inventory(azure, PROD)
    found = checks.cmk(inventory)
    assert all("Traceback" not in f.message for f in found)


def test_the_live_time_budget_is_per_run_not_per_subscription(azure: FakeAzure) -> None:
    """Two hanging subscriptions and a 2 s budget: about 2 s for the run (a budget per request
    would take 4 s or more); both are gaps, the third subscription is read."""
    import time

    from fakeazure.fixtures import HUB, NONPROD

    azure.faults.slow_subscriptions = {PROD, NONPROD}
    azure.faults.hang_seconds = 8.0
    started = time.monotonic()
    inventory = live_inventory(azure, HUB, PROD, NONPROD, live_time_budget="2")
    elapsed = time.monotonic() - started
    assert elapsed < 3.8, f"{elapsed:.1f} s for a 2 s budget over two hanging subscriptions"
    gaps = {s.location: [g.why for g in s.ledger] for s in inventory.sources}
    assert any(r.id and HUB in r.id for r in inventory)  # read, its child reads within what was left
    for sub in (PROD, NONPROD):
        (why,) = gaps[f"subscription {sub}"]
        assert why.startswith("could not be read (no answer from Resource Graph (ServiceResponse")


#: attacks in this module (each parametrised case counts once)
ATTACKS = len(COUNTS) + 1 + len(REPORTS) * 3 + 1 + len(BUDGETS) + 5 + 1
