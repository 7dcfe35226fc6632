"""Reports of a run: results gathered on the controller, then JSON evidence, SARIF, Markdown, terminal.

Each test's phase records (`report.cloudcheck`, see outcomes.py) arrive through
`pytest_runtest_logreport` in the controlling process, also under pytest-xdist. At session finish
`Reporting.finish` builds the evidence document once (evidence.py); every other report is written
from that document, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..settings import Settings
from ..waivers import Waivers, load_waivers, max_days_setting
from .records import RunResults

__all__ = ["REPORTING", "Reporting", "RunResults"]


@dataclass(eq=False)  # registered as a plugin: must stay hashable
class Reporting:
    """Per-process reporting state: the waivers, the results and, on the controller, the evidence."""

    settings: Settings
    waivers: Waivers
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    results: RunResults = field(default_factory=RunResults)
    evidence: dict[str, Any] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Reporting:
        max_days = max_days_setting(settings.get("waiver_max_days"))
        return cls(settings, load_waivers(settings.waivers, max_days=max_days))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A hook (this object is registered as a plugin): gather each test's phase records in the
        process that writes the reports (the controller under xdist)."""
        record = getattr(report, "cloudcheck", None)
        if isinstance(record, dict):
            self.results.add(record)

    def finish(self, session: pytest.Session, exitstatus: int) -> int:
        """Build the evidence, write the configured report files; returns the run's exit status
        (an expired waiver fails a run that would otherwise pass, also in audit mode)."""
        from . import evidence, markdown, sarif

        if self.waivers.expired and exitstatus == pytest.ExitCode.OK:
            exitstatus = pytest.ExitCode.TESTS_FAILED
        state = session.config.stash.get(_session_key(), None)
        inventory = state.inventory if state is not None else None
        doc = evidence.build(self, inventory, exitstatus, dt.datetime.now(dt.timezone.utc))
        self.evidence = doc
        summary_text = None
        if self.settings.markdown is not None:
            summary_text = markdown.render(doc, topology_picture(inventory))
        outputs = {
            self.settings.report: evidence.dumps,
            self.settings.sarif: sarif.dumps,
            self.settings.markdown: lambda _doc: summary_text or "",
        }
        for path, render in outputs.items():
            if path is not None:
                _write(self.settings, path, render(doc))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary and summary_text is not None:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(summary_text + "\n")
        return exitstatus

    def summary_lines(self) -> list[str]:
        """The terminal's `cloudcheck` section: only when there were cloudcheck tests or waivers."""
        if self.evidence is None or not (self.results.tests or self.waivers.path):
            return []
        from .terminal import lines

        return lines(self.evidence)


#: above this many VNets the Markdown summary names the count instead of drawing the network
MAX_PICTURED_VNETS = 100


def topology_picture(inventory: Any) -> str | None:
    """The Mermaid picture of the network for the Markdown summary, or a line saying why not."""
    if inventory is None or not inventory.resources("azurerm_virtual_network"):
        return None
    from ..errors import ConfigurationError
    from ..topology import topology_of

    try:
        topo = topology_of(inventory)
    except ConfigurationError as exc:
        return f"(no picture: {exc})"
    if topo.hub_problem:
        return f"(no picture: {topo.hub_problem})"
    if len(topo.vnets) > MAX_PICTURED_VNETS:
        return f"(no picture: {len(topo.vnets)} VNets are more than a picture can show; see the findings)"
    return topo.mermaid()


def _session_key() -> Any:
    from ..stash import SESSION

    return SESSION


def _write(settings: Settings, path: Path, text: str) -> None:
    target = path if path.is_absolute() else Path.cwd() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


REPORTING = pytest.StashKey[Reporting]()
