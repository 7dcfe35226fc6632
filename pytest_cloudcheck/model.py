"""The model every source produces and every check reads: Resource, Inventory, Finding.

Nothing here knows where a resource came from (plan, state, HCL or live Azure). Sources build
`Resource`s; checks read them and return `Finding`s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from .asserted import asserted_findings

if TYPE_CHECKING:
    from .encryption import Encryption
    from .environments import EnvironmentRules, GroupIndex
    from .settings import Settings

# ---------------------------------------------------------------------------------------------
# Sentinels for values that are not plain data


class _Unknown:
    """A value Terraform only knows after apply. Never None, never a string, never truthy.

    `bool(UNKNOWN)` raises: a test that writes `assert r.values["x"]` on an unknown value must not
    pass by accident (fail closed). Compare with `is UNKNOWN` or read a tri-state fact instead.
    """

    __slots__ = ()
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(known after apply)"

    def __bool__(self) -> bool:
        raise TypeError(
            "value is unknown at plan time (known after apply); compare with `is UNKNOWN` "
            "or use a tri-state fact (True/False/None)"
        )

    def __reduce__(self) -> str:
        return "UNKNOWN"


class _Sensitive:
    """A value marked sensitive in the input. The real value was dropped at load time."""

    __slots__ = ()
    _instance: _Sensitive | None = None

    def __new__(cls) -> _Sensitive:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(sensitive)"

    def __bool__(self) -> bool:
        raise TypeError("value is sensitive and was redacted at load time; it cannot be inspected")

    def __reduce__(self) -> str:
        return "SENSITIVE"


UNKNOWN: Any = _Unknown()
SENSITIVE: Any = _Sensitive()


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


_MISSING = object()


def lookup(values: Any, path: str, default: Any = None) -> Any:
    """Read a dotted path (`customer_managed_key.key_vault_key_id`, `ip_configuration.0.subnet_id`).

    Terraform nested blocks are lists of objects: a non-numeric step into a list reads its first
    element, so `customer_managed_key.key_vault_key_id` works whether the block is a list or not.
    An unknown or redacted value on the way is returned as is; a missing step gives `default`.
    """
    current = values
    for step in path.split("."):
        if current is UNKNOWN or current is SENSITIVE:
            return current
        if isinstance(current, list):
            if step.isdigit():
                index = int(step)
                if index >= len(current):
                    return default
                current = current[index]
                continue
            if not current:
                return default
            current = current[0]
            if current is UNKNOWN or current is SENSITIVE:
                return current
        if not isinstance(current, dict):
            return default
        current = current.get(step, _MISSING)
        if current is _MISSING:
            return default
    return current


# ---------------------------------------------------------------------------------------------
# ARM paths (live Azure, azapi), case-insensitive like Azure Policy


def arm_values(values: Any, path: str) -> list[Any]:
    """Every value at `path` (`properties.a.b`, `[*]` walks a list); missing steps give nothing."""
    current = [values]
    for raw in path.split("."):
        star = raw.endswith("[*]")
        step = raw[:-3] if star else raw
        following: list[Any] = []
        for node in current:
            if node is UNKNOWN or node is SENSITIVE:
                following.append(node)
                continue
            if not isinstance(node, dict):
                continue
            value = node.get(step)
            if value is None:
                lowered = step.lower()
                value = next((v for k, v in node.items() if k.lower() == lowered), None)
            if value is None:
                continue
            if star and isinstance(value, list):
                following.extend(value)
            else:
                following.append(value)
        current = following
    return current


# ---------------------------------------------------------------------------------------------
# Origins and resources


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource or finding comes from: a file and, where known, a line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class ReferenceResolver(Protocol):
    """Answers `Resource.references(attr)` for one source (plan configuration, HCL, ...)."""

    def references(self, resource: Resource, attribute: str) -> list[Resource]: ...


_SUBSCRIPTION_IN_ID = re.compile(r"^/subscriptions/([^/]+)", re.IGNORECASE)


class Resource:
    """One Azure resource (or data source) as the sources see it.

    `values` holds the attributes: azurerm-shaped for Terraform resources (`schema == "azurerm"`),
    ARM-shaped for live resources and azapi resources (`schema == "arm"`). Unknown values are
    `UNKNOWN`, redacted ones `SENSITIVE`.
    """

    __slots__ = (
        "_facts",
        "_resolver",
        "action",
        "address",
        "arm_type",
        "attribute_lines",
        "configured_by",
        "environment",
        "id",
        "index",
        "inventory",
        "location",
        "mode",
        "module",
        "name",
        "origin",
        "provider_subscription",
        "schema",
        "source",
        "source_address",
        "source_label",
        "tags",
        "type",
        "values",
    )

    def __init__(
        self,
        *,
        address: str,
        type: str,
        values: dict[str, Any],
        source: str,
        arm_type: str | None = None,
        name: str | None = None,
        mode: str = "managed",
        module: str = "",
        index: Any = None,
        action: str | None = None,
        origin: Origin | None = None,
        schema: str = "azurerm",
        source_label: str = "",
        resolver: ReferenceResolver | None = None,
        provider_subscription: str | None = None,
    ) -> None:
        self.address = address
        self.source_address = address  # as the source wrote it; `address` may gain a file prefix
        self.type = type
        self.arm_type = arm_type
        self.values = values
        self.source = source
        self.mode = mode
        self.module = module
        self.index = index
        self.action = action
        self.origin = origin
        self.schema = schema
        self.source_label = source_label
        self._resolver = resolver
        self.provider_subscription = provider_subscription
        self.environment: str | None = None
        self.inventory: Inventory | None = None
        self._facts: dict[str, Any] | None = None
        #: line of each attribute (dotted path without list indexes) where the source knows it (HCL)
        self.attribute_lines: dict[str, int] | None = None
        #: other blocks whose configuration writes this resource too (azapi updates merged into it)
        self.configured_by: tuple[Resource, ...] = ()
        get = values.get
        self.name = name if name is not None else _plain(get("name"))
        raw_id = get("id")
        self.id: str | None = raw_id if isinstance(raw_id, str) and raw_id else None
        self.location: str | None = _plain(get("location"))
        tags = get("tags")
        self.tags: dict[str, Any] | Any = tags if isinstance(tags, dict) or tags is UNKNOWN else {}

    def __repr__(self) -> str:
        return f"<Resource {self.address}>"

    # -- attribute access --------------------------------------------------------------------
    def get(self, path: str, default: Any = None) -> Any:
        """`lookup()` on this resource's values."""
        return lookup(self.values, path, default)

    def origin_of(self, path: str) -> Origin | None:
        """Where the attribute at `path` (as for `get`) is set: its own line where the source
        knows it (HCL: `customer_managed_key.key_vault_key_id` -> that line), else the line of the
        nearest enclosing block, else `origin`. Findings about one attribute use this, so SARIF
        annotates the line to change."""
        lines = self.attribute_lines
        if lines and self.origin is not None:
            steps = [step for step in path.split(".") if not step.isdigit()]
            while steps:
                line = lines.get(".".join(steps))
                if line is not None:
                    return Origin(self.origin.file, line)
                steps.pop()
        return self.origin

    @property
    def subscription_id(self) -> str | None:
        """From the ARM id when known, else from the provider configuration."""
        if self.id:
            match = _SUBSCRIPTION_IN_ID.match(self.id)
            if match:
                return match.group(1).lower()
        return self.provider_subscription

    @property
    def is_data_source(self) -> bool:
        return self.mode == "data"

    # -- links -------------------------------------------------------------------------------
    def references(self, attribute: str) -> list[str]:
        """Addresses that `attribute` points to, by the source's configuration.

        Resolved through module variables (up to the module call that sets them) and module
        outputs. An empty list when the source has no configuration or nothing is referenced.
        """
        return [r.address for r in self.referenced(attribute)]

    def referenced(self, attribute: str) -> list[Resource]:
        """Like `references`, returning the `Resource` objects."""
        found = self._resolver.references(self, attribute) if self._resolver is not None else []
        for writer in self.configured_by:
            found += [r for r in writer.referenced(attribute) if r is not self and r not in found]
        return found

    def raw_references(self, attribute: str) -> list[str]:
        """The references `attribute`'s expression names, as written (`local.item_id`,
        `azapi_resource.sa.id`), unresolved; empty when the source has no configuration."""
        raw = getattr(self._resolver, "raw_references", None)
        return list(raw(self, attribute)) if raw is not None else []

    def sets(self, attribute: str) -> bool | None:
        """Whether the source's configuration sets `attribute` (None: the source cannot tell)."""
        sets = getattr(self._resolver, "sets", None)
        return sets(self, attribute) if sets is not None else None

    # -- facts (computed once, cached) -------------------------------------------------------
    def fact(self, name: str, compute: Callable[[Resource], Any]) -> Any:
        """Cache a derived fact on the resource (facts depend only on the loaded inventory)."""
        facts = self._facts
        if facts is None:
            facts = self._facts = {}
        if name not in facts:
            facts[name] = compute(self)
        return facts[name]

    @property
    def encryption(self) -> Encryption:
        """The resource's encryption at rest (`customer_managed`: True/False/None, `key`)."""
        facts = self._facts
        if facts is not None and "encryption" in facts:  # asked for again and again by the checks
            known: Encryption = facts["encryption"]
            return known
        found: Encryption = self.fact("encryption", _encryption_of())
        return found


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else None


