"""Repeated findings as one group: the same check, outcome, waiver and message but for the names in it.

82 resources of an untagged plan that each have "no environment" read as one line with a count and
the list of addresses behind it. The key replaces every name-like part of the message (quoted names;
addresses, types, ids, CIDRs, names with digits: a word holding `.`, `_`, `/`, `[`, `:`, `-` or a
digit) with a placeholder, so two findings that differ only in what they are about fall into one
group; plain words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"'[^']*'|[^\s,;()]*[._/\[:\-0-9][^\s,;()]*")


@dataclass(frozen=True)
class Group:
    """Findings that say the same thing about different resources (first one as the example)."""

    findings: tuple[dict[str, Any], ...]

    @property
    def first(self) -> dict[str, Any]:
        return self.findings[0]

    @property
    def addresses(self) -> list[str]:
        return [f["address"] or "(test)" for f in self.findings]

    def __len__(self) -> int:
        return len(self.findings)


def shape(message: str) -> str:
    """The message with its names replaced: the part that repeats."""
    return _NAME.sub("…", message)


def group(findings: list[dict[str, Any]]) -> list[Group]:
    """Findings in groups, in the order of each group's first finding."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for f in findings:
        waiver = (f.get("waiver") or {}).get("number")
        key = (f["check"], f["outcome"], f["kind"], waiver, shape(f["message"]))
        groups.setdefault(key, []).append(f)
    return [Group(tuple(members)) for members in groups.values()]
