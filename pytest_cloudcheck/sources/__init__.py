"""Sources turn their input into Resources; `build_inventory` joins them into one Inventory.

The kinds of source are listed once, in `kinds.py`. This package imports nothing until a name is
used (PEP 562), so the plugin can read the table without loading any source.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import build_inventory, load_sources
    from .loaded import LoadedSource

__all__ = ["LoadedSource", "build_inventory", "load_sources"]

_HOMES = {"build_inventory": ".build", "load_sources": ".build", "LoadedSource": ".loaded"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value
