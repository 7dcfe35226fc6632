"""Gaps of the coverage ledger as findings: what a check, or a test, could not see.

A check family judges some resource types (`judges`, in its module; absent: every type). Each gap
of `Inventory.ledger` that may hide such a resource, in the inventory or view the check was given,
becomes one `not_assessed` finding of the family (`cmk.not_assessed`, `isolation.not_assessed`,
...), so `assert not checks.cmk(cloud)` fails on a module that was not read. A test that reads a
scope without asserting on check findings gets `coverage.<kind>` findings instead (plugin side).
Either is accepted like any finding: a waiver naming its check id and the gap's address.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from .model import Finding, Findings, Gap, Inventory, Origin

Judges = Callable[[str], bool]

_FILE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")


def origin_of(gap: Gap) -> Origin | None:
    """`infra/main.tf:12` as an origin (SARIF annotates it); a subscription or URL has none."""
    match = _FILE_LINE.match(gap.where)
    if match is not None and not gap.where.startswith(("http://", "https://")):
        return Origin(match["file"], int(match["line"]))
    if gap.where.endswith((".tf", ".json", ".tfvars")):
        return Origin(gap.where)
    return None


def address_of(gap: Gap) -> str:
    """What a finding about the gap is about (and what a waiver matches): the hidden part's
    address, else where it was met."""
    return gap.address or gap.where


def finding_for(gap: Gap, check: str) -> Finding:
    return Finding(
        check,
        address_of(gap),
        f"not assessed: {gap.why}; {gap.fix}",
        origin_of(gap),
        kind="not_assessed",
    )


def gap_findings(
    inventory: Inventory, check: str, judges: Judges | None = None, environments: bool = False
) -> list[Finding]:
    """One `not_assessed` finding (id `check`) per gap touching `inventory` that may hide a type
    `judges` accepts (`environments`: the check judges by environment, see `Ledger.touching`)."""
    return [finding_for(gap, check) for gap in inventory.ledger.touching(inventory, judges, environments=environments)]


def scope_findings(gaps: Iterable[Gap]) -> Findings:
    """`coverage.<kind>` findings for a test whose scope these gaps make incomplete."""
    return Findings(finding_for(gap, f"coverage.{gap.kind}") for gap in gaps)


def _stand_in(finding: Finding) -> bool:
    return finding.kind == "violation" and "[*]" in finding.address


def as_unknown_instance(finding: Finding) -> Finding:
    """A violation of an `[*]` stand-in (a `count` / `for_each` not known before apply) is
    `unknown`: Terraform may make no such resource. What it would violate stays in the message."""
    if not _stand_in(finding):
        return finding
    message = f"may not exist (its count or for_each is not known before apply); if it does: {finding.message}"
    return replace(finding, kind="unknown", message=message)


def with_gaps(
    function: Callable[..., Findings], check: str, judges: Judges | None, environments: bool = False
) -> Callable[..., Findings]:
    """`function` (a check family) with the gaps touching its scope added as `check` findings."""

    @functools.wraps(function)
    def checked(inventory: Inventory, *args: Any, **kwargs: Any) -> Findings:
        found = function(inventory, *args, **kwargs)
        if any(_stand_in(f) for f in found):
            found = Findings(as_unknown_instance(f) for f in found)
        extra = [f for f in gap_findings(inventory, check, judges, environments) if f not in found]
        return Findings([*found, *extra]) if extra else found

    checked.cloudcheck_unwrapped = function  # type: ignore[attr-defined]
    return checked
