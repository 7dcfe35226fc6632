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
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..azure_types import arm_type_of, azurerm_type_of
from ..errors import SourceError
from ..model import SENSITIVE, UNKNOWN, Origin, Resource, SourceInfo
from .loaded import LoadedSource

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


def read_json(path: Path) -> tuple[Any, str]:
    """Parse a JSON file with the garbage collector paused; returns (document, sha256)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(str(path), "file not found") from None
    except IsADirectoryError:
        raise SourceError(str(path), "is a directory, expected a JSON file") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(_ZIP_MAGIC):
        raise SourceError(
            str(path),
            "is a binary plan file, not JSON; convert it with `terraform show -json "
            f"{path.name} > {path.stem}.json` and pass the JSON file",
        )
    if not raw.strip():
        raise SourceError(str(path), "is empty; expected the output of `terraform show -json`")
    try:
        doc = json.loads(raw)
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
    return doc, digest


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
    if doc.get("errored") is True:
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
    """
    if marks is True:
        if replaced is not None:
            _strings_in(values, replaced)
        return sentinel
    if not marks:
        return values
    if isinstance(marks, dict):
        if not isinstance(values, dict):
            return values
        for key, mark in marks.items():
            if mark is True:
                if replaced is not None:
                    _strings_in(values.get(key), replaced)
                values[key] = sentinel
            elif mark:
                child = values.get(key)
                if isinstance(child, (dict, list)):
                    apply_marks(child, mark, sentinel, replaced)
    elif isinstance(marks, list):
        if not isinstance(values, list):
            return values
        for i, mark in enumerate(marks[: len(values)]):
            if mark is True:
                if replaced is not None:
                    _strings_in(values[i], replaced)
                values[i] = sentinel
            elif mark:
                child = values[i]
                if isinstance(child, (dict, list)):
                    apply_marks(child, mark, sentinel, replaced)
    return values


