"""The baseline's findings under pytest-xdist (served.py): worked out once by the controller, read by
the workers; a worker running only baseline cases never loads the inventory; a family the controller
did not write is computed by the worker itself, with the same outcome."""

from __future__ import annotations

import re

import pytest

from pytest_cloudcheck.checks.registry import BY_NAME, FAMILIES
from pytest_cloudcheck.served import Served, expected, served_findings
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources import build_inventory

FUNCTIONS = {family.name: family.baseline for family in FAMILIES if family.baseline}
BASELINE = ["pytest_cloudcheck.baseline"]


def test_families_expected_before_the_collection_is_known():
    assert expected(FUNCTIONS, ["tests"], "", "") == []  # the baseline is not named: wait for the collection
    assert expected(FUNCTIONS, BASELINE, "", "") == list(FUNCTIONS)
    assert expected(FUNCTIONS, BASELINE, "test_cmk or test_topology", "") == ["cmk", "hub_and_spoke"]
    assert "sla" not in expected(FUNCTIONS, BASELINE, "not test_sla", "")
    assert "cmk" in expected(FUNCTIONS, BASELINE, "not test_sla", "")
    assert expected(FUNCTIONS, BASELINE, "storage_account", "") == []  # a case id: computed once collected
    assert expected(FUNCTIONS, BASELINE, "", "audit") == []
    assert expected(FUNCTIONS, BASELINE, "(", "") == []  # not a -k expression: pytest says so itself


def _inventory(plan, tmp_path):
    plan.resource("azurerm_resource_group.rg", {"name": "rg-prod", "tags": {"environment": "prod"}})
    plan.resource("azurerm_storage_account.sa", {"name": "sa", "tags": {"environment": "prod"}})
    plan.resource("azurerm_managed_disk.d", {"name": "d", "tags": {"environment": "prod"}}, unknown=["id"])
    return build_inventory(Settings(plan=[plan.write(tmp_path / "plan.json")]))


def test_served_findings_are_the_familys_own(plan, tmp_path):
    inventory = _inventory(plan, tmp_path)
    served = Served.create(list(FUNCTIONS))
    try:
        served.compute(inventory, ["cmk", "nonprod_isolation", "not_a_family"])
        files = served.worker_input()
        cmk = served_findings(files["cmk"])
        assert cmk is not None and len(cmk) > 0
        assert list(cmk) == list(BY_NAME["cmk"].function(inventory))
        assert served_findings(files["hub_and_spoke"]) is None  # not computed: the worker computes it
        assert served_findings(None) is None
        served.path("cmk").write_bytes(b"\x80\x05damaged")
        assert served_findings(files["cmk"]) is None  # damaged: computed again, never an empty list
    finally:
        served.close()
    assert not served.directory.exists()


#: a plugin of the test's own: what each xdist worker had loaded when its session finished
PROBE = """
import os
from pytest_cloudcheck.stash import SESSION

def pytest_sessionfinish(session):
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is not None:
        state = session.config.stash[SESSION]
        with open(os.path.join(os.environ["PROBE_DIR"], workerinput["workerid"]), "w") as out:
            out.write("loaded" if state.inventory is not None else "not loaded")
"""


def _run(pytester, plan, monkeypatch, *args):
    plan.resource("azurerm_resource_group.rg", {"name": "rg-prod", "tags": {"environment": "prod"}})
    for n in range(3):
        plan.resource(f"azurerm_storage_account.sa{n}", {"name": f"sa{n}", "tags": {"environment": "prod"}})
    path = plan.write(pytester.path / "plan.json")
    probes = pytester.mkdir("probes")
    monkeypatch.setenv("PROBE_DIR", str(probes))
    pytester.makepyfile(probe=PROBE)
    common = ["-p", "probe", "-v", "--cloudcheck-plan", str(path), "--cloudcheck-mode", "audit"]
    serial = pytester.runpytest_subprocess(*common, *args)
    parallel = pytester.runpytest_subprocess("-p", "xdist", "-n", "2", *common, *args)
    loaded = {p.name: p.read_text() for p in probes.iterdir()}
    return serial, parallel, loaded


