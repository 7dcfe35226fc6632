"""Environment classification: every resource gets "prod", "nonprod" or None (never guessed)."""

from __future__ import annotations

from .model import Inventory
from .settings import Settings

DEFAULT_TAG = "environment"
PROD_VALUES = frozenset({"p", "prd", "prod", "production"})
NONPROD_VALUES = frozenset({"o", "t", "a", "dev", "tst", "test", "acc", "acceptance", "nonprod"})


def classify(inventory: Inventory, settings: Settings) -> None:
    """Set `Resource.environment` from the environment tag."""
    for r in inventory:
        tags = r.tags
        if not isinstance(tags, dict):
            continue
        value = tags.get(DEFAULT_TAG)
        if not isinstance(value, str):
            continue
        value = value.strip().lower()
        if value in PROD_VALUES:
            r.environment = "prod"
        elif value in NONPROD_VALUES:
            r.environment = "nonprod"
