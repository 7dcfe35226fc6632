"""Placeholder until issue 3 lands: calling it is an error, never a silent pass."""

from __future__ import annotations

from ..model import Findings, Inventory


def cmk(inventory: Inventory) -> Findings:
    raise NotImplementedError("checks.cmk lands with issue 3")
