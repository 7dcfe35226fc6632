"""Tests over an incomplete scope fail: the pytest side of the coverage ledger.

A test that reads `cloud`, `cloudcheck_inventory`, `topology` or one `resource` and passes without
asserting on check findings is judged against the ledger too: every gap that may hide part of what
it read becomes a `coverage.<kind>` finding and fails the test (AUDIT in audit mode; a waiver on
that id and the gap's address accepts it). A test that asserts on check findings is left to them:
each check reports the gaps of its own scope (`<family>.not_assessed`).

A `resource`-parametrised test whose types a gap may hide (a module not read, a subscription that
could not be read) gets one more case, `cloudcheck-unread`, failing with those gaps: the resources
it never saw are not a pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .asserted import FindingsAssertion
from .coverage import address_of, scope_findings
from .model import Findings, Gap, Inventory, Resource

UNREAD_ID = "cloudcheck-unread"


@dataclass(frozen=True)
class Unread:
    """The `resource` of the extra case: the gaps that may hide resources of the marker's types."""

    gaps: tuple[Gap, ...]

    @property
    def address(self) -> str:
        return "(resources not read)"


def unread_for(inventory: Inventory, types: Iterable[str], env: str | None = None) -> Unread | None:
    """The gaps that may hide resources of these (azurerm) types that are not in the inventory
    (or, with `env`, not among its resources of that environment: a resource whose environment is
    unknown may be one of them)."""
    wanted = set(types)

    def present(r: Resource) -> bool:
        return env is None or r.environment is not None

    hidden = tuple(
        gap
        for gap in inventory.ledger
        if gap.may_hide(wanted.__contains__) and not any(gap.covers(r) and present(r) for r in inventory.whole)
    )
    return Unread(hidden) if hidden else None


def gaps_read_by(fixturenames: Iterable[str], funcargs: dict[str, Any], inventory: Inventory) -> list[Gap]:
    """The gaps touching what a test's fixtures gave it."""
    if not inventory.ledger:
        return []
    names = set(fixturenames)
    found: list[Gap] = []
    resource = funcargs.get("resource")
    if isinstance(resource, Unread):
        found += resource.gaps
    elif isinstance(resource, Resource):
        # an unknown environment does not hide the resource itself from its own test
        found += [gap for gap in inventory.ledger if gap.kind != "environment" and gap.covers(resource)]
    for name in ("cloud", "cloudcheck_inventory"):
        view = funcargs.get(name)
        if name in names and isinstance(view, Inventory):
            found += inventory.ledger.touching(view)
    if "topology" in names:
        from .checks.topology import judges

        found += inventory.ledger.touching(inventory, judges)
    return list(dict.fromkeys(found))


def incomplete_error(gaps: list[Gap]) -> tuple[Findings, FindingsAssertion]:
    """The findings and the assertion that fail a test over an incomplete scope."""
    findings = scope_findings(gaps)
    first = gaps[0]
    message = (
        f"this test read an incomplete scope: {len(gaps)} coverage gap(s), first {first}; accept a known gap "
        f'with a waiver (check = "coverage.{first.kind}", address = "{address_of(first)}")'
    )
    return findings, FindingsAssertion(message)
