"""The JSON evidence report (`--cloudcheck-report`); schema: pytest_cloudcheck/data/evidence.schema.json (in the wheel).

Built from plain data: the merged test records, the inventory's sources and coverage ledger, and
the waivers. The only
fields that change between two runs on the same input are the timing fields `run.started`,
`run.finished`, `run.duration_seconds` and the waivers' `as_of` date.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..model import Inventory, Ledger
from .ledger import ledger_json

if TYPE_CHECKING:
    from . import Reporting

FORMAT = "pytest-cloudcheck-evidence"
FORMAT_VERSION = 1
TIMING_FIELDS = ("run.started", "run.finished", "run.duration_seconds", "waivers.as_of")


def build(
    reporting: Reporting, inventory: Inventory | None, exitstatus: int, finished: dt.datetime, *, sla: bool = True
) -> dict[str, Any]:
    """The evidence document; `sla=False` leaves out the SLA ladder (a run that writes no report
    file shows only the terminal's lines, which do not read it: ~5% of a run on a large plan)."""
    from .. import __version__

    results = reporting.results
    findings = results.findings()
    waivers = reporting.waivers
    used = results.used_waivers(findings)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "pytest-cloudcheck", "version": __version__},
        "run": {
            "started": _iso(reporting.started),
            "finished": _iso(finished),
            "duration_seconds": round((finished - reporting.started).total_seconds(), 3),
            "mode": reporting.settings.mode,
            "exit_status": int(exitstatus),
            "result": "pass" if int(exitstatus) == 0 else "fail",
        },
        "sources": [
            {
                "kind": s.kind,
                "location": s.location,
                "label": s.label,
                "resources": s.resources,
                "sha256": s.sha256,
            }
            for s in (inventory.sources if inventory is not None else ())
        ],
        "summary": {
            "tests": results.test_counts(),
            "findings": {o: sum(1 for f in findings if f["outcome"] == o) for o in ("failed", "audit", "waived")},
            "checks": results.by_check(findings),
        },
        **({"snapshot": inventory.context.snapshot} if inventory is not None and inventory.context.snapshot else {}),
        "coverage": ledger_json(inventory.ledger if inventory is not None else Ledger()),
        **({"sla": _ladder(inventory)} if sla else {}),
        "tests": results.sorted_tests(),
        "findings": findings,
        "waivers": {
            "file": waivers.path,
            "sha256": waivers.sha256,
            "as_of": waivers.today.isoformat(),
            "max_days": waivers.max_days,
            "max_share": waivers.max_share,
            "over_share": [e.to_json() for e in reporting.over_share],
            "entries": [
                {
                    **w.to_json(),
                    "status": waivers.status(w, used),
                    "expiring": w.expiring(waivers.today),
                    "matched": sum(1 for f in findings if (f["waiver"] or {}).get("number") == w.number),
                }
                for w in waivers.entries
            ],
        },
    }


def dumps(doc: dict[str, Any], inventory: object = None) -> str:
    """The report file's text (its row in writers.py; needs nothing beyond the evidence)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ladder(inventory: Inventory | None) -> dict[str, Any]:
    from ..sla import ladder_json

    try:
        return ladder_json(inventory)
    except ConfigurationError:  # cloudcheck_hub names no VNet: the run's usage error says so already
        return ladder_json(None)
