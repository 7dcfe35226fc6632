"""Per-run state the pytest hooks share: settings, the inventory (loaded once), marker parsing.

Plain Python: the hooks in plugin.py stay thin and call into this.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .controls import control_marker
from .errors import CloudcheckError, ConfigurationError
from .settings import Settings
from .sources.kinds import NAMES as SOURCE_KINDS
from .sources.kinds import SOURCE_KINDS as SOURCE_KIND_ROWS

if TYPE_CHECKING:
    from .asserted import Sink
    from .checks.registry import CheckFamily
    from .model import Inventory
    from .served import Served
    from .sources.handoff import Handoff
    from .sources.loaded import LoadedSource
    from .summary import Ahead

ENVIRONMENTS = ("prod", "nonprod", "shared")  # "shared" only when configured (environments.py)
FIXTURES = frozenset({"cloud", "resource", "topology", "cloudcheck_inventory"})
#: the fixtures that read a source: ours, and the baseline's findings
NEEDS_SOURCE = FIXTURES | {"baseline_findings"}

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
    """The marker's value; a ConfigurationError worded in the marker's terms (its documented
    signature, the argument it most likely means), never in those of the function checking it."""
    signature = MARKERS[name].split(":")[0]
    problems = _binding_problems(_SIGNATURES[name], args, kwargs)
    if problems:
        raise ConfigurationError(f"{where}: @pytest.mark.{signature}: {'; '.join(problems)}")
    try:
        value = _SIGNATURES[name](*args, **kwargs)
    except TypeError as exc:  # our own checks of the values (worded for the user)
        raise ConfigurationError(f"{where}: @pytest.mark.{signature}: {exc}") from None
    envs = [value] if name == "environment" else [value[1]] if name == "resources" else []
    for env in envs:
        if env is not None and env not in ENVIRONMENTS:
            raise ConfigurationError(
                f"{where}: environment must be one of {', '.join(ENVIRONMENTS)}, got {_meant(env, ENVIRONMENTS)}"
            )
    if name == "source" and value not in SOURCE_KINDS:
        raise ConfigurationError(
            f"{where}: source must be one of {', '.join(SOURCE_KINDS)}, got {_meant(value, SOURCE_KINDS)}"
        )
    return value


def _meant(value: Any, choices: Iterable[str]) -> str:
    """`value` quoted, with the closest choice: "'prd' (did you mean 'prod'?)"."""
    close = difflib.get_close_matches(value, list(choices), n=1) if isinstance(value, str) else []
    return repr(value) + (f" (did you mean {close[0]!r}?)" if close else "")


def _closest_name(name: str, names: list[str]) -> str:
    """ " (did you mean env?)" for `envs` or `environment`; "" when nothing is close."""
    close = difflib.get_close_matches(name, names, n=1) or [
        n for n in names if name.startswith(n) or n.startswith(name)
    ]
    return f" (did you mean {close[0]}?)" if close else ""


@functools.cache
def _parameters(function: Callable[..., Any]) -> Mapping[str, inspect.Parameter]:
    return inspect.signature(function).parameters  # the marker signatures above: read once a run


def _binding_problems(function: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> list[str]:
    """What is wrong with a marker's arguments against its signature, in its own words."""
    params = _parameters(function)
    named = [p.name for p in params.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    positional = [p for p in params.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    problems = [f"no argument {k}{_closest_name(k, named)}" for k in kwargs if k not in named]
    star = any(p.kind is p.VAR_POSITIONAL for p in params.values())
    if not star and len(args) > len(positional):
        takes = f"{len(positional)} argument(s)" if positional else "no arguments"
        problems.append(f"takes {takes}, got {len(args)}")
    given = {p.name for p in positional[: len(args)]} | set(kwargs)
    missing = [p.name for p in params.values() if p.name in named and p.default is p.empty and p.name not in given]
    problems += [f"needs {m}" for m in missing]
    return problems


#: the markers whose arguments usage_errors checks, in the order it reports them
_CHECKED = ("resources", "environment", "source", "control", "audit")


def usage_errors(state: CloudcheckSession, items: list[pytest.Item]) -> list[str]:
    """Every marker and fixture misuse of the collected tests (a skip for a source not configured
    is added on the way); each error once, naming its test."""
    # a replayed snapshot's sources keep their kind: source("live") runs on a replayed live inventory
    configured = state.settings.source_kinds
    kinds = configured | {s.kind for s in (state.inventory.sources if state.inventory else ())}
    errors: list[str] = []
    no_source: list[str] = []
    for item in items:
        marks = [m for m in item.iter_markers() if m.name in _CHECKED]  # one walk of the node's chain
        for name in _CHECKED:
            for marker in (m for m in marks if m.name == name):
                try:
                    _check_marker(item, name, marker, state, kinds)
                except ConfigurationError as exc:
                    errors.append(str(exc))
        if not NEEDS_SOURCE.intersection(getattr(item, "fixturenames", ())):
            continue
        from .fixtures import conflicting_fixture

        conflict = conflicting_fixture(item, FIXTURES)
        if conflict is not None:
            errors.append(conflict)
        if not configured:
            no_source.append(item.nodeid)
        if "resource" in getattr(item, "fixturenames", ()) and item.get_closest_marker("resources") is None:
            errors.append(f"{item.nodeid}: the `resource` fixture needs @pytest.mark.resources(*types)")
    if no_source:
        errors.append(f"{_tests(no_source)} uses cloudcheck fixtures but {no_source_message()}")
    topology_tests = [item.nodeid for item in items if "topology" in getattr(item, "fixturenames", ())]
    if topology_tests and state.inventory is not None:
        problem = _hub_problem(state.inventory)
        if problem is not None:
            errors.append(f"{_tests(topology_tests)} uses the `topology` fixture, but {problem}")
    return list(dict.fromkeys(errors))


def _tests(nodeids: list[str]) -> str:
    return nodeids[0] + (f" (and {len(nodeids) - 1} more tests)" if len(nodeids) > 1 else "")


def _hub_problem(inventory: Inventory) -> str | None:
    """Why the `topology` fixture cannot be built: the hub is ambiguous, or cloudcheck_hub names no
    VNet (said once at collection, not as an error of every test using it)."""
    from .topology import topology_of

    try:
        topo = topology_of(inventory)
    except ConfigurationError as exc:  # cloudcheck_hub names no VNet of the inventory
        return str(exc)
    # no hub at all is no error: `topology.hub` is None and the hub rules say not assessed
    return topo.hub_problem or None


def _check_marker(item: pytest.Item, name: str, marker: pytest.Mark, state: CloudcheckSession, kinds: set[str]) -> None:
    where = item.nodeid
    value = parse_marker(name, marker.args, marker.kwargs, where)
    if name in ("environment", "resources"):
        from .environments import check_marker_environment

        check_marker_environment(value if name == "environment" else value[1], state.inventory, where)
    if name == "resources":
        from .azure_types import resolve_types

        extra = state.inventory.types if state.inventory is not None else ()
        try:
            resolve_types(value[0], extra_known=extra)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{where}: {exc}") from None
    if name == "source" and value not in kinds:
        from .sources.kinds import why_not_loaded

        item.add_marker(pytest.mark.skip(reason=why_not_loaded(value, state.settings.get)))


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
    handoff_out: Handoff | None = None
    #: the xdist controller: the terminal summary's facts, worked out while the workers run
    summary_ahead: Ahead | None = None
    #: the xdist controller: the baseline's findings, worked out once for the workers (served.py),
    #: the families expected before the workers' collection is known, and whether the run's
    #: arguments name nothing but the baseline
    served: Served | None = None
    expected: list[str] = field(default_factory=list)
    baseline_only: bool = False
    #: an xdist worker: the files its controller wrote each family's findings to, and the
    #: baseline's check ids (the worker loads the inventory only when a test needs it)
    served_in: dict[str, str] | None = None
    check_ids_in: dict[str, list[str]] | None = None

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
                self.inventory = build_inventory(self.settings, loaded=_handed_over(self.handoff_in))
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
        path = self.settings.get("snapshot")
        if path:
            from .sources import snapshot  # with the handoff's pickling: only when a snapshot is written

            written.append(snapshot.write_snapshot(Path(path), loaded, request_counts(self.settings)))
        if self.hand_off:
            from .sources.handoff import skip_handoff, start_handoff

            # a run of the baseline alone reads the served findings (served.py), not the inventory;
            # live Azure is handed over whatever happens: it is read once per run
            only_baseline = self.baseline_only and "live" not in self.settings.source_kinds
            self.handoff_out = skip_handoff() if only_baseline else start_handoff(loaded)

    def select(self, nodeids: list[str]) -> None:
        """The xdist controller, once a worker collected: work out what its baseline cases read."""
        if self.served is None or self.inventory is None:
            return
        from .distribute import baseline_family

        self.served.compute(self.inventory, dict.fromkeys(f for f in map(baseline_family, nodeids) if f))

    def baseline_ids(self, family: CheckFamily) -> Sequence[str]:
        """The ids the baseline runs for `family` (a served worker has them from its controller)."""
        if self.check_ids_in is not None and family.name in self.check_ids_in:
            return self.check_ids_in[family.name]
        return family.check_ids_for(self.inventory)

    def require_inventory(self) -> Inventory:
        inventory = self.load()
        if inventory is None:
            raise ConfigurationError(no_source_message())
        return inventory


def _handed_over(path: Path) -> list[LoadedSource] | None:
    """An xdist worker: the controller's loaded sources; None (read them here) when it could not
    pickle them."""
    from .sources.handoff import HandoffFailed, read_handoff

    try:
        return read_handoff(path)
    except HandoffFailed as exc:
        import warnings

        from .errors import CloudcheckWarning

        warnings.warn(CloudcheckWarning(f"xdist worker reads the sources itself: {exc.problem}"), stacklevel=2)
        return None


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
