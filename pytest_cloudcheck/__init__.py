"""pytest-cloudcheck: infrastructure tests for Azure on Terraform plans, Terraform source and live Azure.

The public names load on first use (PEP 562): pytest imports this package with the plugin in every
run, also in projects that never use it, and that must cost next to nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import checks as checks
    from .errors import CloudcheckError as CloudcheckError
    from .errors import CloudcheckWarning as CloudcheckWarning
    from .errors import ConfigurationError as ConfigurationError
    from .errors import SourceError as SourceError
    from .errors import UnknownResourceType as UnknownResourceType
    from .model import SENSITIVE as SENSITIVE
    from .model import UNKNOWN as UNKNOWN
    from .model import Finding as Finding
    from .model import Findings as Findings
    from .model import Inventory as Inventory
    from .model import Origin as Origin
    from .model import Resource as Resource
    from .model import SourceInfo as SourceInfo
    from .model import lookup as lookup

__version__ = "0.1.0"

#: public name -> the module that defines it
_HOMES: dict[str, str] = {
    "checks": ".checks",
    **dict.fromkeys(
        ("CloudcheckError", "CloudcheckWarning", "ConfigurationError", "SourceError", "UnknownResourceType"), ".errors"
    ),
    **dict.fromkeys(
        ("SENSITIVE", "UNKNOWN", "Finding", "Findings", "Inventory", "Origin", "Resource", "SourceInfo", "lookup"),
        ".model",
    ),
}

__all__ = sorted([*_HOMES, "__version__"])


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(home, __name__)
    value = module if name == "checks" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
