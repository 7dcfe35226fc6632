"""pytest-xdist `--dist load`: a baseline family's cases run on one worker (distribute.py); a
project's own tests are scheduled one by one as `load` does; other `--dist` modes are xdist's own."""

from __future__ import annotations

import re

import pytest

from pytest_cloudcheck.distribute import work_unit

pytest.importorskip("xdist")


def test_a_baseline_family_is_one_unit_other_tests_their_own():
    base = "../pytest_cloudcheck/baseline/test_baseline.py"
    assert work_unit(f"{base}::test_cmk[cmk.storage_account]") == f"{base}::test_cmk"
    assert work_unit("test_baseline.py::test_cmk[cmk.key_vault]") == "test_baseline.py::test_cmk"
    assert work_unit(f"{base}::test_every_resource_has_an_environment") == (
        f"{base}::test_every_resource_has_an_environment"
    )
    # a project's own tests: each one a unit, parametrised or not
    assert work_unit("tests/test_squad.py::test_each[a]") == "tests/test_squad.py::test_each[a]"
    assert work_unit("tests/test_baseline_extra.py::test_x[a]") == "tests/test_baseline_extra.py::test_x[a]"


def _workers_by_test(output: str) -> dict[str, set[str]]:
    """{test function: workers its cases ran on} from `-v` output lines `[gw0] ... PASSED x::f[id]`."""
    found: dict[str, set[str]] = {}
    for worker, function in re.findall(r"\[(gw\d)\][^\n]*?::(\w+)(?:\[|\s|$)", output, flags=re.M):
        found.setdefault(function, set()).add(worker)
    return found


def _plan(plan, path):
    plan.resource("azurerm_resource_group.prod", {"name": "rg-prod", "tags": {"environment": "prod"}})
    for n in range(3):
        plan.resource(f"azurerm_storage_account.sa{n}", {"name": f"sa{n}", "tags": {"environment": "prod"}})
    return plan.write(path)


def test_each_family_on_one_worker_under_dist_load(pytester, plan):
    path = _plan(plan, pytester.path / "plan.json")
    pytester.makepyfile(
        test_squad="""
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_own(n):
            pass
        """
    )
    result = pytester.runpytest_subprocess(
        "-p", "xdist", "-n", "2", "-v", "--cloudcheck-plan", str(path), "--cloudcheck-mode", "audit",
        "test_squad.py", "--pyargs", "pytest_cloudcheck.baseline",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()
    workers = _workers_by_test(result.stdout.str())
    families = {name: used for name, used in workers.items() if name != "test_own"}
    assert {"test_cmk", "test_isolation", "test_topology"} <= set(families)
    assert all(len(used) == 1 for used in families.values()), families
    assert len(re.findall(r"PASSED test_squad.py::test_own", result.stdout.str())) == 6
