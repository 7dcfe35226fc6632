"""One read of Azure per run, and snapshots that replay it.

Through pytester against the fake Azure: a serial run, `-n 2` and `-n 4` send the same requests
(the fake's request log) and write the same evidence; a snapshot written by a live run and read
back with `--cloudcheck-snapshot-in` gives the same findings, offline.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fakeazure import FakeAzure
from fakeazure.fixtures import HUB, NONPROD, PROD

TESTS_DIR = Path(__file__).resolve().parent

#: the run's conftest: the fake's credential, and (for xdist workers, separate processes) name
#: resolution limited to loopback and a record of anything else tried
CONFTEST = f"""
import sys
sys.path.insert(0, {str(TESTS_DIR)!r})

from fakeazure.harness import StaticCredential, loopback_only

BLOCKED = []
_LOOPBACK = loopback_only(BLOCKED)
_LOOPBACK.__enter__()
CREDENTIAL = StaticCredential()

def pytest_cloudcheck_credential(config):
    return CREDENTIAL

def pytest_unconfigure(config):
    assert not BLOCKED, f"traffic beyond 127.0.0.1 was attempted: {{BLOCKED}}"
"""

SUITE = """
import pytest
from pytest_cloudcheck import checks

def test_cmk(cloud):
    assert not checks.cmk(cloud)

def test_isolation(cloud):
    assert not checks.nonprod_isolation(cloud)

def test_hub_and_spoke(cloud):
    assert not checks.hub_and_spoke(cloud)

@pytest.mark.resources("azurerm_storage_account", "azurerm_key_vault")
def test_tagged(resource):
    assert resource.tags.get("owner")