@functools.cache
def _encryption_of() -> Callable[[Resource], Encryption]:
    """`encryption.encryption_of`, imported once (that module imports this one). An import statement
    in `Resource.encryption` itself ran once per resource: ~1.5 us each, 15 ms on a 10k plan."""
    from .encryption import encryption_of

    return encryption_of


# ---------------------------------------------------------------------------------------------
# Coverage ledger: what the sources could not read

#: kinds of gap, with the heading reports group them under. A source that meets a new kind of gap
#: adds a row here (a misspelt kind is refused at construction).
GAP_KINDS: dict[str, str] = {
    "module": "modules not read",
    "instances": "count / for_each not known: read as one instance [*]",
    "function": "functions not evaluated",
    "file": "files not read",
    "value": "values not read",
    "scope": "subscriptions or scopes not read",
    "query": "queries not read in full",
    "key": "keys not read",
    "environment": "environments not known (a classifying value redacted or unknown)",
}


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing a source could not read, in the words a user acts on.

    - `kind`: a row of `GAP_KINDS` (`"module"`, `"instances"`, `"scope"`, ...)
    - `where`: where to look: `file:line`, a resource address or a subscription
    - `why`: what was not read and why, one line (`module.hub (source "Azure/avm-x/azurerm") was
      not read: registry module`)
    - `fix`: what the user can do about it, one line
    - `address`: what the gap hides, when known: a module or resource address (`module.hub`,
      `azurerm_storage_account.logs[*]`; everything at or under it) or an ARM id prefix
      (`/subscriptions/<id>`). None: the source as a whole.
    - `types`: the azurerm types it hides, when known; empty: it may hide any type
    - `source`: the label of the source that recorded it (filled in by the inventory)
    """

    kind: str
    where: str
    why: str
    fix: str
    address: str | None = None
    types: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind not in GAP_KINDS:
            raise ValueError(f"Gap.kind {self.kind!r} is not one of {', '.join(GAP_KINDS)}")

    def __str__(self) -> str:
        return f"{self.where}: {self.why}; {self.fix}"

    def covers(self, resource: Resource) -> bool:
        """Whether `resource` sits at or under the part this gap hides (an `[*]` stand-in, a
        resource of a module read in part, a resource of an unreadable subscription)."""
        address = self.address
        if not address or (self.source and resource.source_label and resource.source_label != self.source):
            return False
        if address.startswith("/"):
            rid = (resource.id or "").lower()
            return rid == address.lower() or rid.startswith(address.lower().rstrip("/") + "/")
        own = resource.source_address
        return own == address or own.startswith((address + ".", address + "["))

    def may_hide(self, judges: Callable[[str], bool] | None) -> bool:
        """Whether the gap may hide a resource of a type `judges` accepts (None: any type)."""
        return judges is None or not self.types or any(judges(t) for t in self.types)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "where": self.where,
            "why": self.why,
            "fix": self.fix,
            "address": self.address,
            "types": list(self.types),
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Gap:
        return cls(
            kind=data["kind"],
            where=data["where"],
            why=data["why"],
            fix=data["fix"],
            address=data.get("address"),
            types=tuple(data.get("types") or ()),
            source=data.get("source") or "",
        )


class Ledger:
    """The coverage ledger: every `Gap` of a source (`SourceInfo.ledger`) or of the whole run
    (`Inventory.ledger`, shared by every view of the inventory).

    Sources record what they could not read::

        info.ledger.record("module", "main.tf:12", 'module.hub (source "Azure/x/azurerm") was not read: '
                           "registry module", "run `terraform init` first", address="module.hub")

    and everything after the inventory reads it: the report header and every report list it
    (`grouped()`), checks turn the gaps that touch their scope into `not_assessed` findings
    (`touching(inventory, judges)`), tests over an incomplete scope fail. Equal gaps are kept once.
    """

    __slots__ = ("_gaps",)

    def __init__(self, gaps: Iterable[Gap] = ()) -> None:
        self._gaps: dict[Gap, None] = dict.fromkeys(gaps)

    def record(
        self,
        kind: str,
        where: str,
        why: str,
        fix: str,
        *,
        address: str | None = None,
        types: Iterable[str] = (),
        source: str = "",
    ) -> Gap:
        gap = Gap(kind, where, why, fix, address, tuple(types), source)
        self._gaps.setdefault(gap)
        return gap

    def add(self, gap: Gap) -> None:
        self._gaps.setdefault(gap)

    def __iter__(self) -> Iterator[Gap]:
        return iter(self._gaps)

    def __len__(self) -> int:
        return len(self._gaps)

    def __bool__(self) -> bool:
        return bool(self._gaps)

    def __repr__(self) -> str:
        return f"<Ledger {len(self._gaps)} gaps>"

    def grouped(self) -> dict[str, list[Gap]]:
        """Gaps by kind, in `GAP_KINDS` order."""
        out: dict[str, list[Gap]] = {kind: [] for kind in GAP_KINDS}
        for gap in self._gaps:
            out[gap.kind].append(gap)
        return {kind: gaps for kind, gaps in out.items() if gaps}

    def touching(
        self, inventory: Inventory, judges: Callable[[str], bool] | None = None, *, environments: bool = False
    ) -> list[Gap]:
        """The gaps that may hide something `inventory` (or a view of it) would hold, of a type
        `judges` accepts. A gap whose hidden part is in the inventory (an `[*]` stand-in) touches
        only the views holding it, or every view when that part has no environment (it may belong
        to any); a gap whose part was not read at all touches every view.

        An `environment` gap (a resource whose environment is unknown) touches every view of one
        environment, and the whole inventory only for a check that judges by environment
        (`environments`): elsewhere the resource is seen in full."""
        whole = inventory.whole
        out = []
        for gap in self._gaps:
            if not gap.may_hide(judges):
                continue
            if gap.kind == "environment" and not (environments or inventory.is_view):
                continue
            if inventory.is_view and gap.address:
                present = [r for r in whole if gap.covers(r)]
                if present and not any(r.environment is None or r.address in inventory for r in present):
                    continue
            out.append(gap)
        return out

    def summary(self) -> str:
        """`3 gaps: 1 modules not read, 2 keys not read` (empty ledger: `no gaps`)."""
        if not self._gaps:
            return "no gaps"
        parts = [f"{len(gaps)} {GAP_KINDS[kind]}" for kind, gaps in self.grouped().items()]
        return f"{len(self._gaps)} gap{'s' if len(self._gaps) != 1 else ''}: {'; '.join(parts)}"


# ---------------------------------------------------------------------------------------------
# Inventory


@dataclass(slots=True)
class SourceInfo:
    """One loaded input, for the report header and the evidence report."""

    kind: str  # "plan" | "state" | "hcl" | "live"
    location: str  # a path or a subscription
    resources: int = 0
    sha256: str | None = None
    label: str = ""
    #: informational lines for the report header (files parsed, resources to destroy)
    notes: list[str] = field(default_factory=list)
    #: what this source could not read (joined into `Inventory.ledger`)
    ledger: Ledger = field(default_factory=Ledger)

    def describe(self) -> str:
        return f"{self.kind} {self.location}: {self.resources} resources"


class RunContext:
    """What a run knows besides its resources: its settings, how it classifies environments, its
    resource groups. Built once with the inventory; every view of it shares the same object, so a
    check sees the same settings whatever slice of the inventory it is given."""

    __slots__ = ("environment_groups", "environment_rules", "ledger", "settings", "snapshot")

    def __init__(self, settings: Settings | None = None, ledger: Ledger | None = None) -> None:
        if settings is None:
            from .settings import Settings

            settings = Settings()
        self.settings: Settings = settings
        #: set by `environments.classify` when the inventory is built (None before: read through
        #: `environments.rules_of`, which derives them from the settings)
        self.environment_rules: EnvironmentRules | None = None
        self.environment_groups: GroupIndex | None = None
        #: what the sources could not read (`Inventory.ledger`)
        self.ledger: Ledger = ledger if ledger is not None else Ledger()
        #: the snapshot file this run wrote (`--cloudcheck-snapshot`): path, sha256, when, scopes, requests
        self.snapshot: dict[str, Any] | None = None


class Inventory:
    """Every resource of every configured source, indexed by address, type and ARM id.

    It carries the run's context (`settings`, `environment_rules`, `environment_groups`) and the
    coverage `ledger` (what the sources could not read, see `Ledger`). A view
    (`only(env)`, `view(resources)`) holds fewer resources but the same context, and knows the
    inventory it was cut from (`whole`): links and lookups cross the view's edge, findings do not.
    """

    def __init__(
        self,
        resources: Iterable[Resource] = (),
        *,
        data_sources: Iterable[Resource] = (),
        destroyed: Iterable[Resource] = (),
        sources: Sequence[SourceInfo] = (),
        settings: Settings | None = None,
    ) -> None:
        self._resources: list[Resource] = list(resources)
        self.data_sources: list[Resource] = list(data_sources)
        self.destroyed: list[Resource] = list(destroyed)
        self.sources: list[SourceInfo] = list(sources)
        self.notes: list[str] = []
        self.context = RunContext(settings, _joined(self.sources))
        self.whole: Inventory = self
        self._by_type: dict[str, list[Resource]] = {}
        self._by_address: dict[str, Resource] = {}
        self._by_id: dict[str, Resource] | None = None
        for r in self._resources:
            r.inventory = self
            self._by_type.setdefault(r.type, []).append(r)
            self._by_address[r.address] = r
        for r in self.data_sources:
            r.inventory = self
            self._by_address[r.address] = r

    # -- run context -------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def ledger(self) -> Ledger:
        """What the sources could not read; the same ledger in every view."""
        return self.context.ledger

    @property
    def environment_rules(self) -> EnvironmentRules | None:
        return self.context.environment_rules

    @property
    def environment_groups(self) -> GroupIndex | None:
        return self.context.environment_groups

    @property
    def is_view(self) -> bool:
        return self.whole is not self

    # -- container protocol ------------------------------------------------------------------
    def __iter__(self) -> Iterator[Resource]:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)

    def __repr__(self) -> str:
        what = "view of " if self.is_view else ""
        return f"<Inventory {what}{len(self._resources)} resources from {len(self.sources)} sources>"

    def __contains__(self, address: object) -> bool:
        return address in self._by_address

    # -- queries -----------------------------------------------------------------------------
    @property
    def types(self) -> set[str]:
        return set(self._by_type)

    def resources(self, *types: str, env: str | None = None) -> list[Resource]:
        """Managed resources of the given types (azurerm or ARM names), sorted by address.

        No types: every managed resource. An unknown type name raises `UnknownResourceType`.
        """
        from .azure_types import resolve_types

        if types:
            wanted = resolve_types(types, extra_known=self._by_type.keys())
            found = [r for t in wanted for r in self._by_type.get(t, ())]
        else:
            found = list(self._resources)
        if env is not None:
            found = [r for r in found if r.environment == env]
        found.sort(key=_by_address)
        return found

    def get(self, address: str) -> Resource | None:
        """The resource (or data source) at this address."""
        return self._by_address.get(address)

    def by_id(self, arm_id: str | None) -> Resource | None:
        """The resource with this ARM id (case-insensitive, as ARM ids are)."""
        if not arm_id or not isinstance(arm_id, str):
            return None
        index = self._by_id
        if index is None:
            index = {}
            for r in self._resources:
                if r.id:
                    index[r.id.lower().rstrip("/")] = r
            self._by_id = index
        return index.get(arm_id.lower().rstrip("/"))

    # -- views -------------------------------------------------------------------------------
    def only(self, env: str) -> Inventory:
        """A view holding only the resources of one environment (for the `environment` marker)."""
        return self.view(r for r in self._resources if r.environment == env)

    def view(self, resources: Iterable[Resource]) -> Inventory:
        """A view holding these resources (of this inventory) with the run's context and sources.

        Resources keep pointing at the whole inventory (`Resource.inventory`), so what they link
        to outside the view is still found."""
        view = Inventory.__new__(Inventory)
        view._resources = list(resources)
        view.data_sources = self.data_sources
        view.destroyed = self.destroyed
        view.sources = self.sources
        view.notes = self.notes
        view.context = self.context
        view.whole = self.whole
        view._by_type = {}
        for r in view._resources:
            view._by_type.setdefault(r.type, []).append(r)
        view._by_address = {r.address: r for r in view._resources}
        view._by_id = None
        return view


def _joined(sources: Sequence[SourceInfo]) -> Ledger:
    """Every source's gaps, each naming its source."""
    ledger = Ledger()
    for info in sources:
        for gap in info.ledger:
            ledger.add(gap if gap.source else replace(gap, source=info.label))
    return ledger


