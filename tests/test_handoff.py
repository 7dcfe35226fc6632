"""The xdist handoff (sources/handoff.py): written by a forked child of the controller, read by the
workers once the child is done; a source that cannot be pickled makes the workers read the sources
themselves; a damaged file is an error, never an empty inventory. (End to end under `-n 2`:
tests/test_reports.py, tests/test_live_snapshot.py, tests/test_xdist_schedule.py.)"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap

import pytest

from pytest_cloudcheck.errors import SourceError
from pytest_cloudcheck.sources.handoff import FAILED, HandoffFailed, read_handoff

#: run in a fresh interpreter: one thread, so the handoff is written by a forked child
_ROUND_TRIP = """
import json, sys, time
from pathlib import Path
from pytest_cloudcheck.model import UNKNOWN
from pytest_cloudcheck.settings import Settings
from pytest_cloudcheck.sources.build import load_sources
from pytest_cloudcheck.sources.handoff import read_handoff, start_handoff
loaded = load_sources(Settings(plan=[Path(sys.argv[1])]))
if sys.argv[2] == "unpicklable":
    loaded[0].resources[0].values["x"] = lambda: None
handoff = start_handoff(loaded, Path(sys.argv[3]))
try:
    back = read_handoff(handoff.path)  # waits for the writer
    out = {"writer": handoff.writer is not None, "addresses": [r.address for s in back for r in s.resources],
           "rg": back[0].resources[1].values, "unknown_id": back[0].resources[0].values["id"] is UNKNOWN}
except Exception as exc:
    out = {"writer": handoff.writer is not None, "error": type(exc).__name__, "message": str(exc)}
handoff.close()
out["left"] = handoff.path.exists()
print(json.dumps(out))
"""


def _round_trip(plan, tmp_path, mode: str) -> dict:
    plan.resource("azurerm_storage_account.a", {"name": "a", "tags": {"environment": "prod"}}, unknown=["id"])
    plan.resource("azurerm_resource_group.rg", {"name": "rg"})
    path = plan.write(tmp_path / "plan.json")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_ROUND_TRIP), str(path), mode, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(sys.platform != "linux", reason="the handoff is written in a forked child on Linux only")
def test_a_forked_writer_hands_over_the_loaded_sources(plan, tmp_path):
    out = _round_trip(plan, tmp_path, "plain")
    assert out["writer"] is True
    assert out["addresses"] == ["azurerm_storage_account.a", "azurerm_resource_group.rg"]
    assert out["rg"] == {"name": "rg"}
    assert out["unknown_id"] is True  # the sentinel itself, not a copy
    assert out["left"] is False  # removed when the run ends


@pytest.mark.skipif(sys.platform != "linux", reason="the handoff is written in a forked child on Linux only")
def test_a_source_that_cannot_be_pickled_is_read_by_the_workers_themselves(plan, tmp_path):
    out = _round_trip(plan, tmp_path, "unpicklable")
    assert out["error"] == "HandoffFailed"
    assert "could not hand its sources over" in out["message"]


def test_the_failure_marker_is_handoff_failed(tmp_path):
    path = tmp_path / "x.inventory"
    path.write_bytes(FAILED + b"PicklingError")
    with pytest.raises(HandoffFailed, match=r"could not hand its sources over \(PicklingError\)"):
        read_handoff(path)


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(list(range(10**4)))[:-100]])
def test_a_damaged_handoff_is_an_error_not_an_empty_inventory(tmp_path, content):
    path = tmp_path / "x.inventory"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="the controller's inventory could not be read") as info:
        read_handoff(path)
    assert not isinstance(info.value, HandoffFailed)


#: a writer as the controller's child is one: holds the lock, appends the pickle in pieces, and
#: on "fail" replaces what it wrote with the failure marker
_SLOW_WRITER = """
import fcntl, os, pickle, sys, time
from pytest_cloudcheck.sources.handoff import FAILED
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
data = pickle.dumps({"resources": [{"n": n, "name": f"r{n}"} for n in range(20000)]}, protocol=5)
pieces = [data[i : i + 50000] for i in range(0, len(data), 50000)]
for number, piece in enumerate(pieces):
    if sys.argv[2] == "fail" and number == len(pieces) // 2:
        os.ftruncate(fd, 0)
        os.pwrite(fd, FAILED + b"PicklingError", 0)
        break
    os.write(fd, piece)
    time.sleep(0.01)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no file locks: written whole before any worker reads")
@pytest.mark.parametrize("mode", ["whole", "fail"])
def test_a_worker_reads_the_handoff_while_it_is_written(tmp_path, mode):
    path = tmp_path / "x.inventory"
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(path), mode], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "locked"
        if mode == "whole":
            loaded = read_handoff(path)
            assert writer.wait(timeout=10) == 0
            assert loaded["resources"][-1] == {"n": 19999, "name": "r19999"}  # type: ignore[call-overload]
        else:
            with pytest.raises(HandoffFailed, match=r"\(PicklingError\)"):
                read_handoff(path)
