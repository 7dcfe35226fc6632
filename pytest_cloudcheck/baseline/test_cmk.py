"""Baseline: every data store encrypted with a customer-managed key, and the keys fit for it.

One test per check id that applies to the inventory (`test_cmk[cmk.storage_account]`, ...,
`test_cmk[cmk.key_rotation]`, `test_cmk[cmk.not_assessed]`); a failing test lists its findings,
one resource a line. Unknown at plan time and outside the inventory fail too: never a silent pass.
"""

from __future__ import annotations

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.cmk import check_ids
from pytest_cloudcheck.model import Findings, Inventory
from pytest_cloudcheck.stash import SESSION


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cmk_check" not in metafunc.fixturenames:
        return
    inventory = metafunc.config.stash[SESSION].inventory
    # Without a source the plugin stops the run with a usage error naming the options.
    ids = check_ids(inventory) if inventory is not None else ["cmk"]
    metafunc.parametrize("cmk_check", ids)


@pytest.fixture(scope="module")
def cmk_findings(cloudcheck_inventory: Inventory) -> Findings:
    return checks.cmk(cloudcheck_inventory)


def test_cmk(cmk_check: str, cmk_findings: Findings) -> None:
    findings = Findings(f for f in cmk_findings if f.check == cmk_check)
    assert not findings
