"""Sources turn their input into Resources; `build_inventory` joins them into one Inventory."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import SourceError
from ..model import Inventory
from ..settings import Settings
from .loaded import LoadedSource
from .plan import load_plan_file, plan_files

__all__ = ["LoadedSource", "build_inventory", "load_sources"]


def _load_plans(settings: Settings) -> list[LoadedSource]:
    files: list[Path] = []
    for path in settings.plan:
        files.extend(plan_files(path))
    labels = _labels(files)
    return [load_plan_file(f, label) for f, label in zip(files, labels, strict=True)]


def _labels(files: list[Path]) -> list[str]:
    """File stems, widened with parent folders where two files share a stem."""
    labels = [f.stem for f in files]
    depth = 1
    while len(set(labels)) < len(labels) and depth < 8:
        counts = Counter(labels)
        labels = [
            "/".join([*f.parent.parts[-depth:], f.stem]) if counts[label] > 1 else label
            for f, label in zip(files, labels, strict=True)
        ]
        depth += 1
    return labels


def _load_hcl(settings: Settings) -> list[LoadedSource]:
    from .hcl import load_hcl  # imported only when Terraform source is read

    return load_hcl(settings)


def _load_live(settings: Settings) -> list[LoadedSource]:
    from .live import load_live  # imported only in live mode (it brings in the Azure SDK)

    return load_live(settings)


#: source kind -> loader; each loader reads what `settings` configures for it
LOADERS: dict[str, Callable[[Settings], list[LoadedSource]]] = {
    "plan": _load_plans,
    "hcl": _load_hcl,
    "live": _load_live,
}


def load_sources(settings: Settings) -> list[LoadedSource]:
    loaded: list[LoadedSource] = []
    for kind in ("plan", "hcl", "live"):
        if kind in settings.source_kinds:
            loaded.extend(LOADERS[kind](settings))
    return loaded


def build_inventory(settings: Settings) -> Inventory:
    """Load every configured source into one Inventory; raises SourceError on bad input."""
    with _collector_paused():
        return _build_inventory(settings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading, then freeze what was loaded.

    Parsed JSON holds no reference cycles, yet every collection during the load walks all of it:
    on big plans that is most of the load time. Afterwards `gc.freeze()` moves the inventory out of
    the collector's view, so later collections during the test run do not walk it either (plain
    reference counting still frees whatever is dropped).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def _build_inventory(settings: Settings) -> Inventory:
    loaded = load_sources(settings)
    for source in loaded:
        # a live scope that could not be read is reported (notes), not an empty source
        if not source.resources and not settings.allow_empty and not (source.info.kind == "live" and source.info.notes):
            raise SourceError(
                source.info.location,
                "yields zero managed resources; if that is expected set cloudcheck_allow_empty = true "
                "(or --cloudcheck-allow-empty)",
            )
    _make_addresses_unique(loaded)
    inventory = Inventory(
        [r for s in loaded for r in s.resources],
        data_sources=[r for s in loaded for r in s.data_sources],
        destroyed=[r for s in loaded for r in s.destroyed],
        sources=[s.info for s in loaded],
        settings=settings,
    )
    from ..environments import classify

    classify(inventory)
    return inventory


def _make_addresses_unique(loaded: list[LoadedSource]) -> None:
    """An address found in several sources is prefixed with its source's label (`hub:azurerm_x.y`)."""
    if len(loaded) < 2:
        return
    counts: Counter[str] = Counter()
    for source in loaded:
        counts.update({r.address for r in (*source.resources, *source.data_sources)})
    for source in loaded:
        for r in (*source.resources, *source.data_sources, *source.destroyed):
            if counts[r.address] > 1:
                r.address = f"{source.info.label}:{r.address}"
