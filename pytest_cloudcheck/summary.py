"""The terminal summary's inventory facts: resources no CMK rule or SLA row covers, the
environment counts.

They depend on the inventory alone. The xdist controller is idle while its workers start, read
the handoff and run, so it works them out in a background thread from the moment the workers are
started (`Ahead`); a serial run computes them when the summary is written. Same function, same lines.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Inventory, Resource


class InventorySummary(NamedTuple):
    #: data-bearing resources whose type has no CMK rule yet
    cmk_not_assessed: list[Resource]
    #: Prod services whose type has no row in the SLA table
    sla_not_assessed: list[Resource]
    #: `cloudcheck environments: ...`
    environment_lines: list[str]


def inventory_summary(inventory: Inventory) -> InventorySummary:
    from .checks.cmk_check import not_assessed
    from .checks.sla_check import not_assessed as sla_not_assessed
    from .environments import summary_lines

    return InventorySummary(not_assessed(inventory), sla_not_assessed(inventory), summary_lines(inventory))


class Ahead:
    """`inventory_summary` in a background thread; `result()` waits for it (a failure there is
    raised again by computing it here)."""

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        self._result: InventorySummary | None = None
        self._thread = threading.Thread(target=self._run, name="cloudcheck-summary", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = inventory_summary(self._inventory)
        except Exception:
            self._result = None

    def result(self) -> InventorySummary:
        self._thread.join()
        return self._result if self._result is not None else inventory_summary(self._inventory)
