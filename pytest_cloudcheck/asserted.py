"""The findings a test truth-tested, collected per test by the pytest plugin (for readable failures,
audit mode and reports). A module of its own so the plugin can open the collection for every test
without loading the model."""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Findings

#: the running test's list (None outside a test the plugin watches)
asserted_findings: contextvars.ContextVar[list[Findings] | None] = contextvars.ContextVar(
    "cloudcheck_asserted_findings", default=None
)
