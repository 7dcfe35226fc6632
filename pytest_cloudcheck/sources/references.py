"""The `configuration` section of a plan (and the HCL source's equivalent): which resource an
expression refers to, through module variables and outputs, when the value is unknown at plan time.

One resolver for both sources: `sources.plan` builds it from `terraform show -json`'s
`configuration`, `sources.hcl` from the configuration it derives from the source files.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from ..model import SENSITIVE, Resource

_TRAVERSAL = re.compile(r'[A-Za-z_][A-Za-z0-9_-]*|\[(?:"((?:[^"\\]|\\.)*)"|(\d+)|\*)\]')
_NOT_RESOURCES = frozenset({"each", "count", "path", "terraform", "self"})

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
        #: resources by (module instance path, address in the module), and by (module call names,
        #: address in the module) for paths with any instance (`module.x` inside a for_each module);
        #: each built when first asked (most questions need only the first)
        self._exact: dict[tuple[InstancePath, str], list[Resource]] | None = None
        self._instances: dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]] | None = None
        self._paths: dict[str, InstancePath] = {}
        self._refs_cache: dict[tuple[Any, ...], list[str]] = {}
        self._named_cache: dict[tuple[Any, ...], tuple[Resource, ...]] = {}
        self._configs: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
        #: answers by (resource, attribute): environments, links and every check ask the same
        #: questions (a third of them repeat on the benchmark plans); keyed by the object itself
        self._answers: dict[tuple[Resource, str], list[Resource]] = {}
        #: what a list of references resolves to from one module instance (every instance of a
        #: for_each resource asks it again); keyed by the cached list's id (`_refs_cache` keeps it)
        self._resolved: dict[tuple[int, InstancePath], tuple[Resource, ...]] = {}
        #: what a block's for_each iterates, by the block's id, module instance path and depth
        self._iterated_cache: dict[tuple[int, InstancePath, int], tuple[Resource, ...]] = {}
        #: each resource's module instance path and configuration block, by the addresses as written
        self._blocks: dict[Resource, tuple[str, str, InstancePath, dict[str, Any] | None]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (xdist handoff, HCL kept loads) with the answers but without the indexes and
        caches: they are rebuilt when first asked, and some are keyed by `id()`, which a pickled
        copy does not keep (a stale key could match another object of the copy)."""
        state = dict(self.__dict__)
        state.update(_instances=None, _exact=None, _paths={}, _refs_cache={}, _named_cache={}, _configs={})
        state.update(_resolved={}, _blocks={}, _iterated_cache={})
        return state

    def attach(self, resources: list[Resource]) -> None:
        self._resources = resources
        self._exact = None
        self._instances = None
        self._answers = {}
        self._resolved = {}
        self._iterated_cache = {}

    def _block(self, resource: Resource) -> tuple[InstancePath, dict[str, Any] | None]:
        """(module instance path, configuration block) of a resource, once per resource."""
        known = self._blocks.get(resource)
        if known is not None and known[0] == resource.module and known[1] == resource.source_address:
            return known[2], known[3]
        path = self._path(resource.module)
        config = self._resource_config(tuple(n for n, _ in path), _local_address(resource))
        self._blocks[resource] = (resource.module, resource.source_address, path, config)
        return path, config

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

    def _exact_index(self) -> dict[tuple[InstancePath, str], list[Resource]]:
        if self._exact is None:
            exact: dict[tuple[InstancePath, str], list[Resource]] = {}
            for r in self._resources:
                exact.setdefault((self._path(r.module), _local_address(r)), []).append(r)
            self._exact = exact
        return self._exact

    def _any_instance_index(self) -> dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]]:
        if self._instances is None:
            index: dict[tuple[tuple[str, ...], str], list[tuple[InstancePath, Resource]]] = {}
            names_of: dict[str, tuple[str, ...]] = {}
            for r in self._resources:  # in the resources' order, as the exact index keeps them
                path = self._path(r.module)
                names = names_of.get(r.module)
                if names is None:
                    names = names_of[r.module] = tuple(n for n, _ in path)
                index.setdefault((names, _local_address(r)), []).append((path, r))
            self._instances = index
        return self._instances

    # -- references --------------------------------------------------------------------------
    def references(self, resource: Resource, attribute: str) -> list[Resource]:
        # the answer depends only on the loaded configuration and resources (fixed once attached)
        key = (resource, attribute)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._references(resource, attribute)
        return list(answer)

    def _references(self, resource: Resource, attribute: str) -> list[Resource]:
        path, config = self._block(resource)
        if config is None:
            return []
        refs = self._attribute_references(config, attribute)
        if not refs:
            return []
        key = (id(refs), path)
        resolved = self._resolved.get(key)
        if resolved is None:
            found: list[Resource] = []
            self._resolve(refs, path, found, 0)
            resolved = self._resolved[key] = tuple(found)
        if any(ref.startswith("each.value") for ref in refs):
            # `for_each = azurerm_subnet.x` + `subnet_id = each.value.id`
            resolved = (*resolved, *self._iterated(config, path, resource.index, 0))
        unique: dict[int, Resource] = {}
        for r in resolved:
            unique.setdefault(id(r), r)
        return [r for r in unique.values() if r is not resource]

    def configured_references(self, resource: Resource) -> tuple[list[str], list[Resource]]:
        """Every reference of the resource's configuration block (raw, and resolved to resources
        through module variables and outputs): where Terraform can carry a value from."""
        path, config = self._block(resource)
        if config is None:
            return [], []
        refs: list[str] = []
        _collect_references(config, refs)
        found: list[Resource] = []
        self._resolve(refs, path, found, 0)
        return refs, [r for r in found if r is not resource]

    def raw_references(self, resource: Resource, attribute: str) -> list[str]:
        """The references of one attribute of the resource's block, as written (unresolved)."""
        config = self._block(resource)[1]
        return list(self._attribute_references(config, attribute)) if config is not None else []

    def sets(self, resource: Resource, attribute: str) -> bool | None:
        """Whether the resource's configuration block sets `attribute` (None: no block found).

        An attribute the configuration does not set and the plan shows as unknown is one the
        provider computes: its documented default, not an expression known only after apply."""
        config = self._block(resource)[1]
        if config is None:
            return None
        return bool(_expression_nodes(_dict(config.get("expressions")), attribute.split(".")))

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
        """References of a module call's input (`var`), a module's output or one of its locals (cached)."""
        key = (kind, names, name)
        refs = self._refs_cache.get(key)
        if refs is None:
            refs = []
            if kind == "var":
                _collect_references(_dict(self._module_call(names).get("expressions")).get(name), refs)
            elif kind == "local":
                _collect_references(_dict(_dict(self._module(names).get("locals")).get(name)).get("expression"), refs)
            else:
                outputs = _dict(self._module(names).get("outputs"))
                _collect_references(_dict(outputs.get(name)).get("expression"), refs)
            self._refs_cache[key] = refs
        return refs

    def _iterated(self, block: dict[str, Any], path: InstancePath, key: Any, depth: int) -> list[Resource]:
        """What a block's `for_each` iterates (for `each.value`): the instance with the block's own
        key when there is one, else all of them."""
        cache_key = (id(block), path, depth)
        iterated = self._iterated_cache.get(cache_key)
        if iterated is None:  # every instance of the block asks it again
            iterated_refs: list[str] = []
            _collect_references(block.get("for_each_expression"), iterated_refs)
            found: list[Resource] = []
            self._resolve(iterated_refs, path, found, depth)
            iterated = self._iterated_cache[cache_key] = tuple(found)
        same_key = [r for r in iterated if r.index is not None and r.index == key]
        return same_key or list(iterated)

    def _resolve_named(
        self, kind: str, names: tuple[str, ...], name: str, path: InstancePath, depth: int
    ) -> tuple[Resource, ...]:
        """What a module input (`var`), local or module output leads to, once per instance path:
        references list every prefix of a traversal and locals read locals, so without this the
        same chain is walked again and again (CAF's archetype locals: minutes)."""
        key = (kind, names, name, path)
        known = self._named_cache.get(key)
        if known is not None:
            return known
        self._named_cache[key] = ()  # a cycle reads as nothing
        found: list[Resource] = []
        if kind == "var":
            inner = self._inner_references("var", names, name)
            self._resolve(inner, path[:-1], found, depth + 1)
            if any(ref.startswith("each.value") for ref in inner):
                # `parent_id = each.value.vnet_id` in a for_each module call
                found.extend(self._iterated(self._module_call(names), path[:-1], path[-1][1], depth + 1))
        else:
            self._resolve(self._inner_references(kind, names, name), path, found, depth + 1)
        answer = tuple({id(r): r for r in found}.values())
        self._named_cache[key] = answer
        return answer

    def _resolve(self, refs: list[str], path: InstancePath, found: list[Resource], depth: int) -> None:
        if depth > self.MAX_DEPTH:
            return
        names = tuple(n for n, _ in path)
        targets: dict[str, list[Any]] = {}  # local address -> keys asked for (None: no key)
        named_outputs = _modules_with_named_outputs(refs)
        for ref in refs:
            steps = _traversal(ref)
            if not steps or steps[0] in _NOT_RESOURCES:
                continue
            head = steps[0]
            if head == "var" and len(steps) > 1 and path:
                found.extend(self._resolve_named("var", names, steps[1], path, depth))
            elif head == "local":
                # only HCL's configuration has locals (Terraform's JSON leaves them out)
                if len(steps) > 1 and isinstance(steps[1], str):
                    found.extend(self._resolve_named("local", names, steps[1], path, depth))
            elif head == "module" and len(steps) > 1 and isinstance(steps[1], str):
                has_key = len(steps) > 2 and isinstance(steps[2], _Key)
                key = steps[2].value if has_key else _ANY
                rest = steps[3:] if has_key else steps[2:]
                if rest and isinstance(rest[0], str):
                    outputs = [rest[0]]
                elif steps[1] in named_outputs:
                    continue  # the prefix Terraform lists next to `module.x.output`
                else:
                    # the whole module object (`{ for k, m in module.vnet : k => m.id }`): the
                    # value can come from any of its outputs
                    outputs = sorted(_dict(self._module((*names, steps[1])).get("outputs")))
                child = (*path, (steps[1], key))
                for output in outputs:
                    found.extend(self._resolve_named("output", (*names, steps[1]), output, child, depth))
            elif head == "data" and len(steps) > 2:
                key = steps[3].value if len(steps) > 3 and isinstance(steps[3], _Key) else None
                targets.setdefault(f"data.{steps[1]}.{steps[2]}", []).append(key)
            elif len(steps) > 1 and isinstance(head, str) and isinstance(steps[1], str) and head != "var":
                key = steps[2].value if len(steps) > 2 and isinstance(steps[2], _Key) else None
                targets.setdefault(f"{head}.{steps[1]}", []).append(key)
        # A fully keyed module path is looked up directly (scanning every instance of a for_each
        # module per reference is quadratic on large plans).
        exact = not any(k is _ANY for _, k in path)
        for local, keys in targets.items():
            keyed = [k for k in keys if k is not None and k is not _ANY]
            if exact:
                candidates = self._exact_index().get((path, local), ())
            else:
                instances = self._any_instance_index().get((names, local), ())
                candidates = [r for instance_path, r in instances if _matches(instance_path, path)]
            found.extend(r for r in candidates if not keyed or r.index in keyed)

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
            configured = config.get("provider_config_key")
            key = configured if isinstance(configured, str) else "azurerm"
            sub = by_key.get(key) or by_key.get(key.rsplit(":", 1)[-1]) or by_key.get("azurerm")
            r.provider_subscription = sub


def _modules_with_named_outputs(refs: list[str]) -> set[str]:
    """Module calls that `refs` read a named output of (`module.hub.vnet_id`, `module.s["a"].id`)."""
    named: set[str] = set()
    for ref in refs:
        steps = _traversal(ref)
        if len(steps) > 2 and steps[0] == "module" and isinstance(steps[1], str):
            rest = steps[3:] if isinstance(steps[2], _Key) else steps[2:]
            if rest and isinstance(rest[0], str):
                named.add(steps[1])
    return named


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def configuration_address(r: Resource) -> tuple[tuple[str, ...], str]:
    """Where a resource instance is written: the module call names from the root and its address
    inside that module without instance key (`module.a["x"].azurerm_x.y[0]` -> (("a",), "azurerm_x.y"))."""
    return tuple(name for name, _ in _instance_path(r.module)), _local_address(r)


def _local_address(r: Resource) -> str:
    """Address inside its module, without instance key: `azurerm_x.y` or `data.azurerm_x.y`."""
    local = r.source_address[len(r.module) + 1 :] if r.module else r.source_address
    bracket = local.find("[")
    return local[:bracket] if bracket != -1 else local


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
