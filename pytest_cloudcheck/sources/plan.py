"""Terraform `show -json` output (plans and states) -> Resources.

Handles what real Terraform writes: nested `child_modules`, `count`/`for_each` addresses,
`resource_changes` actions (the inventory is the *planned* state), data sources, `after_unknown`
(-> UNKNOWN), sensitivity (`after_sensitive`, `sensitive_values`, variables declared sensitive;
-> SENSITIVE, at load time) and the `configuration` section's references.

Speed matters (plans of 100 MB run in every pipeline): the caller (`sources.build_inventory`)
pauses the cyclic garbage collector while loading (a parsed plan holds no reference cycles; the
collector would take most of the load time for nothing), attribute dicts are reused rather than
copied, and the configuration is only indexed when a reference is first asked for.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..arm import azapi_as_arm
from ..azure_types import arm_type_of, azurerm_type_of
from ..errors import SourceError
from ..model import SENSITIVE, UNKNOWN, Ledger, Origin, Resource, SourceInfo
from .azapi import apply_azapi
from .jsondecode import decode
from .kinds import source_roots
from .loaded import LoadedSource, source_labels
from .references import PlanConfiguration, _strings_in
from .sensitive_keys import MIN_SUBSTRING_SECRET, KeyRedactor, leaks

if TYPE_CHECKING:
    from ..settings import Settings
    from .locate import SourceRoots

SUPPORTED_MAJOR_VERSIONS = ("0", "1")
_ZIP_MAGIC = b"PK\x03\x04"

_ACTIONS = {
    ("no-op",): "no-op",
    ("create",): "create",
    ("read",): "read",
    ("update",): "update",
    ("delete",): "delete",
    ("forget",): "forget",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
}
_GONE = frozenset({"delete", "forget"})


# ---------------------------------------------------------------------------------------------
# Reading and validating the file


#: top-level members of a plan nothing reads, and the member whose presence makes them so:
#: `planned_values` repeats every planned resource of `resource_changes` (about 45% of a plan)
_UNUSED = {"planned_values": "resource_changes"}


def read_json(path: Path) -> tuple[Any, str]:
    """Parse a JSON file (the caller pauses the garbage collector); returns (document, sha256).

    The sha256 is computed in a thread while the document is parsed (hashlib releases the GIL on
    big buffers: on a 100 MB plan that is ~0.2 s off the load where a second core is free).
    `planned_values` stays undecoded when `resource_changes` is present (sources/jsondecode.py).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(str(path), "file not found") from None
    except IsADirectoryError:
        raise SourceError(str(path), "is a directory, expected a JSON file") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    hasher = _Digest(raw)
    if raw.startswith(_ZIP_MAGIC):
        raise SourceError(
            str(path),
            "is a binary plan file, not JSON; convert it with `terraform show -json "
            f"{path.name} > {path.stem}.json` and pass the JSON file",
        )
    if not raw or raw.isspace():  # not `raw.strip()`: it copies the file (`terraform show -json` ends with "\n")
        raise SourceError(str(path), "is empty; expected the output of `terraform show -json`")
    try:
        doc = decode(raw, _UNUSED)
    except UnicodeDecodeError:
        raise SourceError(str(path), "is not UTF-8 text; expected the output of `terraform show -json`") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        # A complete document ends with its closing brace; anything else was cut off.
        ends_complete = raw.rstrip().endswith((b"}", b"]"))
        hint = "invalid JSON" if ends_complete or exc.pos < len(raw) // 2 else "the file looks truncated"
        raise SourceError(
            str(path), f"{hint} ({exc.msg} at {where}); expected the output of `terraform show -json`"
        ) from None
    except RecursionError:
        raise SourceError(str(path), "JSON nested too deeply to be Terraform output") from None
    except ValueError as exc:  # an integer of more than 4,300 digits (int's conversion limit)
        what = "an integer of more than 4,300 digits" if "digits" in str(exc) else f"a value it cannot read ({exc})"
        raise SourceError(str(path), f"holds {what}, which Terraform does not write; regenerate it") from None
    surrogate = _lone_surrogate(raw)
    if surrogate is not None:
        line = raw.count(b"\n", 0, surrogate.start()) + 1
        raise SourceError(
            f"{path}:{line}",
            f"holds a lone UTF-16 surrogate escape ({surrogate.group().decode()}), which no text can hold; "
            "regenerate the file with `terraform show -json`",
        )
    return doc, hasher.hexdigest()