"""


def _args(fake: FakeAzure, report: Path, *extra: str) -> list[str]:
    args = ["-p", "no:cacheprovider", "--cloudcheck-arm-endpoint", fake.url, "--cloudcheck-mode", "audit"]
    for sub in (HUB, PROD, NONPROD):
        args += ["--cloudcheck-subscription", sub]
    return [*args, "--cloudcheck-report", str(report), *extra]


def _comparable(report: Path) -> dict[str, Any]:
    """The evidence without what differs between two runs of the same input (timings, paths)."""
    doc = json.loads(report.read_text())
    doc.pop("run")
    doc["waivers"].pop("as_of", None)
    doc.pop("snapshot", None)
    for source in doc["sources"]:
        source["location"] = source["location"].split(" (snapshot ")[0]
        source.pop("sha256", None)
    return doc


def _requests(fake: FakeAzure) -> Counter[tuple[str, str, str]]:
    """The authorized requests of a run (challenges without a token depend on the process's cache)."""
    return Counter((r.method, r.host.split(":")[0], r.path.lower().rstrip("/")) for r in fake.traffic if r.authorized)


def _setup(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    # something to find: a prod storage account on Microsoft-managed keys, without an owner tag
    storage = next(r for r in azure.rows[PROD] if r["name"] == "stzaanstadproddata")
    storage["properties"]["encryption"] = {"keySource": "Microsoft.Storage"}
    storage["tags"].pop("owner", None)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_zone=SUITE)
    pytester.makeini("[pytest]\ncloudcheck_shared = ^rg-hub-\n")


def test_xdist_workers_read_the_controllers_inventory(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    pytest.importorskip("xdist")
    _setup(pytester, azure)
    runs: dict[str, tuple[Counter[tuple[str, str, str]], dict[str, Any]]] = {}
    for name, extra in (("serial", ["-p", "no:xdist"]), ("-n 2", ["-n", "2"]), ("-n 4", ["-n", "4"])):
        azure.traffic.clear()
        report = pytester.path / f"evidence-{name.replace(' ', '')}.json"
        result = pytester.runpytest(*_args(azure, report, *extra))
        assert result.ret == 0, result.stdout.str()[-3000:]
        runs[name] = (_requests(azure), _comparable(report))
    serial_requests, serial_report = runs["serial"]
    assert sum(serial_requests.values()) > 10
    for name in ("-n 2", "-n 4"):
        requests, report = runs[name]
        assert requests == serial_requests, (
            f"{name} sent other requests than a serial run: {requests - serial_requests}"
        )
        assert report == serial_report, f"{name} wrote another report than a serial run"


def test_a_snapshot_replays_the_live_run_offline(pytester: pytest.Pytester, azure: FakeAzure) -> None:
    _setup(pytester, azure)
    snapshot = pytester.path / "nightly" / "snapshot.json"
    live_report = pytester.path / "live.json"
    result = pytester.runpytest(*_args(azure, live_report, "--cloudcheck-snapshot", str(snapshot)))
    assert result.ret == 0, result.stdout.str()[-3000:]
    live = json.loads(live_report.read_text())
    raw = snapshot.read_bytes()
    # named in the evidence: when, which scopes, how many requests, its sha256
    assert live["snapshot"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert live["snapshot"]["scopes"] == [f"subscription {s}" for s in (HUB, PROD, NONPROD)]
    assert live["snapshot"]["requests"]["graph_requests"] == 3 and live["snapshot"]["requests"]["keys"] > 0
    assert live["snapshot"]["written"].endswith("Z")
    assert b"test-token" not in raw and b"Bearer" not in raw  # nothing of the credential
    assert live["findings"], "the suite should find something to compare"

    azure.traffic.clear()
    replay_report = pytester.path / "replay.json"
    args = ["-p", "no:cacheprovider", "--cloudcheck-mode", "audit", "--cloudcheck-report", str(replay_report)]
    result = pytester.runpytest(*args, "--cloudcheck-snapshot-in", str(snapshot))
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert azure.traffic == [], "a replay reads no Azure"
    replay = _comparable(replay_report)
    original = _comparable(live_report)
    assert replay["findings"] == original["findings"]
    assert replay["tests"] == original["tests"]
    assert [s["kind"] for s in json.loads(replay_report.read_text())["sources"]] == ["live"] * 3


def test_a_damaged_snapshot_is_one_line(pytester: pytest.Pytester, tmp_path: Path) -> None:
    bad = tmp_path / "snapshot.json"
    for text, said in (("{", "not JSON"), ('{"format": "other"}', "not a snapshot")):
        bad.write_text(text)
        pytester.makepyfile("def test_x(cloud):\n    pass\n")
        result = pytester.runpytest("-p", "no:cacheprovider", "--cloudcheck-snapshot-in", str(bad))
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        errors = [line for line in result.stderr.lines if "cloudcheck" in line]
        assert len(errors) == 1 and said in errors[0], result.stderr.lines


def test_a_replayed_snapshot_is_compared_with_a_state_like_live_azure(azure: FakeAzure, tmp_path: Path) -> None:
    """Drift offline: the nightly snapshot against the Terraform state gives live Azure's findings."""
    from fakeazure.harness import StaticCredential
    from test_live import _state_of

    from pytest_cloudcheck import checks
    from pytest_cloudcheck.settings import Settings
    from pytest_cloudcheck.sources import build_inventory, load_sources
    from pytest_cloudcheck.sources.snapshot import write_snapshot

    gone = next(r for r in azure.rows[PROD] if r["name"] == "law-spokes-prod-weu")
    azure.rows[PROD].remove(gone)  # in the state, not in Azure: drift.missing
    state = _state_of(azure.landing, tmp_path / "state.json")  # type: ignore[attr-defined]
    live = Settings(subscription=[HUB, PROD, NONPROD], arm_endpoint=azure.url)
    live.credential = StaticCredential()
    snapshot = tmp_path / "snapshot.json"
    write_snapshot(snapshot, load_sources(live), {})
    live.plan = [state]
    replay = Settings(plan=[state], extra={"snapshot_in": [snapshot]})
    read = [(f.check, f.address) for f in checks.unmanaged(build_inventory(live))]
    replayed = [(f.check, f.address) for f in checks.unmanaged(build_inventory(replay))]
    assert read and replayed == read
