"""The coverage ledger as every report shows it: counted and grouped by kind, one gap a line.

The report header, the terminal summary, the evidence (`coverage`), SARIF and Markdown all read
the ledger through this module, so they list the same gaps in the same order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import GAP_KINDS, Gap, Ledger

if TYPE_CHECKING:
    from ..model import Inventory

#: gaps listed one a line per kind; the rest are counted
MAX_LISTED = 20


def header_lines(inventory: Inventory) -> list[str]:
    """`cloudcheck: coverage: 2 gaps: ...` then one gap a line (grouped), then the sources' notes."""
    out = [f"cloudcheck: {s.location}: {note}" for s in inventory.sources for note in s.notes]
    return [*(f"cloudcheck: {line}" for line in ledger_lines(inventory.ledger)), *out]


def ledger_lines(ledger: Ledger, limit: int = MAX_LISTED) -> list[str]:
    """The ledger for a terminal: a count line, then per kind its heading and its gaps."""
    if not ledger:
        return ["coverage: complete (no gaps in the ledger)"]
    out = [f"coverage: INCOMPLETE, {ledger.summary()}"]
    for kind, gaps in ledger.grouped().items():
        out.append(f"  {GAP_KINDS[kind]} ({len(gaps)}):")
        out += [f"    {gap}" for gap in gaps[:limit]]
        if len(gaps) > limit:
            out.append(f"    ... and {len(gaps) - limit} more (all of them in the evidence report)")
    return out


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    """The evidence's `coverage` object: complete or not, counts by kind, every gap."""
    grouped = ledger.grouped()
    return {
        "complete": not ledger,
        "counts": {kind: len(gaps) for kind, gaps in grouped.items()},
        "gaps": [gap.to_json() for gaps in grouped.values() for gap in gaps],
    }


def gaps_of(doc: dict[str, Any]) -> list[Gap]:
    """The gaps of an evidence document (reports written from the document read them back)."""
    coverage = doc.get("coverage") or {}
    return [Gap.from_json(g) for g in coverage.get("gaps", ())]
