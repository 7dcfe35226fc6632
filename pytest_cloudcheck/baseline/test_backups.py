"""Baseline: no backups or replication of infrastructure (it is rebuilt from code).

One test per check id (`test_no_infra_backups[backup.vm_backup]`, ...); backups of data stores
are not infrastructure backups and never appear here.
"""

from __future__ import annotations

import pytest

from pytest_cloudcheck import checks
from pytest_cloudcheck.checks.backups import CHECK_IDS
from pytest_cloudcheck.model import Findings, Inventory


@pytest.fixture(scope="module")
def backup_findings(cloudcheck_inventory: Inventory) -> Findings:
    return checks.no_infra_backups(cloudcheck_inventory)


@pytest.mark.parametrize("backup_check", CHECK_IDS)
def test_no_infra_backups(backup_check: str, backup_findings: Findings) -> None:
    findings = Findings(f for f in backup_findings if f.check == backup_check)
    assert not findings