def _outcomes(output: str) -> dict[str, str]:
    """{test id: outcome word} from `-v` lines, with or without xdist's `[gwN]` prefix."""
    return dict(
        (test, outcome) for outcome, test in re.findall(r"(PASSED|FAILED|AUDIT|ERROR|SKIPPED)\s+(\S+::\S+)", output)
    ) | dict(
        (test, outcome) for test, outcome in re.findall(r"(\S+::\S+)\s+(PASSED|FAILED|AUDIT|ERROR|SKIPPED)", output)
    )


def test_workers_running_only_the_baseline_never_load_the_inventory(pytester, plan, monkeypatch):
    pytest.importorskip("xdist")
    serial, parallel, loaded = _run(pytester, plan, monkeypatch, "--pyargs", "pytest_cloudcheck.baseline")
    assert serial.ret == parallel.ret == 0, parallel.stdout.str()
    assert _outcomes(parallel.stdout.str()) == _outcomes(serial.stdout.str())
    assert "AUDIT" in set(_outcomes(serial.stdout.str()).values())  # the storage accounts' findings
    assert loaded == {"gw0": "not loaded", "gw1": "not loaded"}
    assert "reads the sources itself" not in parallel.stdout.str()


def test_a_family_selected_by_case_id_is_served_too(pytester, plan, monkeypatch):
    pytest.importorskip("xdist")
    serial, parallel, loaded = _run(
        pytester, plan, monkeypatch, "--pyargs", "pytest_cloudcheck.baseline", "-k", "storage_account"
    )
    assert serial.ret == parallel.ret == 0, parallel.stdout.str()
    outcomes = _outcomes(parallel.stdout.str())
    assert outcomes == _outcomes(serial.stdout.str())
    assert outcomes["test_baseline.py::test_cmk[cmk.storage_account]"] == "AUDIT"
    assert all("storage_account" in test for test in outcomes)
    assert set(loaded.values()) == {"not loaded"}


def test_workers_with_tests_of_their_own_read_the_inventory(pytester, plan, monkeypatch):
    pytest.importorskip("xdist")
    pytester.makepyfile(
        test_squad="""
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_inventory_is_there(cloudcheck_inventory, n):
            assert len(cloudcheck_inventory) == 4
        """
    )
    serial, parallel, loaded = _run(
        pytester, plan, monkeypatch, "test_squad.py", "--pyargs", "pytest_cloudcheck.baseline"
    )
    assert serial.ret == parallel.ret == 0, parallel.stdout.str()
    assert _outcomes(parallel.stdout.str()) == _outcomes(serial.stdout.str())
    assert "reads the sources itself" not in parallel.stdout.str()
    assert "loaded" in loaded.values()


#: the workers are told of no served findings: each computes its families itself
UNSERVED = """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if hasattr(config, "workerinput"):
        config.workerinput["cloudcheck_served"] = {}
"""


def test_a_family_not_served_is_computed_by_the_worker(pytester, plan, monkeypatch):
    pytest.importorskip("xdist")
    pytester.makepyfile(unserved=UNSERVED)
    serial, parallel, loaded = _run(
        pytester, plan, monkeypatch, "-p", "unserved", "--pyargs", "pytest_cloudcheck.baseline"
    )
    assert serial.ret == parallel.ret == 0, parallel.stdout.str()
    assert _outcomes(parallel.stdout.str()) == _outcomes(serial.stdout.str())
    # no handoff was written for a run of the baseline alone: the workers read the plan themselves
    assert "xdist worker reads the sources itself" in parallel.stdout.str()
    assert set(loaded.values()) == {"loaded"}


def test_a_family_that_raises_in_the_controller_raises_in_the_workers_test(pytester, plan, monkeypatch):
    """The controller writes no file for a family that raised there: the worker computes it and
    the test meets the same error, as in a serial run (never a pass)."""
    pytest.importorskip("xdist")
    pytester.makeini("[pytest]\ncloudcheck_hub = vnet-none\n")
    serial, parallel, _ = _run(pytester, plan, monkeypatch, "--pyargs", "pytest_cloudcheck.baseline")
    serial_outcomes = _outcomes(serial.stdout.str())
    topology = {test: outcome for test, outcome in serial_outcomes.items() if "test_topology" in test}
    assert topology and set(topology.values()) <= {"ERROR", "FAILED"}, serial.stdout.str()
    assert _outcomes(parallel.stdout.str()) == serial_outcomes
    assert "vnet-none" in parallel.stdout.str()
