"""The baseline's findings under pytest-xdist: worked out once, by the controller, read by the workers.

The controller loads and classifies the inventory before any worker starts. Had every worker then
read it (the handoff) and computed its families again, `-n 2` would cost twice a serial run. Instead
the controller computes each baseline family that runs, once, into a file of its own, and a worker's
baseline case reads its family's file: a worker that runs only baseline cases never loads the
inventory. Forked helpers sharing the controller's memory were tried and measured slower: their
reads dirty the shared pages (reference counts), and copying them cost more than the parallel work
bought on a 2-core machine.

- While the workers start, the controller computes the families it expects (`expected`: every
  baseline family, narrowed by `-k` where that names test functions); once a worker's collection
  is known it computes whatever else a collected case needs, before any test is sent.
- A family it did not write (not expected, not collected, or raising here) has no file: the worker
  computes it itself, from the handoff or from the sources, and meets the same problem there.
  Never a silent pass.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .collector import collector_paused

if TYPE_CHECKING:
    from .model import Findings, Inventory

_DAMAGED = (pickle.UnpicklingError, EOFError, ValueError, KeyError, IndexError, ImportError, AttributeError)


@dataclass
class Served:
    """The controller's side: one file per baseline family, written once."""

    directory: Path
    families: Sequence[str]
    written: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, families: Sequence[str]) -> Served:
        return cls(Path(tempfile.mkdtemp(prefix="cloudcheck-served-")), families)

    def path(self, family: str) -> Path:
        return self.directory / f"{family}.findings"

    def worker_input(self) -> dict[str, str]:
        """Every family's file, for a worker's `workerinput` (absent until written)."""
        return {family: str(self.path(family)) for family in self.families}

    def compute(self, inventory: Inventory, families: Iterable[str]) -> None:
        """Work out `families` not written yet, each into its file (whole, or not there)."""
        from .checks.registry import BY_NAME

        for name in families:
            if name in self.written or name not in self.families:
                continue
            self.written.add(name)
            try:
                with collector_paused(freeze=True):  # what survives: facts cached on the inventory
                    findings = list(BY_NAME[name].function(inventory))
                    data = pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # the worker computes it again and meets the same problem in its test
                continue
            partial = self.path(name).with_suffix(".partial")
            partial.write_bytes(data)
            os.replace(partial, self.path(name))

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def names_baseline(arg: str) -> bool:
    """A run argument naming the baseline (`--pyargs pytest_cloudcheck.baseline`, or its path)."""
    return "pytest_cloudcheck" in arg and "baseline" in arg


def expected(families: dict[str, str], args: Sequence[str], keyword: str, markers: str) -> list[str]:
    """The families (name -> its test function) worth computing before the workers' collection is
    known: none unless the run's arguments name the baseline; with `-k`, those whose test function
    the expression selects by name (one it selects otherwise is computed once the collection shows
    it); none with `-m`."""
    if markers or not any(names_baseline(str(arg)) for arg in args):
        return []
    if not keyword:
        return list(families)
    try:  # pytest's own `-k` grammar (private: any surprise means "compute once collected")
        from _pytest.mark.expression import Expression

        expression = Expression.compile(keyword)
    except Exception:
        return []
    return [family for family, function in families.items() if expression.evaluate(_NameMatcher(function))]


class _NameMatcher:
    """`-k` matching against a test function's name only (case-insensitive substring, as pytest)."""

    def __init__(self, name: str) -> None:
        self._name = name.lower()

    def __call__(self, subname: str, /, **kwargs: Any) -> bool:
        return not kwargs and subname.lower() in self._name


def served_findings(path: str | None) -> Findings | None:
    """A family's findings as the controller wrote them; None when it did not (compute them)."""
    if not path:
        return None
    from .model import Findings

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    try:
        with collector_paused(freeze=True):  # kept until the run ends, like the inventory
            return Findings(pickle.loads(data))  # written by this run's controller
    except _DAMAGED:
        return None