def _lone_surrogate(raw: bytes) -> re.Match[bytes] | None:
    """The first lone surrogate escape of `raw`, if any. Most plans hold no surrogate escape at all:
    finding that out with a plain pattern takes a third of the time of the full one (6 ms on a
    21 MB plan against 18 ms), which then starts at the first escape found."""
    first = _SURROGATE_ESCAPE.search(raw)
    return _LONE_SURROGATE.search(raw, first.start()) if first is not None else None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
#: a high surrogate escape not followed by a low one, or a low one not preceded by a high one
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _Digest:
    """sha256 of a buffer, computed in a thread from construction on (small buffers inline)."""

    _THREAD_FROM = 1 << 20

    def __init__(self, raw: bytes) -> None:
        self._hash = hashlib.sha256()
        self._thread: threading.Thread | None = None
        if len(raw) < self._THREAD_FROM:
            self._hash.update(raw)
        else:
            self._thread = threading.Thread(target=self._hash.update, args=(raw,), daemon=True)
            self._thread.start()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
        return self._hash.hexdigest()


def check_format(doc: Any, location: str) -> str:
    """Validate Terraform's JSON envelope; returns "plan" or "state"."""
    if not isinstance(doc, dict):
        raise SourceError(location, "is JSON but not Terraform's (top level is not an object)")
    version = doc.get("format_version")
    if not isinstance(version, str):
        raise SourceError(
            location,
            "is JSON but not Terraform's (no format_version); expected `terraform show -json` output",
        )
    if version.split(".", 1)[0] not in SUPPORTED_MAJOR_VERSIONS:
        raise SourceError(
            location, f"format_version {version!r} is not supported (pytest-cloudcheck reads 0.x and 1.x)"
        )
    if doc.get("errored") not in (None, False, "false"):  # `"errored": "true"` is an errored plan too
        raise SourceError(location, "is a plan that errored (`terraform plan` failed); fix the plan first")
    if "planned_values" in doc or "resource_changes" in doc or "configuration" in doc:
        return "plan"
    if "values" in doc or set(doc) <= {"format_version", "terraform_version"}:
        return "state"
    raise SourceError(location, "is Terraform JSON but neither a plan nor a state (no planned_values or values)")


# ---------------------------------------------------------------------------------------------
# Unknown and sensitive marks


def apply_marks(values: Any, marks: Any, sentinel: Any, replaced: set[str] | None = None) -> Any:
    """Replace the values that `marks` (after_unknown / after_sensitive shape) flags with `sentinel`.

    Works in place on the parsed dicts and lists (no copy); returns the (possibly replaced) root.
    Strings replaced are added to `replaced` (to scrub copies Terraform left unmarked elsewhere).
    A mark that cannot be read (`1`, `"true"`, a list where the value is an object) flags the whole
    value: fail closed, never print what may be a secret.
    """
    if marks is False or marks is None:
        return values
    if marks is not True and (values is SENSITIVE or values is UNKNOWN):
        return values
    if marks is True or not _fits(values, marks):
        if replaced is not None:
            _strings_in(values, replaced)
        return sentinel
    if values is None:
        return values
    # The children are handled here rather than by a call each (a plan has ~15 marks a resource,
    # most of them `true` leaves or empty containers): same rules as above, without the calls.
    children = marks.items() if isinstance(marks, dict) else enumerate(marks[: len(values)])
    for key, mark in children:
        if mark is False or mark is None:
            continue
        child = values.get(key) if isinstance(values, dict) else values[key]
        if mark is True:
            if replaced is not None:
                _strings_in(child, replaced)
            values[key] = sentinel
        elif not mark and _fits(child, mark):
            continue  # an empty mark of the value's shape flags nothing
        else:
            new = apply_marks(child, mark, sentinel, replaced)
            if new is not child:
                values[key] = new
    return values


