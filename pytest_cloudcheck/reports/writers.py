"""The one registry of report writers: each row is a report file's option and its renderer.

`Reporting.finish` writes every configured report from the one evidence document through this
table, and the plugin registers the options from it, so a new format is its module plus one row.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..option import Option

if TYPE_CHECKING:
    from ..model import Inventory


class ReportWriter(NamedTuple):
    #: the option naming the file (`--cloudcheck-<name>` / `cloudcheck_<name>`)
    option: Option
    #: `module:function` rendering (evidence document, inventory or None) to the file's text
    renderer: str
    #: also appended to $GITHUB_STEP_SUMMARY when that is set (GitHub Actions' job summary)
    step_summary: bool = False

    def render(self, doc: dict[str, Any], inventory: Inventory | None) -> str:
        module, _, function = self.renderer.partition(":")
        render: Callable[[dict[str, Any], Inventory | None], str] = getattr(importlib.import_module(module), function)
        return render(doc, inventory)


REPORT_WRITERS: tuple[ReportWriter, ...] = (
    ReportWriter(
        Option("report", "write the JSON evidence report to PATH", kind="path", metavar="PATH"),
        "pytest_cloudcheck.reports.evidence:dumps",
    ),
    ReportWriter(
        Option("sarif", "write a SARIF 2.1.0 report to PATH", kind="path", metavar="PATH"),
        "pytest_cloudcheck.reports.sarif:dumps",
    ),
    ReportWriter(
        Option(
            "markdown",
            "write a Markdown summary to PATH (also appended to $GITHUB_STEP_SUMMARY when that is set)",
            kind="path",
            metavar="PATH",
        ),
        "pytest_cloudcheck.reports.markdown:write",
        step_summary=True,
    ),
)
