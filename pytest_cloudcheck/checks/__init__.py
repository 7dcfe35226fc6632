"""Checks: plain functions over an Inventory that return Findings (empty when compliant).

from pytest_cloudcheck import checks
assert not checks.cmk(cloud)

The functions are listed once, in `checks/registry.py`; each is imported when first used, so
importing this package (and the plugin) costs nothing until a check runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .registry import BY_NAME, FAMILIES

if TYPE_CHECKING:
    from ..model import Findings, Inventory

    #: every rule family by name (the baseline and the reports iterate this); `unclassified` and
    #: `unmanaged` report coverage and drift, not rules of the landing zone, and are not in it
    ALL: dict[str, Callable[[Inventory], Findings]]

__all__ = ["ALL", *BY_NAME]


def __getattr__(name: str) -> Callable[[Inventory], Findings]:
    # PEP 562: `checks.cmk` imports its module on first use and is cached in the package's namespace
    if name == "ALL":
        globals()["ALL"] = {f.name: f.function for f in FAMILIES if f.rule}
        return globals()["ALL"]  # type: ignore[no-any-return]
    if name not in BY_NAME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    function = globals()[name] = BY_NAME[name].function
    return function


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
