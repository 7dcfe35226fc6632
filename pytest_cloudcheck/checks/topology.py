"""Placeholder until issue 5 lands: calling it is an error, never a silent pass."""

from __future__ import annotations

from ..model import Findings, Inventory


def hub_and_spoke(inventory: Inventory) -> Findings:
    raise NotImplementedError("checks.hub_and_spoke lands with issue 5")
