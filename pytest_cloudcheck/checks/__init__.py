"""Checks: plain functions over an Inventory that return Findings (empty when compliant).

from pytest_cloudcheck import checks
assert not checks.cmk(cloud)
"""

from __future__ import annotations

from collections.abc import Callable

from ..environments import unclassified
from ..model import Findings, Inventory
from .backups import no_infra_backups
from .cmk import cmk
from .drift import unmanaged
from .isolation import nonprod_isolation
from .topology import hub_and_spoke

__all__ = ["ALL", "cmk", "hub_and_spoke", "no_infra_backups", "nonprod_isolation", "unclassified", "unmanaged"]

#: every built-in check family by name (the baseline and the reports iterate this)
ALL: dict[str, Callable[[Inventory], Findings]] = {
    "cmk": cmk,
    "no_infra_backups": no_infra_backups,
    "nonprod_isolation": nonprod_isolation,
    "hub_and_spoke": hub_and_spoke,
}
# `unclassified` (resources without an environment, kind "not_assessed") is not in ALL: it reports
# how complete the classification is, not a rule of the landing zone. The terminal summary shows
# it on every run and the baseline's isolation module asserts it separately.