def _fits(values: Any, marks: Any) -> bool:
    """Whether a mark has the value's shape (an object for an object, a list for a list)."""
    if isinstance(marks, dict):
        return values is None or isinstance(values, dict)
    if isinstance(marks, list):
        return values is None or isinstance(values, list)
    return False


def scrub(values: Any, secrets: set[str]) -> Any:
    """Redact copies of sensitive strings that the input left unmarked (e.g. `terraform_data`'s
    `output` echoes a sensitive `input` without marking it). Returns the scrubbed root."""
    # secrets shorter than MIN_SUBSTRING_SECRET are scrubbed only where a whole value equals
    # them (a short secret such as "admin" would otherwise blank unrelated text)
    long_secrets = [s for s in secrets if len(s) >= MIN_SUBSTRING_SECRET]

    if isinstance(values, str):
        return SENSITIVE if leaks(values, secrets, long_secrets) else values
    stack = [values]
    while stack:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            if type(value) is str:
                if leaks(value, secrets, long_secrets):
                    current[key] = SENSITIVE
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return values


def _redacted(values: Any, sensitive: Any, unknown: Any = None, secrets: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(values, dict):
        values = {}
    values = apply_marks(values, sensitive, SENSITIVE, secrets)
    if not isinstance(values, dict):  # the whole object was sensitive
        return {}
    if unknown:
        apply_marks(values, unknown, UNKNOWN)
    return values


# ---------------------------------------------------------------------------------------------
# Building resources


class _Builder:
    def __init__(self, path: Path, label: str, kind: str, resolver: PlanConfiguration | None):
        self.location = display_path(path)
        self.label = label
        self.kind = kind
        self.resolver = resolver
        self.origin = Origin(self.location)
        self.resources: list[Resource] = []
        self.data_sources: list[Resource] = []
        self.destroyed: list[Resource] = []
        #: strings marked sensitive, by the resource that held them (the next `add` takes them)
        self.secrets: dict[Resource, set[str]] = {}
        self._pending: set[str] = set()

    def redacted(self, values: Any, sensitive: Any, unknown: Any = None) -> dict[str, Any]:
        return _redacted(values, sensitive, unknown, self._pending)

    def scrub_unmarked_copies(self, variable_secrets: set[str]) -> None:
        """Redact unmarked copies of sensitive strings only where Terraform can carry them: in the
        resource that held them, and in resources whose configuration references it (through
        module variables and outputs, transitively); values of sensitive variables in resources
        whose configuration reads a variable. An equal string elsewhere (a tag `"test"` beside a
        password `"test"`) is left alone: redaction must never hide a finding.

        Keys are redacted too (sources/sensitive_keys.py): an instance key in an address holding
        any secret of the plan (a finding keeps its resource, only the key is hidden), a map key
        holding a secret carried into the resource or a long secret of the plan."""
        if not self.secrets and not variable_secrets:
            return
        keys = KeyRedactor(variable_secrets.union(*self.secrets.values()))
        carried: dict[Resource, set[str]] = {}
        every = (*self.resources, *self.data_sources, *self.destroyed)
        for r in every:
            secrets = self._carried(r, carried, variable_secrets, set())
            if not secrets:
                continue
            scrub(r.values, secrets)
            for attr in ("name", "location", "id"):
                value = getattr(r, attr)
                if isinstance(value, str) and scrub(value, secrets) is SENSITIVE:
                    setattr(r, attr, None)
        for r in every:  # after every lookup of the configuration by the addresses as written
            keys.resource(r)
            keys.map_keys(r.values, carried.get(r, set()))

    def _carried(
        self, r: Resource, carried: dict[Resource, set[str]], variable_secrets: set[str], visiting: set[int]
    ) -> set[str]:
        known = carried.get(r)
        if known is not None:
            return known
        secrets = set(self.secrets.get(r, ()))
        if self.resolver is not None and id(r) not in visiting:
            visiting.add(id(r))
            refs, sources = self.resolver.configured_references(r)
            if variable_secrets and any(ref.startswith("var.") for ref in refs):
                secrets |= variable_secrets
            for source in sources:
                secrets |= self._carried(source, carried, variable_secrets, visiting)
            visiting.discard(id(r))
        carried[r] = secrets
        return secrets

    def add(self, entry: dict[str, Any], values: dict[str, Any], action: str | None) -> None:
        tf_type = entry["type"]
        if not isinstance(tf_type, str):
            raise TypeError(f"resource type is {type(tf_type).__name__}, not a string")
        address = entry.get("address")
        if not isinstance(address, str):
            raise TypeError("a resource has no address")
        tf_type, arm_type, values, schema = typed_values(tf_type, values)
        mode = entry.get("mode", "managed")
        resource = Resource(
            address=address,
            type=tf_type,
            arm_type=arm_type,
            values=values,
            source=self.kind,
            mode=mode,
            module=_module_address(entry, address),
            index=entry.get("index"),
            action=action,
            origin=self.origin,
            schema=schema,
            source_label=self.label,
            resolver=self.resolver,
        )
        if self._pending:
            self.secrets[resource] = self._pending
            self._pending = set()
        if action in _GONE:
            self.destroyed.append(resource)
        elif mode == "data":
            self.data_sources.append(resource)
        else:
            self.resources.append(resource)


def _module_address(entry: dict[str, Any], address: str) -> str:
    module = entry.get("module_address")
    if module is None:
        return _module_of(address)
    if not isinstance(module, str):
        raise TypeError(f"module_address of {address} is not a string")
    return module


def _module_of(address: str) -> str:
    """`module.a["x"].module.b.azurerm_x.y[0]` -> `module.a["x"].module.b` (for states)."""
    if not address.startswith("module."):
        return ""
    path = _MODULE_PREFIX.match(address)
    return path.group(0).rstrip(".") if path else ""


_MODULE_PREFIX = re.compile(r'(?:module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)+')


def typed_values(tf_type: str, values: dict[str, Any]) -> tuple[str, str | None, dict[str, Any], str]:
    """(type, ARM type, values, schema) of a Terraform resource: azapi resources get the azurerm
    type of their ARM type and ARM-shaped values (schema "arm"); the HCL source shares this."""
    arm_type = arm_type_of(tf_type)
    if tf_type.startswith("azapi_") and isinstance(values.get("type"), str):
        arm_type = values["type"].split("@", 1)[0]
        arm_values = azapi_as_arm(values, arm_type)
        return azurerm_type_of(arm_type, arm_values) or tf_type, arm_type, arm_values, "arm"
    return tf_type, arm_type, values, "azurerm"


def _walk_modules(module: Any) -> Iterator[dict[str, Any]]:
    """Every resource entry of a planned_values / state module tree, at any depth."""
    stack = [module]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        yield from current.get("resources") or ()
        stack.extend(reversed(current.get("child_modules") or ()))


def _build_from_changes(builder: _Builder, doc: dict[str, Any]) -> None:
    seen_data: set[str] = set()
    for rc in doc.get("resource_changes") or ():
        change = rc.get("change") or {}
        actions = change.get("actions") or ["no-op"]
        action = _ACTIONS.get(tuple(actions), "-".join(map(str, actions)))
        if action in _GONE:
            values = builder.redacted(change.get("before"), change.get("before_sensitive"))
        else:
            values = builder.redacted(change.get("after"), change.get("after_sensitive"), change.get("after_unknown"))
        builder.add(rc, values, action)
        if rc.get("mode") == "data":
            seen_data.add(rc["address"])
    # Data sources read during an earlier refresh are only in prior_state.
    prior = (doc.get("prior_state") or {}).get("values") or {}
    for entry in _walk_modules(prior.get("root_module")):
        if entry.get("mode") == "data" and entry.get("address") not in seen_data:
            builder.add(entry, builder.redacted(entry.get("values"), entry.get("sensitive_values")), "read")


def _build_from_values(builder: _Builder, root_module: Any, action: str | None) -> None:
    for entry in _walk_modules(root_module):
        builder.add(entry, builder.redacted(entry.get("values"), entry.get("sensitive_values")), action)


# ---------------------------------------------------------------------------------------------
# Public entry point


def load_plan_file(path: Path, label: str | None = None, roots: SourceRoots | None = None) -> LoadedSource:
    """Load one `terraform show -json` file (plan or state); `roots`: the Terraform root modules
    the plans were made from, to locate each resource's block (sources/locate.py)."""
    doc, digest = read_json(path)
    kind = check_format(doc, str(path))
    label = label or path.stem
    try:
        configuration = doc.get("configuration") if kind == "plan" else None
        resolver = PlanConfiguration(configuration, doc.get("variables")) if isinstance(configuration, dict) else None
        builder = _Builder(path, label, kind, resolver)
        if kind == "plan":
            if "resource_changes" in doc:
                _build_from_changes(builder, doc)
            else:
                root = (doc.get("planned_values") or {}).get("root_module")
                _build_from_values(builder, root, None)
        else:
            _build_from_values(builder, (doc.get("values") or {}).get("root_module"), None)
        if resolver is not None:
            resolver.attach(builder.resources + builder.data_sources + builder.destroyed)
        builder.scrub_unmarked_copies(resolver.secrets if resolver is not None else set())
        ledger = Ledger()
        if resolver is not None:
            resolver.attach(builder.resources + builder.data_sources)
            builder.resources = apply_azapi(builder.resources, ledger)
            resolver.attach(builder.resources + builder.data_sources)
            resolver.assign_provider_subscriptions(builder.resources + builder.data_sources)
        else:
            builder.resources = apply_azapi(builder.resources, ledger)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(str(path), f"malformed Terraform JSON ({type(exc).__name__}: {exc})") from None
    info = SourceInfo(
        kind=kind,
        location=builder.location,
        resources=len(builder.resources),
        sha256=digest,
        label=label,
        ledger=ledger,
    )
    if builder.destroyed:
        info.notes.append(f"{len(builder.destroyed)} resources planned for destruction")
    loaded = LoadedSource(info, builder.resources, builder.data_sources, builder.destroyed)
    if roots is not None:
        roots.locate(loaded, configuration if isinstance(configuration, dict) else None)
    return loaded


def display_path(path: Path) -> str:
    """The path as users read it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def plan_files(path: Path) -> list[Path]:
    """A file, or every `*.json` file of a folder (sorted, so runs are reproducible)."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
        if not files:
            raise SourceError(str(path), "folder holds no *.json files; expected `terraform show -json` output")
        return files
    if not path.exists():
        raise SourceError(str(path), "file not found; write it with `terraform show -json plan.tfplan > plan.json`")
    return [path]


def load_plans(settings: Settings) -> list[LoadedSource]:
    """The `plan` loader (sources/kinds.py): every `--cloudcheck-plan` file, or folder of them."""
    files = [f for path in settings.plan for f in plan_files(path)]
    roots = None
    folders = source_roots(settings.get)
    if folders:
        from .locate import SourceRoots  # reads HCL: only when a source root is configured

        roots = SourceRoots(folders, settings.get("cache"))
    loaded = [load_plan_file(f, label, roots) for f, label in zip(files, source_labels(files), strict=True)]
    if roots is not None:
        roots.check_used()
    return loaded
