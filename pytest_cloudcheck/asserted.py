"""The findings a test truth-tested, collected per test by the pytest plugin (for readable failures,
audit mode and reports). A module of its own so the plugin can open the collection for every test
without loading the model."""

from __future__ import annotations

import contextvars
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Findings


class Sink(list["Findings"]):
    """One test's truth-tested Findings (each once), and where a non-empty one was truth-tested
    (file, line): a failed assertion is about them only when it was raised there (outcomes.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.sites: set[tuple[str, int]] = set()

    def note(self, findings: Findings, depth: int) -> None:
        """Record `findings`, truth-tested by the frame `depth` levels above the caller."""
        if all(existing is not findings for existing in self):
            self.append(findings)
        if len(findings):  # not bool(): that would note it again
            frame = sys._getframe(depth + 1)
            self.sites.add((frame.f_code.co_filename, frame.f_lineno))


class FindingsAssertion(AssertionError):
    """An assertion raised by the plugin itself about the findings it appended to the sink."""


#: the running test's sink (None outside a test the plugin watches)
asserted_findings: contextvars.ContextVar[Sink | None] = contextvars.ContextVar(
    "cloudcheck_asserted_findings", default=None
)
