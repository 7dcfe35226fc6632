"""Generate docs/reference.md from the code, so the reference cannot drift from it.

    python -m pytest_cloudcheck.docgen > docs/reference.md

Sources: options.py `OPTIONS` (command line and ini), session.py `MARKERS`, the fixtures' docstrings,
the check families' check-id tables, controls.py `DEFAULT_CONTROLS`, outcomes.py `OUTCOMES`.
`tests/test_docs.py` fails when the committed file differs from this output.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"

#: fixture name -> what it is (the docstrings say the rest)
FIXTURE_NAMES = ("cloud", "resource", "topology", "cloudcheck_inventory", "cloudcheck_credential")

OUTCOME_MEANING = {
    "passed": "the test passed",
    "failed": "a failed assertion (a finding) in deny mode",
    "audit": "`AUDIT` / `A`: a finding in audit mode (`--cloudcheck-mode audit` or `@pytest.mark.audit`); "
    "does not fail the run",
    "waived": "`WAIVED` / `W`: every finding of the test is covered by an unexpired waiver; does not fail the run",
    "skipped": "skipped (no matching resources, source kind not configured, ...)",
    "error": "anything that is not a finding: setup or teardown errors, exceptions other than AssertionError, "
    "a source that failed to load; fails in every mode",
}


def _check_families() -> list[tuple[str, str, list[str], str]]:
    """(family, function, check ids, docs page) for each built-in family."""
    # by module path: `checks.cmk` is also the name of the check function
    backups, cmk, isolation, topology = (
        importlib.import_module(f"{__package__}.checks.{name}") for name in ("backups", "cmk", "isolation", "topology")
    )
    cmk_rules = importlib.import_module(f"{__package__}.rules.cmk")

    families: list[tuple[str, str, Callable[[], list[str]], str]] = [
        (
            "CMK",
            "checks.cmk",
            lambda: [*dict.fromkeys(r.check for r in cmk_rules.RULES), *cmk.KEY_CHECK_IDS, cmk.NOT_ASSESSED],
            "cmk.md",
        ),
        ("No infrastructure backups", "checks.no_infra_backups", lambda: list(backups.CHECK_IDS), "backups.md"),
        ("NonProd isolation", "checks.nonprod_isolation", lambda: list(isolation.CHECK_IDS), "isolation.md"),
        ("Environments", "checks.unclassified", lambda: ["environment.unclassified"], "environments.md"),
        ("Hub and spoke", "checks.hub_and_spoke", lambda: list(topology.CHECK_IDS), "topology.md"),
        ("Drift (state vs live)", "checks.unmanaged", lambda: ["drift.unmanaged", "drift.missing"], "drift.md"),
    ]
    return [(name, function, ids(), page) for name, function, ids, page in families]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _options() -> list[str]:
    from .options import OPTIONS

    lines = [
        "## Options and ini keys",
        "",
        "Every option `--cloudcheck-<name>` has an ini twin `cloudcheck_<name>` (pytest.ini, tox.ini, setup.cfg or "
        "`[tool.pytest.ini_options]` in pyproject.toml); the command line wins. Ini-only settings have no option.",
        "",
        "| option | ini key | value | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for o in OPTIONS:
        flag = f"`{o.flag}`" if o.cli else "(ini only)"
        value = "|".join(o.choices) if o.choices else (o.metavar or o.kind)
        default = f"`{o.default}`" if o.default else ""
        lines.append(f"| {flag} | `{o.ini}` | {_cell(value)} | {default} | {_cell(o.help)} |")
    return [*lines, ""]


def _markers() -> list[str]:
    from .session import MARKERS

    lines = ["## Markers", "", "| marker | meaning |", "|---|---|"]
    for description in MARKERS.values():
        signature, _, meaning = description.partition(": ")
        lines.append(f"| `@pytest.mark.{signature}` | {_cell(meaning)} |")
    return [*lines, ""]


def _fixtures() -> list[str]:
    from . import fixtures

    lines = ["## Fixtures", "", "| fixture | what it gives |", "|---|---|"]
    for name in FIXTURE_NAMES:
        definition = getattr(fixtures, name, None)
        if definition is None:
            continue
        doc = (definition.__doc__ or "").strip().split("\n\n")[0]
        lines.append(f"| `{name}` | {_cell(doc)} |")
    return [*lines, ""]


def _checks() -> list[str]:
    from .controls import controls_for_check

    lines = [
        "## Check ids",
        "",
        "Each check is a plain function over an inventory returning findings (`from pytest_cloudcheck import "
        "checks`; `assert not checks.cmk(cloud)`); the baseline (`pytest --pyargs pytest_cloudcheck.baseline`) "
        "runs one test per check id. Waivers name these ids (globs allowed); a failing plain `assert` is one "
        "finding whose check id is the test function's name. Default controls come from the id's prefix "
        "(`pytest_cloudcheck/controls.py`); `@pytest.mark.control` adds more.",
        "",
    ]
    for name, function, ids, page in _check_families():
        more = f" ([details]({page}))" if (DOCS / page).exists() else ""
        lines += [f"### {name}: `{function}`{more}", "", "| check id | default controls |", "|---|---|"]
        lines += [f"| `{check}` | {', '.join(controls_for_check(check)) or '-'} |" for check in ids]
        lines.append("")
    return lines


def _outcomes() -> list[str]:
    from .outcomes import OUTCOMES

    lines = ["## Outcomes", "", "| outcome | meaning |", "|---|---|"]
    lines += [f"| `{o}` | {OUTCOME_MEANING[o]} |" for o in OUTCOMES]
    return [*lines, ""]


def reference() -> str:
    lines = [
        "# Reference",
        "",
        "<!-- Generated by pytest_cloudcheck/docgen.py; do not edit by hand. Regenerate with:",
        "     python -m pytest_cloudcheck.docgen > docs/reference.md -->",
        "",
        "See also: [getting started](getting-started.md), [CI recipes](ci-recipes.md), [evidence report](evidence.md), "
        "[live attribute names](live.md).",
        "",
        *_options(),
        *_markers(),
        *_fixtures(),
        *_outcomes(),
        *_checks(),
    ]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(reference(), end="")