def _by_address(r: Resource) -> str:
    return r.address


# ---------------------------------------------------------------------------------------------
# Findings

#: kinds of finding: a rule broken, a value unknown at plan time, a resource no rule covers yet,
#: a link to something outside the inventory.
FindingKind = Literal["violation", "unknown", "not_assessed", "outside"]
FINDING_KINDS: tuple[FindingKind, ...] = get_args(FindingKind)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found. Empty list of findings = compliant."""

    check: str
    address: str
    message: str
    origin: Origin | None = None
    kind: FindingKind = "violation"
    related: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # checked at construction: a misspelt kind would otherwise be counted as no kind at all
        if self.kind not in FINDING_KINDS:
            raise ValueError(f"Finding.kind {self.kind!r} is not one of {', '.join(FINDING_KINDS)}")

    def __str__(self) -> str:
        where = f" ({self.origin})" if self.origin else ""
        return f"{self.address}: {self.message} [{self.check}]{where}"


class Findings(list[Finding]):
    """The list a check returns. `assert not findings` prints one finding a line.

    Truth-testing (or comparing) the list records it for the running test, so the plugin can show
    exactly the findings the assertion was about.
    """

    def _note(self) -> None:
        sink = asserted_findings.get()
        if sink is not None:
            sink.note(self, depth=2)  # the frame that truth-tested (or compared) this list

    def __bool__(self) -> bool:
        self._note()
        return len(self) > 0

    def __eq__(self, other: object) -> bool:
        self._note()
        return list.__eq__(self, other)

    __hash__ = None  # a mutable list is not hashable

    # str() and repr() use len(), not truth-testing: pytest's assertion rewriting reprs every value
    # of a failed `assert` (a dict of each family's findings, say), and that is no assertion about them
    def __str__(self) -> str:
        if not len(self):
            return "no findings"
        return f"{len(self)} finding(s):\n" + "\n".join(f"  {f}" for f in self)

    def __repr__(self) -> str:
        # pytest shows repr() in `assert not findings`; keep it short there, the plugin prints
        # the full list in its own report section.
        if not len(self):
            return "Findings([])"
        checks = sorted({f.check for f in self})
        return f"Findings({len(self)}: {', '.join(checks)})"

    def by_check(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self:
            out.setdefault(f.check, []).append(f)
        return out
