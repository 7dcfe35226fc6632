"""Placeholder until issue 4 lands: calling it is an error, never a silent pass."""

from __future__ import annotations

from ..model import Findings, Inventory


def no_infra_backups(inventory: Inventory) -> Findings:
    raise NotImplementedError("checks.no_infra_backups lands with issue 4")
