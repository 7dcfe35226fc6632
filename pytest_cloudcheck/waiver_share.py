"""How much of a check family its waivers except: more than `cloudcheck_waiver_max_share` fails the run.

A family is the part of a check id before its first dot (`cmk` of `cmk.storage_account`; a plain
assert's check id is its test's name, a family of its own). What it assesses is every resource of
the types its findings are about, compliant ones included, plus each finding's address that is not a
resource of the inventory (a module not read, a test without a resource). Its share is the
resources with a waived finding over what it assesses: three of twenty storage accounts waived for
`cmk` is 15%. "Don't make the exception the rule."
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .model import Inventory


class Excess(NamedTuple):
    """A family whose waivers except more than the run allows."""

    family: str
    waived: int  # resources (addresses) with a waived finding of the family
    assessed: int

    @property
    def percent(self) -> float:
        return round(100 * self.waived / self.assessed, 1)

    def describe(self, max_share: float) -> str:
        return (
            f"WAIVERS OVER SHARE: waivers except {self.waived} of the {self.assessed} resource(s) check family "
            f"{self.family} assesses ({self.percent:g}%), more than cloudcheck_waiver_max_share = {max_share:g}%; "
            "fix the findings instead of waiving them (the run fails while they are waived)"
        )

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "waived": self.waived, "assessed": self.assessed, "percent": self.percent}


def family_of(check: str) -> str:
    return check.partition(".")[0]


def excesses(findings: Iterable[dict[str, Any]], inventory: Inventory | None, max_share: float) -> list[Excess]:
    """The families (sorted) whose waived resources are more than `max_share` percent of what they assess."""
    addresses: dict[str, set[str]] = {}
    waived: dict[str, set[str]] = {}
    for f in findings:
        family = family_of(f["check"])
        addresses.setdefault(family, set()).add(f["address"])
        if f["waiver"] is not None:
            waived.setdefault(family, set()).add(f["address"])
    out = []
    for family in sorted(waived):
        assessed = _assessed(addresses[family], inventory)
        if 100 * len(waived[family]) > max_share * assessed:
            out.append(Excess(family, len(waived[family]), assessed))
    return out


def _assessed(addresses: set[str], inventory: Inventory | None) -> int:
    if inventory is None:
        return len(addresses)
    types = {r.type for r in map(inventory.get, addresses) if r is not None}
    return len(addresses | {r.address for r in inventory if r.type in types})
