"""Checks: plain functions over an Inventory that return Findings (empty when compliant).

    from pytest_cloudcheck import checks
    assert not checks.cmk(cloud)
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Findings, Inventory
from .backups import no_infra_backups
from .cmk import cmk
from .isolation import nonprod_isolation
from .topology import hub_and_spoke

__all__ = ["ALL", "cmk", "hub_and_spoke", "no_infra_backups", "nonprod_isolation"]

#: every built-in check family by name (the baseline and the reports iterate this)
ALL: dict[str, Callable[[Inventory], Findings]] = {
    "cmk": cmk,
    "no_infra_backups": no_infra_backups,
    "nonprod_isolation": nonprod_isolation,
    "hub_and_spoke": hub_and_spoke,
}
