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
from typing import TYPE_CHECKING, Any

import pytest

from ..errors import ConfigurationError
from ..stash import REPORTING, SESSION

if TYPE_CHECKING:
    from ..settings import Settings
    from ..waiver_share import Excess
    from ..waivers import Waivers
    from .records import RunResults

__all__ = ["REPORTING", "Reporting"]


@dataclass(eq=False)  # registered as a plugin: must stay hashable
class Reporting:
    """Per-process reporting state: the waivers, the results and, on the controller, the evidence."""

    settings: Settings
    waivers: Waivers
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    results: RunResults = field(default_factory=lambda: _run_results())
    evidence: dict[str, Any] | None = None
    #: the check families whose waivers except more than cloudcheck_waiver_max_share (waiver_share.py)
    over_share: list[Excess] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> Reporting:
        from ..options import BY_NAME
        from ..waivers import load_waivers, max_days_setting, max_share_setting
        from .writers import REPORT_WRITERS

        for option in (*(w.option for w in REPORT_WRITERS), BY_NAME["snapshot"]):
            check_writable(settings.get(option.name), f"{option.flag} ({option.ini})")
        max_days = max_days_setting(settings.get("waiver_max_days"))
        max_share = max_share_setting(settings.get("waiver_max_share"))
        return cls(settings, load_waivers(settings.waivers, max_days=max_days, max_share=max_share))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A hook (this object is registered as a plugin): gather each test's phase records in the
        process that writes the reports (the controller under xdist)."""
        record = getattr(report, "cloudcheck", None)
        if isinstance(record, dict):
            self.results.add(record)

    def finish(self, session: pytest.Session, exitstatus: int) -> int:
        """Build the evidence, write the configured report files; returns the run's exit status
        (an expired waiver, or waivers over their share of a check family, fail a run that would
        otherwise pass, also in audit mode)."""
        from .writers import REPORT_WRITERS

        state = session.config.stash.get(SESSION, None)
        inventory = state.inventory if state is not None else None
        if self.waivers.entries:  # without waivers no finding is waived: no family is over its share
            from ..waiver_share import excesses

            self.over_share = excesses(self.results.findings(), inventory, self.waivers.max_share)
        if (self.waivers.expired or self.over_share) and exitstatus == pytest.ExitCode.OK:
            exitstatus = pytest.ExitCode.TESTS_FAILED
        written = [(w, path) for w in REPORT_WRITERS if (path := self.settings.get(w.option.name)) is not None]
        if not written and not self._shows_summary():
            return exitstatus  # nothing reads the evidence: a run of other tests with the plugin installed
        from . import evidence

        doc = evidence.build(self, inventory, exitstatus, dt.datetime.now(dt.timezone.utc), sla=bool(written))
        self.evidence = doc
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        for writer, path in written:
            text = writer.render(doc, inventory)
            _write(path, text)
            if writer.step_summary and step_summary:
                with open(step_summary, "a", encoding="utf-8") as out:
                    out.write(text + "\n")
        return exitstatus

    def _shows_summary(self) -> bool:
        return bool(self.results.tests or self.waivers.path)

    def summary_lines(self) -> list[str]:
        """The terminal's `cloudcheck` section: only when there were cloudcheck tests or waivers."""
        if self.evidence is None or not self._shows_summary():
            return []
        from .terminal import lines

        return lines(self.evidence)


def _run_results() -> RunResults:
    # imported here: the options table reads reports/writers.py, and this package must stay light
    from .records import RunResults

    return RunResults()


def check_writable(path: Path | None, setting: str) -> None:
    """When the run starts: a report file that could not be written at its end is a usage error now."""
    if path is None:
        return
    target = path if path.is_absolute() else Path.cwd() / path
    problem = None
    if target.is_dir():
        problem = "is a folder"
    elif target.exists():
        problem = None if os.access(target, os.W_OK) else "is not writable"
    else:
        folder = next((p for p in target.parents if p.exists()), None)
        if folder is None or not folder.is_dir():
            problem = f"cannot be created ({folder} is not a folder)"
        elif not os.access(folder, os.W_OK | os.X_OK):
            problem = f"cannot be created ({folder} is not writable)"
    if problem is not None:
        raise ConfigurationError(f"{setting} {path}: {problem}; give a file path in a folder you can write to")


def _write(path: Path, text: str) -> None:
    target = path if path.is_absolute() else Path.cwd() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