def _strings_in(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        if value:
            out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings_in(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings_in(v, out)


#: secrets shorter than this are scrubbed only where a whole value equals them (a short secret
#: such as "admin" would otherwise blank unrelated text)
_MIN_SUBSTRING_SECRET = 6


def scrub(values: Any, secrets: set[str]) -> Any:
    """Redact copies of sensitive strings that the input left unmarked (e.g. `terraform_data`'s
    `output` echoes a sensitive `input` without marking it). Returns the scrubbed root."""
    long_secrets = [s for s in secrets if len(s) >= _MIN_SUBSTRING_SECRET]

    def leaks(text: str) -> bool:
        return text in secrets or any(secret in text for secret in long_secrets)

    if isinstance(values, str):
        return SENSITIVE if leaks(values) else values
    stack = [values]
    while stack:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            if type(value) is str:
                if leaks(value):
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
        self.secrets: set[str] = set()

    def redacted(self, values: Any, sensitive: Any, unknown: Any = None) -> dict[str, Any]:
        return _redacted(values, sensitive, unknown, self.secrets)

    def scrub_unmarked_copies(self, extra_secrets: set[str]) -> None:
        secrets = self.secrets | extra_secrets
        if not secrets:
            return
        for r in (*self.resources, *self.data_sources, *self.destroyed):
            scrub(r.values, secrets)
            for attr in ("name", "location", "id"):
                value = getattr(r, attr)
                if isinstance(value, str) and scrub(value, secrets) is SENSITIVE:
                    setattr(r, attr, None)

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
        return azurerm_type_of(arm_type) or tf_type, arm_type, _azapi_as_arm(values, arm_type), "arm"
    return tf_type, arm_type, values, "azurerm"


def _azapi_as_arm(values: dict[str, Any], arm_type: str) -> dict[str, Any]:
    """azapi resources carry an ARM body: shape their values like an ARM resource."""
    body = values.get("body")
    if isinstance(body, str):  # azapi 1.x: jsonencode(...)
        try:
            body = json.loads(body)
        except ValueError:
            body = {}
    properties = body.get("properties", {}) if isinstance(body, dict) else body
    parent = values.get("parent_id")
    name = values.get("name")
    arm_id = values.get("id")
    if not isinstance(arm_id, str) and isinstance(parent, str) and isinstance(name, str):
        # a child type (`.../virtualNetworks/subnets`) sits under its parent resource's id; a
        # top-level type under its resource group / subscription, after `/providers/<namespace>`
        if arm_type.count("/") == 1:
            arm_id = f"{parent}/providers/{arm_type}/{name}"
        else:
            arm_id = f"{parent}/{arm_type.rsplit('/', 1)[-1]}/{name}"
    shaped = dict(values)
    shaped.update({"id": arm_id, "type": arm_type, "properties": properties})
    return shaped


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


def load_plan_file(path: Path, label: str | None = None) -> LoadedSource:
    """Load one `terraform show -json` file (plan or state)."""
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
        builder.scrub_unmarked_copies(resolver.secrets if resolver is not None else set())
        if resolver is not None:
            resolver.attach(builder.resources + builder.data_sources)
            resolver.assign_provider_subscriptions(builder.resources + builder.data_sources)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(str(path), f"malformed Terraform JSON ({type(exc).__name__}: {exc})") from None
    info = SourceInfo(
        kind=kind, location=builder.location, resources=len(builder.resources), sha256=digest, label=label
    )
    if builder.destroyed:
        info.notes.append(f"{len(builder.destroyed)} resources planned for destruction")
    return LoadedSource(info, builder.resources, builder.data_sources, builder.destroyed)


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


# ---------------------------------------------------------------------------------------------
# Configuration references


_TRAVERSAL = re.compile(r'[A-Za-z_][A-Za-z0-9_-]*|\[(?:"((?:[^"\\]|\\.)*)"|(\d+)|\*)\]')
_NOT_RESOURCES = frozenset({"local", "each", "count", "path", "terraform", "self"})

InstancePath = tuple[tuple[str, Any], ...]  # ((module name, key or None), ...)
_ANY = object()  # a module instance key that is not fixed by the reference


class _Key:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


@lru_cache(maxsize=65536)
def _traversal(ref: str) -> tuple[Any, ...]:
    """`module.m["x"].out` -> ("module", "m", _Key("x"), "out"). Cached: the same references
    recur across every instance of a module."""
    steps: list[Any] = []
    for match in _TRAVERSAL.finditer(ref):
        text = match.group(0)
        if text.startswith("["):
            if match.group(1) is not None:
                steps.append(_Key(json.loads(f'"{match.group(1)}"')))
            elif match.group(2) is not None:
                steps.append(_Key(int(match.group(2))))
            else:
                steps.append(_Key(_ANY))
        else:
            steps.append(text)
    return tuple(steps)


def _instance_path(module_address: str) -> InstancePath:
    steps = _traversal(module_address)
    path: list[tuple[str, Any]] = []
    i = 0
    while i < len(steps):
        if steps[i] == "module" and i + 1 < len(steps) and isinstance(steps[i + 1], str):
            key = steps[i + 2].value if i + 2 < len(steps) and isinstance(steps[i + 2], _Key) else None
            path.append((steps[i + 1], key))
            i += 3 if key is not None else 2
        else:
            i += 1
    return tuple(path)


def _matches(actual: InstancePath, wanted: InstancePath) -> bool:
    if len(actual) != len(wanted):
        return False
    return all(a[0] == w[0] and (w[1] is _ANY or a[1] == w[1]) for a, w in zip(actual, wanted, strict=True))


def _expression_nodes(expressions: Any, steps: list[str]) -> list[Any]:
    nodes = [expressions]
    for step in steps:
        following: list[Any] = []
        for node in nodes:
            if isinstance(node, dict) and ("references" in node or "constant_value" in node):
                following.append(node)  # one expression covers everything below it
            elif isinstance(node, dict):
                if step in node:
                    following.append(node[step])
            elif isinstance(node, list):
                if step.isdigit():
                    if int(step) < len(node):
                        following.append(node[int(step)])
                else:
                    following.extend(el[step] for el in node if isinstance(el, dict) and step in el)
        nodes = following
    return nodes


def _collect_references(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        refs = node.get("references")
        if isinstance(refs, list):
            out.extend(r for r in refs if isinstance(r, str))
        for key, value in node.items():
            if key != "references" and isinstance(value, (dict, list)):
                _collect_references(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_references(value, out)


class PlanConfiguration:
    """The `configuration` section of one plan, answering `Resource.references()`."""

    MAX_DEPTH = 64

    def __init__(self, configuration: dict[str, Any], variables: Any) -> None:
        self._configuration = configuration
        # Values of root variables, without the sensitive ones (used for provider settings only).
        root_vars = (configuration.get("root_module") or {}).get("variables") or {}
        self._variables: dict[str, Any] = {}
        #: values of variables declared sensitive (Terraform prints them in plain text)
        self.secrets: set[str] = set()
        if isinstance(variables, dict):
            for name, entry in variables.items():
                declared = root_vars.get(name) or {}
                if not isinstance(entry, dict):
                    continue
                if declared.get("sensitive"):
                    _strings_in(entry.get("value"), self.secrets)
                else:
                    self._variables[name] = entry.get("value")
        _redact_sensitive_defaults(configuration.get("root_module"), self.secrets)
        self._resources: list[Resource] = []
        self._instances: dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]] | None = None
        self._exact: dict[tuple[InstancePath, str], list[tuple[InstancePath, Resource]]] = {}
        self._paths: dict[str, InstancePath] = {}
        self._refs_cache: dict[tuple[Any, ...], list[str]] = {}
        self._configs: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}

    def attach(self, resources: list[Resource]) -> None:
        self._resources = resources

    # -- configuration tree ------------------------------------------------------------------
    # The configuration is read lazily, long after loading: every step tolerates a malformed
    # section (no reference found) instead of failing in the middle of a check.
    def _module(self, names: tuple[str, ...]) -> dict[str, Any]:
        module = _dict(self._configuration.get("root_module"))
        for name in names:
            module = _dict(_dict(_dict(module.get("module_calls")).get(name)).get("module"))
        return module

    def _module_call(self, names: tuple[str, ...]) -> dict[str, Any]:
        parent = self._module(names[:-1])
        return _dict(_dict(parent.get("module_calls")).get(names[-1]))

    def _resource_config(self, names: tuple[str, ...], local_address: str) -> dict[str, Any] | None:
        # Indexed once per module: a linear scan per question is quadratic on big flat modules.
        by_address = self._configs.get(names)
        if by_address is None:
            by_address = self._configs[names] = {}
            resources = self._module(names).get("resources")
            for entry in resources if isinstance(resources, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("address"), str):
                    by_address.setdefault(entry["address"], entry)
        return by_address.get(local_address)

    def _path(self, module_address: str) -> InstancePath:
        path = self._paths.get(module_address)
        if path is None:
            path = self._paths[module_address] = _instance_path(module_address)
        return path

    def _index(self) -> dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]]:
        if self._instances is None:
            index: dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]] = {}
            exact: dict[tuple[InstancePath, str], list[tuple[InstancePath, Resource]]] = {}
            for r in self._resources:
                path = self._path(r.module)
                key = (tuple(n for n, _ in path), _local_address(r))
                index.setdefault(key, []).append((path, r))
                exact.setdefault((path, key[1]), []).append((path, r))
            self._instances = index
            self._exact = exact
        return self._instances

    # -- references --------------------------------------------------------------------------
    def references(self, resource: Resource, attribute: str) -> list[Resource]:
        path = self._path(resource.module)
        config = self._resource_config(tuple(n for n, _ in path), _local_address(resource))
        if config is None:
            return []
        refs = self._attribute_references(config, attribute)
        found: list[Resource] = []
        self._resolve(refs, path, found, 0)
        if any(ref.startswith("each.value") for ref in refs):
            # `for_each = azurerm_subnet.x` + `subnet_id = each.value.id`: the instance of what
            # for_each iterates that has this resource's own key (all of them if none matches).
            iterated_refs: list[str] = []
            _collect_references(config.get("for_each_expression"), iterated_refs)
            iterated: list[Resource] = []
            self._resolve(iterated_refs, path, iterated, 0)
            same_key = [r for r in iterated if r.index is not None and r.index == resource.index]
            found.extend(same_key or iterated)
        unique: dict[int, Resource] = {}
        for r in found:
            unique.setdefault(id(r), r)
        return [r for r in unique.values() if r is not resource]

    def _attribute_references(self, config: dict[str, Any], attribute: str) -> list[str]:
        """The raw references of one attribute of one configuration block (cached: every instance
        of a for_each module asks the same question of the same block)."""
        key = (id(config), attribute)
        refs = self._refs_cache.get(key)
        if refs is None:
            refs = []
            for node in _expression_nodes(_dict(config.get("expressions")), attribute.split(".")):
                _collect_references(node, refs)
            self._refs_cache[key] = refs
        return refs

    def _inner_references(self, kind: str, names: tuple[str, ...], name: str) -> list[str]:
        """References of a module call's input (`var`) or of a module's output (cached)."""
        key = (kind, names, name)
        refs = self._refs_cache.get(key)
        if refs is None:
            refs = []
            if kind == "var":
                _collect_references(_dict(self._module_call(names).get("expressions")).get(name), refs)
            else:
                outputs = _dict(self._module(names).get("outputs"))
                _collect_references(_dict(outputs.get(name)).get("expression"), refs)
            self._refs_cache[key] = refs
        return refs

    def _resolve(self, refs: list[str], path: InstancePath, found: list[Resource], depth: int) -> None:
        if depth > self.MAX_DEPTH:
            return
        names = tuple(n for n, _ in path)
        targets: dict[str, list[Any]] = {}  # local address -> keys asked for (None: no key)
        for ref in refs:
            steps = _traversal(ref)
            if not steps or steps[0] in _NOT_RESOURCES:
                continue
            head = steps[0]
            if head == "var" and len(steps) > 1 and path:
                self._resolve(self._inner_references("var", names, steps[1]), path[:-1], found, depth + 1)
            elif head == "module" and len(steps) > 2 and isinstance(steps[1], str):
                key = steps[2].value if isinstance(steps[2], _Key) else _ANY
                rest = steps[3:] if isinstance(steps[2], _Key) else steps[2:]
                if not rest or not isinstance(rest[0], str):
                    continue  # the whole module object; its outputs are named elsewhere
                child = (*path, (steps[1], key))
                inner = self._inner_references("output", (*names, steps[1]), rest[0])
                self._resolve(inner, child, found, depth + 1)
            elif head == "data" and len(steps) > 2:
                key = steps[3].value if len(steps) > 3 and isinstance(steps[3], _Key) else None
                targets.setdefault(f"data.{steps[1]}.{steps[2]}", []).append(key)
            elif len(steps) > 1 and isinstance(head, str) and isinstance(steps[1], str) and head != "var":
                key = steps[2].value if len(steps) > 2 and isinstance(steps[2], _Key) else None
                targets.setdefault(f"{head}.{steps[1]}", []).append(key)
        index = self._index()
        for local, keys in targets.items():
            keyed = [k for k in keys if k is not None and k is not _ANY]
            # A fully keyed module path is looked up directly (scanning every instance of a
            # for_each module per reference is quadratic on large plans).
            exact = not any(k is _ANY for _, k in path)
            candidates = self._exact.get((path, local), ()) if exact else index.get((names, local), ())
            for instance_path, r in candidates:
                if not exact and not _matches(instance_path, path):
                    continue
                if keyed and r.index not in keyed:
                    continue
                found.append(r)

    # -- provider settings -------------------------------------------------------------------
    def assign_provider_subscriptions(self, resources: list[Resource]) -> None:
        """Set `provider_subscription` from the azurerm provider's `subscription_id`."""
        by_key: dict[str, str] = {}
        for key, provider in _dict(self._configuration.get("provider_config")).items():
            if not isinstance(provider, dict) or provider.get("name") != "azurerm":
                continue
            expression = _dict(_dict(provider.get("expressions")).get("subscription_id"))
            value = expression.get("constant_value")
            refs = expression.get("references")
            if value is None and isinstance(refs, list):
                for ref in refs:
                    if isinstance(ref, str) and ref.startswith("var."):
                        value = self._variables.get(ref[4:])
                        break
            if isinstance(value, str) and value:
                by_key[key] = value.lower()
        if not by_key:
            return
        if len(set(by_key.values())) == 1:
            only = next(iter(by_key.values()))
            for r in resources:
                if r.type.startswith("azurerm_") or r.schema == "arm":
                    r.provider_subscription = only
            return
        for r in resources:
            path = self._path(r.module)
            config = self._resource_config(tuple(n for n, _ in path), _local_address(r)) or {}
            key = config.get("provider_config_key")
            key = key if isinstance(key, str) else "azurerm"
            sub = by_key.get(key) or by_key.get(key.rsplit(":", 1)[-1]) or by_key.get("azurerm")
            r.provider_subscription = sub


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _local_address(r: Resource) -> str:
    """Address inside its module, without instance key: `azurerm_x.y` or `data.azurerm_x.y`."""
    local = r.source_address[len(r.module) + 1 :] if r.module else r.source_address
    bracket = local.find("[")
    return local[:bracket] if bracket != -1 else local


def _redact_sensitive_defaults(module: Any, secrets: set[str], depth: int = 0) -> None:
    """Variables declared `sensitive` show their default in plain text: drop it at load time."""
    if not isinstance(module, dict) or depth > 64:
        return
    for variable in (module.get("variables") or {}).values():
        if isinstance(variable, dict) and variable.get("sensitive") and "default" in variable:
            _strings_in(variable["default"], secrets)
            variable["default"] = SENSITIVE
    for call in (module.get("module_calls") or {}).values():
        if isinstance(call, dict):
            _redact_sensitive_defaults(call.get("module"), secrets, depth + 1)
