"""Terraform's built-in function library (and the azapi / azurerm provider functions), one module
per family as Terraform's documentation groups them. Each family lists its functions in a
`FUNCTIONS` table of `Function` rows; `functions.call()` applies the rules every call shares
(unknown and sensitive arguments, errors, gaps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ....model import Ledger


@dataclass(frozen=True)
class Function:
    """One function: its implementation and how Terraform treats its arguments."""

    impl: Callable[..., Any]
    #: takes arguments with unknown parts (it handles UNKNOWN inside collections itself, as
    #: Terraform keeps e.g. the length of a list with unknown elements known)
    partial: bool = False
    #: is called even with an argument that is wholly unknown (`coalesce("x", unknown)` is "x")
    unknown_args: bool = False
    #: its first argument is the `FunctionContext` (files, notes)
    context: bool = False
    #: handles sensitive arguments itself (`sensitive`, `nonsensitive`, `issensitive`)
    marks: bool = False
    #: takes its arguments unevaluated (`try`, `can`, `templatestring`): called by the evaluator
    lazy: bool = False


def fn(impl: Callable[..., Any], **flags: bool) -> Function:
    return Function(impl, **flags)


@dataclass
class FunctionContext:
    """What functions that read files or note gaps need: the root module's folder (Terraform
    resolves relative paths against the directory it runs in) and the coverage ledger that gaps
    (functions not evaluated) go to, with the resource being evaluated when one is."""

    base_dir: Path = field(default_factory=Path.cwd)
    ledger: Ledger = field(default_factory=Ledger)
    #: gaps noted so far (try() / can() never take a fallback because of one)
    gap_count: int = 0
    #: the block being evaluated: (file:line, address, azurerm type)
    location: tuple[str, str | None, str | None] = ("", None, None)

    @contextmanager
    def at(self, where: str, address: str | None, tf_type: str | None) -> Iterator[None]:
        saved = self.location
        self.location = (where, address, tf_type)
        try:
            yield
        finally:
            self.location = saved

    def gap(self, message: str) -> None:
        self.gap_count += 1
        where, address, tf_type = self.location
        self.ledger.record(
            "function",
            where or self.base_dir.name,
            message,
            "its values are read as unknown; check a plan of this root module (--cloudcheck-plan) for them",
            address=address,
            types=(tf_type,) if tf_type else (),
        )

    @property
    def notes(self) -> list[str]:
        return [gap.why for gap in self.ledger if gap.kind == "function"]


def unknown_function(name: str) -> str:
    return f"function {name}() is not implemented: values that use it are unknown"
