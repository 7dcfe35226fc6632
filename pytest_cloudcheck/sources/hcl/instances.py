"""Module instances of a Terraform configuration: what each name means in them (`var`, `local`,
`module`, `data`, resource types, `each`, `count`), their `count` / `for_each` expansion into
Terraform's addresses, and resource blocks evaluated into azurerm-shaped values (nested blocks as
lists of objects) with the line of every attribute. Everything is evaluated lazily and once: a
resource is evaluated when first referenced or built, a local when first read.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ...model import UNKNOWN, Ledger
from .defaults import PROVIDER_DEFAULTS
from .eval import ChildScope, convert_type, evaluate
from .functions import ComputedObject, EvalError, FunctionContext, Namespace, to_set
from .modules import META_ATTRIBUTES, META_BLOCKS, Block, ModuleSource, ModuleTree, child_key
from .values import mark, marked_strings


@dataclass
class LoadContext:
    """What every instance of one root module shares."""

    root_display: str
    notes: list[str] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    #: the root module's folder: Terraform runs there, relative paths of functions start there
    base_dir: Path = field(default_factory=Path.cwd)
    functions: FunctionContext = field(init=False)

    def __post_init__(self) -> None:
        self.functions = FunctionContext(self.base_dir, self.ledger)


#: the most instances one resource or module block may expand to (a typo such as `count = 1e9`
#: must be one line, not a MemoryError)
MAX_INSTANCES = 100_000
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


def expand(block: Block, scope: Any, ledger: Ledger, address: str, tf_type: str | None = None) -> list[_Expansion]:
    """The instances of a resource or module block (one with key None when it has neither).

    A `count` / `for_each` not known statically gives one instance `[*]` standing for all of them,
    recorded in the ledger (`address`: the block's address without instance key; `tf_type`: the
    resource type, None for a module call)."""
    count = block.attribute("count")
    for_each = block.attribute("for_each")
    if count is not None:
        value = evaluate(count[1], scope)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _unknown_instances(block, ledger, "count", address, tf_type)
            return [_Expansion(UNKNOWN_KEY, {"count": {"index": UNKNOWN}})]
        where = f"{block.file}:{count[0]}"
        if not math.isfinite(value) or value < 0 or value != int(value):
            raise SourceError(where, f"count of {address} is {value!r}; Terraform needs a whole number from 0")
        _at_most(len_of=int(value), where=where, meta="count", address=address)
        return [_Expansion(i, {"count": {"index": i}}) for i in range(int(value))]
    if for_each is not None:
        value = evaluate(for_each[1], scope)
        if isinstance(value, (dict, list)):
            _at_most(len_of=len(value), where=f"{block.file}:{for_each[0]}", meta="for_each", address=address)
        if isinstance(value, dict):
            return [_Expansion(k, {"each": {"key": k, "value": value[k]}}) for k in sorted(value)]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [_Expansion(k, {"each": {"key": k, "value": k}}) for k in to_set(value)]
        _unknown_instances(block, ledger, "for_each", address, tf_type)
        return [_Expansion(UNKNOWN_KEY, {"each": {"key": UNKNOWN, "value": UNKNOWN}})]
    return [_Expansion(None, {})]


def _at_most(*, len_of: int, where: str, meta: str, address: str) -> None:
    if len_of > MAX_INSTANCES:
        raise SourceError(
            where,
            f"{meta} of {address} makes {len_of:,} instances, more than the {MAX_INSTANCES:,} one block may have "
            f"here; check the {meta} expression (or check a plan of it instead)",
        )


def _unknown_instances(block: Block, ledger: Ledger, meta: str, address: str, tf_type: str | None) -> None:
    ledger.record(
        "instances",
        block.where,
        f"{meta} of {address} is not known before apply; read as one instance {address}[*]",
        f"give the {meta} a value known before apply (a variable in a tfvars file), or check a plan instead",
        address=f"{address}[*]",
        types=(tf_type,) if tf_type else (),
    )


def _paths(directory: Path, root: Path) -> dict[str, str]:
    """`path.module` / `path.root` relative to the root module's folder (where Terraform runs)."""
    try:
        module = os.path.relpath(directory.resolve(), root.resolve())
    except ValueError:  # another drive (Windows)
        module = str(directory)
    return {"module": module.replace(os.sep, "/"), "root": ".", "cwd": root.resolve().as_posix()}


