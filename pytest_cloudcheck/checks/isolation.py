"""Placeholder until issue 4 lands: calling it is an error, never a silent pass."""

from __future__ import annotations

from ..model import Findings, Inventory


def nonprod_isolation(inventory: Inventory) -> Findings:
    raise NotImplementedError("checks.nonprod_isolation lands with issue 4")
