"""Per-run state the pytest hooks share: settings, the inventory (loaded once), marker parsing.

Plain Python: the hooks in plugin.py stay thin and call into this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .controls import control_marker
from .errors import CloudcheckError, ConfigurationError
from .settings import Settings
from .sources.kinds import NAMES as SOURCE_KINDS
from .sources.kinds import SOURCE_KINDS as SOURCE_KIND_ROWS

if TYPE_CHECKING:
    from .asserted import Sink
    from .model import Inventory
    from .sources.loaded import LoadedSource

ENVIRONMENTS = ("prod", "nonprod", "shared")  # "shared" only when configured (environments.py)
FIXTURES = frozenset({"cloud", "resource", "topology", "cloudcheck_inventory"})

MARKERS = {
    "resources": "resources(*types, env=None): run the test once per resource of these types (azurerm or "
    "ARM names); the `resource` fixture holds it, the test id is its address",
    "environment": 'environment(env): the test sees only resources of this environment ("prod" or "nonprod"; '
    '"shared" when cloudcheck_shared is configured)',
    "source": 'source(kind): run only when a source of this kind ("plan", "hcl" or "live") is configured',
    "audit": "audit: this test's failed assertions are findings reported as AUDIT; they never fail the run",
    "control": 'control(*ids): the controls this test gives evidence for, e.g. control("BIO U.05.2")',
}


# -- marker signatures: called with the marker's arguments, so a typo is a usage error ----------
def _resources_marker(*types: str, env: str | None = None) -> tuple[tuple[str, ...], str | None]:
    if not types:
        raise TypeError("give at least one resource type")
    return types, env


def _environment_marker(env: str) -> str:
    return env


def _source_marker(kind: str) -> str:
    return kind


def _audit_marker() -> None:
    return None


_SIGNATURES: dict[str, Callable[..., Any]] = {
    "resources": _resources_marker,
    "environment": _environment_marker,
    "source": _source_marker,
    "audit": _audit_marker,
    "control": control_marker,
}


def parse_marker(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any], where: str) -> Any:
    try:
        value = _SIGNATURES[name](*args, **kwargs)
    except TypeError as exc:
        raise ConfigurationError(f"{where}: bad @pytest.mark.{MARKERS[name].split(':')[0]}: {exc}") from None
    envs = [value] if name == "environment" else [value[1]] if name == "resources" else []
    for env in envs:
        if env is not None and env not in ENVIRONMENTS:
            raise ConfigurationError(f"{where}: environment must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    if name == "source" and value not in SOURCE_KINDS:
        raise ConfigurationError(f"{where}: source must be one of {', '.join(SOURCE_KINDS)}, got {value!r}")
    return value


@dataclass
class CloudcheckSession:
    settings: Settings
    inventory: Inventory | None = None
    error: CloudcheckError | None = None
    #: findings asserted per test node id (filled during the run, read by reports)
    asserted: dict[str, Sink] = field(default_factory=dict)
    #: an xdist worker: the controller's loaded sources (read instead of the sources themselves)
    handoff_in: Path | None = None
    #: the xdist controller: hand the loaded sources to the workers (written to `handoff_out`)
    hand_off: bool = False
    handoff_out: Path | None = None

    def load(self) -> Inventory | None:
        """Load every configured source once; remembers (and re-raises) a failure.

        Under pytest-xdist the controller loads and hands its loaded sources to the workers (one
        read of Azure per run, the same inventory in every worker); a worker builds from those.
        """
        if self.inventory is not None or not self.settings.has_source:
            return self.inventory
        if self.error is not None:
            raise self.error
        from .sources import build_inventory

        try:
            if self.handoff_in is not None:
                from .sources.snapshot import read_handoff

                self.inventory = build_inventory(self.settings, loaded=read_handoff(self.handoff_in))
            else:
                written: list[dict[str, Any]] = []
                self.inventory = build_inventory(self.settings, on_loaded=lambda loaded: self._loaded(loaded, written))
                self.inventory.context.snapshot = written[0] if written else None
        except CloudcheckError as exc:
            self.error = exc
            raise
        return self.inventory

    def _loaded(self, loaded: list[LoadedSource], written: list[dict[str, Any]]) -> None:
        """The sources as loaded: write the snapshot (`--cloudcheck-snapshot`) and the workers' handoff."""
        from .sources import snapshot

        path = self.settings.get("snapshot")
        if path:
            written.append(snapshot.write_snapshot(Path(path), loaded, request_counts(self.settings)))
        if self.hand_off:
            self.handoff_out = snapshot.try_handoff(loaded)

    def require_inventory(self) -> Inventory:
        inventory = self.load()
        if inventory is None:
            raise ConfigurationError(no_source_message())
        return inventory


def request_counts(settings: Settings) -> dict[str, int]:
    """Requests the run's live reads took (empty without live Azure)."""
    if "live" not in settings.source_kinds:
        return {}
    from .sources.live import LAST

    return {k: int(v) for k, v in asdict(LAST).items()}


def no_source_message() -> str:
    """The usage error of a run that reads cloudcheck fixtures without a source, naming every source
    kind's options (from sources/kinds.py)."""
    flags = [
        f"{option.flag} {option.metavar or ''}".strip()
        for kind in SOURCE_KIND_ROWS
        for option in kind.options
        if option.cli and option.name in kind.configured_by
    ]
    first = SOURCE_KIND_ROWS[0].options[0].ini
    return (
        f"no cloudcheck source configured: pass {', '.join(flags[:-1])} or {flags[-1]}, or set {first} in your ini file"
    )