def instance_suffix(key: Any) -> str:
    if key is None:
        return ""
    if key == UNKNOWN_KEY:
        return "[*]"
    if isinstance(key, int):
        return f"[{key}]"
    if key.isascii() and key.isprintable() and '"' not in key and "\\" not in key:
        return f'["{key}"]'  # what json.dumps gives, without its cost (100k instances)
    return f"[{json.dumps(key)}]"


class ModuleInstance:
    """One instance of a module (the root, or `module.spoke["a"]`) and the names of its scope."""

    def __init__(
        self,
        source: ModuleSource,
        tree: ModuleTree,
        key: str,
        address: str,
        context: LoadContext,
        parent: ModuleInstance | None = None,
        call: Block | None = None,
        call_names: dict[str, Any] | None = None,
        root_variables: dict[str, Any] | None = None,
    ) -> None:
        self.source = source
        self.tree = tree
        #: the module's key in modules.json (`hub.vnet`: call names, no instance keys)
        self.key = key
        self.address = address
        self.context = context
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
        self.function_context = context.functions
        self._names = {
            "var": _Vars(self),
            "local": _Locals(self),
            "module": _Modules(self),
            "data": _DataTypes(self),
            "path": _paths(source.directory, context.base_dir),
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
            value = mark(value)  # kept for nonsensitive(); redacted before it leaves the source
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
            self.context.notes.append(
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
            value = mark(value)
        self._outputs[name] = value
        return value

    def secrets(self, out: set[str]) -> None:
        """Strings held under a sensitivity mark in this instance and the child instances read
        so far (variables, locals, outputs, resource values)."""
        for table in (self._variables, self._locals, self._outputs):
            for value in table.values():
                marked_strings(value, out)
        for instances in self.instances.values():
            for _, values, _ in instances:
                marked_strings(values, out)
        for found in self._children.values():
            for child in found.values() if isinstance(found, dict) else found:
                child.secrets(out)

    # -- child modules ---------------------------------------------------------------------------
    def children(self, name: str) -> list[ModuleInstance]:
        found = self._children.get(name)
        if found is None:
            found = self._expand_child(name)
            self._children[name] = found
        return [child for child in found.values()] if isinstance(found, dict) else found

    def _expand_child(self, name: str) -> dict[Any, ModuleInstance]:
        call = self.source.module_calls[name]
        key = child_key(self.key, name)
        child = self.tree.source_of(key)
        if child is None:
            return {}
        out: dict[Any, ModuleInstance] = {}
        call_address = f"{self.address}{'.' if self.address else ''}module.{name}"
        for expansion in expand(call, self, self.context.ledger, call_address):
            address = f"{call_address}{instance_suffix(expansion.key)}"
            out[expansion.key] = ModuleInstance(
                child, self.tree, key, address, self.context, self, call, expansion.names
            )
        return out

    def module_object(self, name: str) -> Any:
        call = self.source.module_calls.get(name)
        if call is None:
            raise EvalError(f"no module {name}")
        if child_key(self.key, name) not in self.tree.keys:
            return UNKNOWN  # a module not installed: not read (a gap of the tree)
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
        prefix = f"{self.address}." if self.address else ""
        tf_type_hidden = tf_type if mode == "managed" else None
        for expansion in expand(block, self, self.context.ledger, f"{prefix}{what}", tf_type_hidden):
            scope = ChildScope(self, expansion.names) if expansion.names else self
            address = f"{prefix}{what}{instance_suffix(expansion.key)}"
            with self.function_context.at(block.where, address, tf_type_hidden):
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
