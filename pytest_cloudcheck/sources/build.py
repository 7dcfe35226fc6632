"""`build_inventory`: load every configured source (sources/kinds.py) and join them into one Inventory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..collector import collector_paused
from ..errors import SourceError
from ..model import Inventory
from ..settings import Settings
from .kinds import SOURCE_KINDS
from .loaded import LoadedSource


def load_sources(settings: Settings) -> list[LoadedSource]:
    """Every configured source, in the order of the source-kind table."""
    return [source for kind in SOURCE_KINDS if kind.name in settings.source_kinds for source in kind.load(settings)]


def build_inventory(
    settings: Settings,
    *,
    loaded: list[LoadedSource] | None = None,
    on_loaded: Callable[[list[LoadedSource]], None] | None = None,
) -> Inventory:
    """Load every configured source into one Inventory; raises SourceError on bad input.

    `loaded`: sources loaded before (an xdist worker gets its controller's); `on_loaded` sees the
    sources as loaded, before they are joined (the session writes snapshots there).
    """
    # the inventory lives until the process ends: frozen, the test run's collections skip it
    with collector_paused(freeze=True):
        return _build_inventory(settings, loaded, on_loaded)


def _build_inventory(
    settings: Settings,
    loaded: list[LoadedSource] | None,
    on_loaded: Callable[[list[LoadedSource]], None] | None,
) -> Inventory:
    if loaded is None:
        loaded = load_sources(settings)
    if on_loaded is not None:
        on_loaded(loaded)
    for source in loaded:
        # a scope that could not be read is in the ledger (and reported), not an empty source
        if not source.resources and not settings.allow_empty and not source.info.ledger:
            raise SourceError(
                source.info.location,
                "yields zero managed resources; if that is expected set cloudcheck_allow_empty = true "
                "(or --cloudcheck-allow-empty)",
            )
        if source.resources and not settings.allow_empty and not any(_is_azure(r.type) for r in source.resources):
            # only terraform_data, AWS, ...: every Azure check would pass on nothing
            others = sorted({r.type for r in source.resources})
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise SourceError(
                source.info.location,
                f"holds no Azure resources ({len(source.resources)} of other types: {shown}); point cloudcheck at "
                "an Azure configuration, or set cloudcheck_allow_empty = true if that is expected",
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


#: type prefixes of Azure resources (azapi resources are mapped to azurerm types where known)
_AZURE_PREFIXES = ("azurerm_", "azapi_", "azuread_")


def _is_azure(tf_type: str) -> bool:
    return tf_type.startswith(_AZURE_PREFIXES)


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
