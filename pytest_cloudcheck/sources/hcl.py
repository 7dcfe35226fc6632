"""Terraform source folders (HCL) -> Resources, the same model the plan source gives.

`--cloudcheck-hcl DIR` reads a root module: its `*.tf` / `*.tf.json` files, the local modules it
calls (recursively), variable defaults, `terraform.tfvars`, `*.auto.tfvars` and the files of
`cloudcheck_var_files`. Module calls and resources with `count` / `for_each` are expanded into the
addresses Terraform gives (`module.spoke["a"].azurerm_storage_account.x[0]`). Values are what can
be known before `terraform plan`: literals, variables, locals, functions, attributes of other
resources set in the source; ids and other computed attributes, data sources and outputs of
remote modules are UNKNOWN, as in a plan. Every resource carries the file and line of its block,
and `Resource.origin_of(attr)` the line of an attribute.

References (`Resource.references()`) are answered by the plan source's `PlanConfiguration` over a
`configuration` section built from the source, so the two sources give the same answers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import SENSITIVE, UNKNOWN, Origin, Resource, SourceInfo
from ..settings import Settings
from .hcl_defaults import PROVIDER_DEFAULTS
from .hcl_eval import ChildScope, ComputedObject, EvalError, Namespace, convert_type, evaluate, to_set
from .hcl_modules import (
    META_ATTRIBUTES,
    META_BLOCKS,
    Block,
    ModuleSource,
    configuration,
    load_module_tree,
)
from .hcl_parse import HclSyntaxError, ParseCache, ParseStats, parse_json_text, parse_text
from .loaded import LoadedSource
from .plan import PlanConfiguration, display_path, typed_values

#: a `count` / `for_each` that cannot be evaluated statically: one resource stands for all of them
UNKNOWN_KEY = "*"


# ---------------------------------------------------------------------------------------------
# Scopes: what names mean inside one module instance


class _Vars(Namespace):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return self.instance.variable(name)


class _Locals(Namespace):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return self.instance.local(name)


class _Outputs(Namespace):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return self.instance.output(name)


class _ResourceType(Namespace):
    def __init__(self, instance: ModuleInstance, mode: str, tf_type: str) -> None:
        self.instance = instance
        self.mode = mode
        self.tf_type = tf_type

    def attr(self, name: str) -> Any:
        return self.instance.resource_object(self.mode, self.tf_type, name)


class _DataTypes(Namespace):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return _ResourceType(self.instance, "data", name)


class _Modules(Namespace):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return self.instance.module_object(name)


class _Expansion:
    """One instance of a block with `count` / `for_each`: its key and the names it binds."""

    __slots__ = ("key", "names")

    def __init__(self, key: Any, names: dict[str, Any]) -> None:
        self.key = key
        self.names = names


def expand(block: Block, scope: Any, notes: list[str], what: str) -> list[_Expansion]:
    """The instances of a resource or module block (one with key None when it has neither)."""
    count = block.attribute("count")
    for_each = block.attribute("for_each")
    if count is not None:
        value = evaluate(count[1], scope)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            notes.append(f"{block.where}: count of {what} is not known before apply; read as one instance [*]")
            return [_Expansion(UNKNOWN_KEY, {"count": {"index": UNKNOWN}})]
        return [_Expansion(i, {"count": {"index": i}}) for i in range(int(value))]
    if for_each is not None:
        value = evaluate(for_each[1], scope)
        if isinstance(value, dict):
            return [_Expansion(k, {"each": {"key": k, "value": value[k]}}) for k in sorted(value)]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [_Expansion(k, {"each": {"key": k, "value": k}}) for k in to_set(value)]
        notes.append(f"{block.where}: for_each of {what} is not known before apply; read as one instance [*]")
        return [_Expansion(UNKNOWN_KEY, {"each": {"key": UNKNOWN, "value": UNKNOWN}})]
    return [_Expansion(None, {})]


def instance_suffix(key: Any) -> str:
    if key is None:
        return ""
    if key == UNKNOWN_KEY:
        return "[*]"
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(key)}]"


class ModuleInstance:
    """One instance of a module (the root, or `module.spoke["a"]`) and the names of its scope."""

    def __init__(
        self,
        source: ModuleSource,
        modules: dict[Path, ModuleSource],
        address: str,
        loader: _Loader,
        parent: ModuleInstance | None = None,
        call: Block | None = None,
        call_names: dict[str, Any] | None = None,
        root_variables: dict[str, Any] | None = None,
    ) -> None:
        self.source = source
        self.modules = modules
        self.address = address
        self.loader = loader
        self.parent = parent
        self.call = call
        self.call_names = call_names or {}
        self.root_variables = root_variables or {}
        self._variables: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._local_stack: list[str] = []
        self._outputs: dict[str, Any] = {}
        self._objects: dict[tuple[str, str, str], Any] = {}
        self._in_progress: set[tuple[str, str, str]] = set()
        self._children: dict[str, Any] = {}
        #: evaluated instances per resource block: (mode, type, name) -> [(key, values, lines)]
        self.instances: dict[tuple[str, str, str], list[tuple[Any, dict[str, Any], dict[str, int]]]] = {}
        self._names = {
            "var": _Vars(self),
            "local": _Locals(self),
            "module": _Modules(self),
            "data": _DataTypes(self),
            "path": {"module": source.display, "root": loader.root_display, "cwd": "."},
            "terraform": {"workspace": "default"},
        }

    # -- scope -----------------------------------------------------------------------------------
    def resolve(self, name: str) -> Any:
        found = self._names.get(name)
        if found is not None:
            return found
        if name in self.source.resource_types("managed"):
            return _ResourceType(self, "managed", name)
        if name in ("each", "count", "self"):
            raise EvalError(f"{name} is not available here")
        raise EvalError(f"unknown name {name}")

    # -- variables, locals, outputs ----------------------------------------------------------------
    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        declared = self.source.variables.get(name)
        if declared is None:
            raise SourceError(self.source.display, f"var.{name} is used but no variable {name!r} is declared")
        value = self._variable_value(name, declared)
        type_entry = declared.attribute("type")
        if type_entry is not None:
            value = convert_type(value, type_entry[1])
        if declared.literal("sensitive") is True and value is not UNKNOWN:
            value = SENSITIVE
        self._variables[name] = value
        return value

    def _variable_value(self, name: str, declared: Block) -> Any:
        if self.parent is None:
            if name in self.root_variables:
                return self.root_variables[name]
        else:
            assert self.call is not None
            given = self.call.attribute(name)
            if given is not None:
                value = evaluate(given[1], ChildScope(self.parent, self.call_names))
                if value is not None or declared.literal("nullable") is not False:
                    return value
        default = declared.attribute("default")
        if default is not None:
            return evaluate(default[1], self)
        if self.parent is None:
            self.loader.notes.append(
                f"var.{name} of {self.source.display} has no value (no default, not in a tfvars file): unknown"
            )
        return UNKNOWN

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        declared = self.source.locals.get(name)
        if declared is None:
            raise SourceError(self.source.display, f"local.{name} is used but no local {name!r} is declared")
        file, line, expr = declared
        if name in self._local_stack:
            cycle = " -> ".join(f"local.{n}" for n in [*self._local_stack[self._local_stack.index(name) :], name])
            raise SourceError(f"{file}:{line}", f"cycle between locals: {cycle}")
        self._local_stack.append(name)
        try:
            value = evaluate(expr, self)
        finally:
            self._local_stack.pop()
        self._locals[name] = value
        return value

    def output(self, name: str) -> Any:
        if name in self._outputs:
            return self._outputs[name]
        declared = self.source.outputs.get(name)
        if declared is None:
            raise EvalError(f"module has no output {name}")
        value_entry = declared.attribute("value")
        value = evaluate(value_entry[1], self) if value_entry is not None else None
        if declared.literal("sensitive") is True and value is not UNKNOWN:
            value = SENSITIVE
        self._outputs[name] = value
        return value

    # -- child modules ---------------------------------------------------------------------------
    def children(self, name: str) -> list[ModuleInstance]:
        found = self._children.get(name)
        if found is None:
            found = self._expand_child(name)
            self._children[name] = found
        return [child for child in found.values()] if isinstance(found, dict) else found

    def _expand_child(self, name: str) -> dict[Any, ModuleInstance]:
        call = self.source.module_calls[name]
        child_dir = self.source.children.get(name)
        if child_dir is None:
            return {}
        out: dict[Any, ModuleInstance] = {}
        for expansion in expand(call, self, self.loader.notes, f"module.{name}"):
            address = f"{self.address}{'.' if self.address else ''}module.{name}{instance_suffix(expansion.key)}"
            out[expansion.key] = ModuleInstance(
                self.modules[child_dir], self.modules, address, self.loader, self, call, expansion.names
            )
        return out

    def module_object(self, name: str) -> Any:
        call = self.source.module_calls.get(name)
        if call is None:
            raise EvalError(f"no module {name}")
        if name not in self.source.children:
            return UNKNOWN  # a remote module: not read
        self.children(name)
        instances = self._children[name]
        has_count = call.attribute("count") is not None
        has_for_each = call.attribute("for_each") is not None
        if UNKNOWN_KEY in instances:
            return UNKNOWN
        if has_count:
            return [_Outputs(instances[i]) for i in sorted(instances)]
        if has_for_each:
            return {k: _Outputs(v) for k, v in instances.items()}
        return _Outputs(instances[None]) if None in instances else UNKNOWN

    # -- resources -------------------------------------------------------------------------------
    def resource_object(self, mode: str, tf_type: str, name: str) -> Any:
        key = (mode, tf_type, name)
        if key in self._objects:
            return self._objects[key]
        block = self.source.resources.get(key)
        if block is None:
            raise EvalError(f"no {mode} resource {tf_type}.{name}")
        if key in self._in_progress:
            raise EvalError(f"{tf_type}.{name} refers to itself")
        self._in_progress.add(key)
        try:
            instances = self.evaluate_resource(key, block)
        finally:
            self._in_progress.discard(key)
        objects = [(k, ComputedObject(values)) for k, values, _ in instances]
        if any(k == UNKNOWN_KEY for k, _ in objects):
            result: Any = UNKNOWN
        elif block.attribute("count") is not None:
            result = [obj for _, obj in objects]
        elif block.attribute("for_each") is not None:
            result = dict(objects)
        else:
            result = objects[0][1]
        self._objects[key] = result
        return result

    def evaluate_resource(
        self, key: tuple[str, str, str], block: Block
    ) -> list[tuple[Any, dict[str, Any], dict[str, int]]]:
        if key in self.instances:
            return self.instances[key]
        mode, tf_type, name = key
        what = f"{tf_type}.{name}" if mode == "managed" else f"data.{tf_type}.{name}"
        out = []
        for expansion in expand(block, self, self.loader.notes, what):
            scope = ChildScope(self, expansion.names) if expansion.names else self
            values, lines = evaluate_body(block.body, scope)
            values.setdefault("id", UNKNOWN)
            for attribute, default in PROVIDER_DEFAULTS.get(tf_type, {}).items() if mode == "managed" else ():
                values.setdefault(attribute, default)
            if mode == "data":
                values.setdefault("tags", UNKNOWN)  # what a data source reads is known after apply
            out.append((expansion.key, values, lines))
        self.instances[key] = out
        return out


# ---------------------------------------------------------------------------------------------
# Block bodies -> values (azurerm shape: nested blocks are lists of objects)


def evaluate_body(body: Any, scope: Any, prefix: str = "") -> tuple[dict[str, Any], dict[str, int]]:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name, (line, expr) in body["a"].items():
        if not prefix and name in META_ATTRIBUTES:
            continue
        values[name] = evaluate(expr, scope)
        lines[prefix + name] = line
    for kind, labels, line, inner in body["b"]:
        if kind in META_BLOCKS:
            continue
        if kind == "dynamic" and labels:
            _dynamic(labels[0], line, inner, scope, prefix, values, lines)
            continue
        nested, nested_lines = evaluate_body(inner, scope, f"{prefix}{kind}.")
        values.setdefault(kind, []).append(nested)
        lines.setdefault(prefix + kind, line)
        for path, nested_line in nested_lines.items():
            lines.setdefault(path, nested_line)
    return values, lines


def _dynamic(
    label: str, line: int, body: Any, scope: Any, prefix: str, values: dict[str, Any], lines: dict[str, int]
) -> None:
    lines.setdefault(prefix + label, line)
    for_each = body["a"].get("for_each")
    content = next((b[3] for b in body["b"] if b[0] == "content"), None)
    if for_each is None or content is None:
        return
    iterator_entry = body["a"].get("iterator")
    iterator = iterator_entry[1][1] if iterator_entry is not None and iterator_entry[1][0] == "V" else label
    collection = evaluate(for_each[1], scope)
    if isinstance(collection, dict):
        items = [(k, collection[k]) for k in sorted(collection)]
    elif isinstance(collection, list):
        items = list(enumerate(collection))
    else:
        values[label] = UNKNOWN
        return
    blocks = values.setdefault(label, [])
    for key, value in items:
        nested, nested_lines = evaluate_body(
            content, ChildScope(scope, {iterator: {"key": key, "value": value}}), f"{prefix}{label}."
        )
        blocks.append(nested)
        for path, nested_line in nested_lines.items():
            lines.setdefault(path, nested_line)


# ---------------------------------------------------------------------------------------------
# Variables of the root module: defaults < terraform.tfvars < *.auto.tfvars < cloudcheck_var_files


def var_files(root: Path, extra: list[Path]) -> list[Path]:
    files = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    files += sorted(p for p in root.glob("*.auto.tfvars") if p.is_file())
    files += sorted(p for p in root.glob("*.auto.tfvars.json") if p.is_file())
    return [f for f in files if f.is_file()] + list(extra)


def read_var_file(path: Path) -> dict[str, Any]:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(display, "variables file not found (cloudcheck_var_files)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(display, f"cannot be read ({exc})") from None
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{display}:{exc.lineno}", f"invalid JSON ({exc.msg})") from None
        if not isinstance(doc, dict):
            raise SourceError(display, "a .tfvars.json file must hold one JSON object")
        return doc
    try:
        body = parse_text(text)
    except HclSyntaxError as exc:
        where = f"{display}:{exc.line}" if exc.line else display
        raise SourceError(where, f"HCL syntax error: {exc.message}") from None
    return {name: evaluate(expr, _NoNames()) for name, (_, expr) in body["a"].items()}


class _NoNames:
    def resolve(self, name: str) -> Any:
        raise EvalError(f"{name}: a variables file holds values, not references")


# ---------------------------------------------------------------------------------------------
# Loading a root module


class _Loader:
    def __init__(self, root: Path, settings: Settings, cache: ParseCache | None) -> None:
        self.root = root
        self.root_display = display_path(root)
        self.settings = settings
        self.cache = cache
        self.notes: list[str] = []
        self.stats = ParseStats()

    def load(self, label: str) -> LoadedSource:
        root_module, modules = load_module_tree(self.root, self.cache, self.stats)
        if not root_module.files:
            raise SourceError(self.root_display, "folder holds no *.tf files; expected a Terraform root module")
        root_variables: dict[str, Any] = {}
        for path in var_files(self.root, list(self.settings.get("var_files") or ())):
            for name, value in read_var_file(path).items():
                if name in root_module.variables:
                    root_variables[name] = value
        root = ModuleInstance(root_module, modules, "", self, root_variables=root_variables)
        config = {
            "root_module": configuration(root_module, modules),
            "provider_config": self._provider_config(root),
        }
        plain_variables = {
            name: {"value": root.variable(name)}
            for name in root_module.variables
            if root.variable(name) is not UNKNOWN and root.variable(name) is not SENSITIVE
        }
        resolver = PlanConfiguration(config, plain_variables)
        resources: list[Resource] = []
        data_sources: list[Resource] = []
        self._build(root, resolver, label, resources, data_sources)
        resolver.attach(resources + data_sources)
        resolver.assign_provider_subscriptions(resources + data_sources)
        for module in modules.values():
            for call, source in sorted(module.remote.items()):
                self.notes.append(f"module.{call} in {module.display} (source {source!r}) was not read: remote module")
            for name in module.ignored_files:
                self.notes.append(f"{module.display}/{name} was not read: override files are not supported")
        self.notes.append(
            f"{self.stats.parsed + self.stats.cached} files: {self.stats.parsed} parsed "
            f"({self.stats.workers} process{'es' if self.stats.workers > 1 else ''}), {self.stats.cached} from cache"
        )
        digest = hashlib.sha256()
        for module in sorted(modules.values(), key=lambda m: str(m.directory)):
            for parsed in module.files:
                digest.update(f"{display_path(parsed.path)}\0{parsed.sha256}\n".encode())
        info = SourceInfo(
            kind="hcl",
            location=self.root_display,
            resources=len(resources),
            sha256=digest.hexdigest(),
            label=label,
            notes=_unique(self.notes),
        )
        return LoadedSource(info, resources, data_sources)

    def _provider_config(self, root: ModuleInstance) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for block in root.source.providers:
            name = block.labels[0] if block.labels else ""
            alias = block.literal("alias")
            key = f"{name}.{alias}" if isinstance(alias, str) else name
            expressions: dict[str, Any] = {}
            entry = block.attribute("subscription_id")
            if entry is not None:
                value = evaluate(entry[1], root)
                if isinstance(value, str):
                    expressions["subscription_id"] = {"constant_value": value}
            out[key] = {"name": name, "expressions": expressions}
        return out

    def _build(
        self,
        instance: ModuleInstance,
        resolver: PlanConfiguration,
        label: str,
        resources: list[Resource],
        data_sources: list[Resource],
    ) -> None:
        prefix = f"{instance.address}." if instance.address else ""
        for key, block in instance.source.resources.items():
            mode, tf_type, name = key
            local = f"{tf_type}.{name}" if mode == "managed" else f"data.{tf_type}.{name}"
            for index, values, lines in instance.evaluate_resource(key, block):
                resource = _resource(
                    address=f"{prefix}{local}{instance_suffix(index)}",
                    tf_type=tf_type,
                    mode=mode,
                    module=instance.address,
                    index=None if index == UNKNOWN_KEY else index,
                    values=dict(values),
                    origin=Origin(block.file, block.line),
                    label=label,
                    resolver=resolver,
                )
                resource.attribute_lines = lines
                (data_sources if mode == "data" else resources).append(resource)
        for call_name in instance.source.module_calls:
            for child in instance.children(call_name):
                self._build(child, resolver, label, resources, data_sources)


def _resource(
    *,
    address: str,
    tf_type: str,
    mode: str,
    module: str,
    index: Any,
    values: dict[str, Any],
    origin: Origin,
    label: str,
    resolver: PlanConfiguration,
) -> Resource:
    """As the plan source builds it (azapi resources are shaped like ARM resources)."""
    tf_type, arm_type, values, schema = typed_values(tf_type, values)
    return Resource(
        address=address,
        type=tf_type,
        arm_type=arm_type,
        values=values,
        source="hcl",
        mode=mode,
        module=module,
        index=index,
        origin=origin,
        schema=schema,
        source_label=label,
        resolver=resolver,
    )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def load_hcl_folder(path: Path, label: str | None = None, settings: Settings | None = None) -> LoadedSource:
    """Load one Terraform root module folder."""
    settings = settings if settings is not None else Settings()
    cache = settings.get("cache")
    loader = _Loader(path, settings, cache)
    try:
        return loader.load(label or path.resolve().name)
    except RecursionError:
        raise SourceError(display_path(path), "expressions nested too deeply to evaluate") from None


def load_hcl(settings: Settings) -> list[LoadedSource]:
    """The `hcl` loader of `sources.LOADERS`: every `--cloudcheck-hcl` folder."""
    from . import _labels

    folders = list(settings.hcl)
    labels = _labels([Path(str(f).rstrip("/")).resolve() for f in folders])
    return [load_hcl_folder(f, label, settings) for f, label in zip(folders, labels, strict=True)]


__all__ = ["load_hcl", "load_hcl_folder", "parse_json_text"]
