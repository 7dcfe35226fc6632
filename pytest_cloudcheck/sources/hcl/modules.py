"""Terraform module folders: which files make a module, which blocks it declares, which modules
it calls (read recursively), and its `configuration` in the shape `terraform show -json` writes it
(so `PlanConfiguration` answers `Resource.references()` for HCL exactly as for plans).

Local modules (`./x`, `../x`) are read where their path points. Registry and git modules are read
where `terraform init` left them: `.terraform/modules/modules.json` lists every module call of the
tree by its key (`hub`, `hub.vnet`: call names from the root) with its `Source`, `Version` and
`Dir`. A call that is not installed there is a gap (`ModuleTree.gaps`) telling the user to run
`terraform init -backend=false` first; it is never silently empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ..plan import display_path
from . import inputs
from .parse import Body, ParseCache, ParsedFile, ParseStats, parse_files
from .references import references

#: attributes of resource and module blocks that are Terraform's, not the provider's
META_ATTRIBUTES = frozenset({"count", "for_each", "provider", "providers", "depends_on", "source", "version"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "precondition", "postcondition"})


@dataclass(slots=True)
class Block:
    kind: str  # resource, data, module, variable, output, provider, locals, ...
    labels: list[str]
    file: str  # as displayed
    line: int
    body: Body

    def attribute(self, name: str) -> list[Any] | None:
        """[line, expression] of an attribute, or None."""
        return self.body["a"].get(name)

    def literal(self, name: str) -> Any:
        entry = self.attribute(name)
        if entry is not None and entry[1][0] == "L":
            return entry[1][1]
        return None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class ModuleSource:
    """One module folder, parsed."""

    directory: Path
    display: str
    files: list[ParsedFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, tuple[str, int, list[Any]]] = field(default_factory=dict)  # name -> file, line, expr
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str, str], Block] = field(default_factory=dict)  # (mode, type, name)
    module_calls: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    _configuration: dict[str, Any] | None = None
    _types: dict[str, set[str]] | None = None

    def resource_types(self, mode: str) -> set[str]:
        """Types declared in the module (`managed` or `data`); computed once, asked per name."""
        if self._types is None:
            types: dict[str, set[str]] = {"managed": set(), "data": set()}
            for m, t, _ in self.resources:
                types[m].add(t)
            self._types = types
        return self._types[mode]


def module_files(directory: Path, display: str) -> tuple[list[Path], list[str]]:
    """The `*.tf` and `*.tf.json` files Terraform reads in a folder; override files are listed
    separately (merging them is not supported: they are reported as not read)."""
    found = inputs.kind(directory)
    if found == "missing":
        raise SourceError(display, "folder not found; expected a Terraform root module folder")
    if found != "dir":
        raise SourceError(display, "is not a folder; --cloudcheck-hcl takes a Terraform module folder")
    try:
        entries = inputs.files_in(directory)
    except OSError as exc:
        raise SourceError(display, f"cannot be read ({exc.strerror or exc})") from None
    files: list[Path] = []
    overrides: list[str] = []
    for path in entries:
        name = path.name
        if not (name.endswith(".tf") or name.endswith(".tf.json")):
            continue
        stem = name.removesuffix(".json").removesuffix(".tf")
        if stem == "override" or stem.endswith("_override"):
            overrides.append(name)
            continue
        files.append(path)
    return files, overrides


def _is_local(source: str) -> bool:
    return source.startswith("./") or source.startswith("../")


# ---------------------------------------------------------------------------------------------
# .terraform/modules/modules.json: the modules `terraform init` installed

MANIFEST = Path(".terraform") / "modules" / "modules.json"
INIT_HINT = "run `terraform init -backend=false` in the root module first"


@dataclass(frozen=True, slots=True)
class InstalledModule:
    """One record of modules.json: a module call (by key) and the folder it was installed in."""

    key: str
    source: str
    version: str | None
    directory: Path


def read_manifest(root: Path) -> dict[str, InstalledModule] | None:
    """The records of `<root>/.terraform/modules/modules.json` by key; None when there is none."""
    path = root / MANIFEST
    display = display_path(path)
    try:
        text = inputs.read(path)[0].decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(display, f"cannot be read ({exc}); {INIT_HINT}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{display}:{exc.lineno}", f"invalid JSON ({exc.msg}); {INIT_HINT}") from None
    records = doc.get("Modules") if isinstance(doc, dict) else None
    if not isinstance(records, list):
        raise SourceError(display, f"is not a Terraform modules manifest (no Modules list); {INIT_HINT}")
    out: dict[str, InstalledModule] = {}
    for record in records:
        if not isinstance(record, dict) or not isinstance(record.get("Key"), str):
            raise SourceError(display, f"a record has no Key; {INIT_HINT}")
        key, source, directory = record["Key"], record.get("Source"), record.get("Dir")
        if not key:
            continue  # the root module itself
        if not isinstance(source, str) or not isinstance(directory, str):
            raise SourceError(display, f"module {key!r} has no Source or Dir; {INIT_HINT}")
        version = record.get("Version")
        out[key] = InstalledModule(
            key, source, version if isinstance(version, str) and version else None, root / directory
        )
    return out


_REGISTRY_HOST = "registry.terraform.io/"


def same_source(written: str, recorded: str) -> bool:
    """Whether the manifest's `Source` is the one the call writes (Terraform records registry
    addresses with their host, `registry.terraform.io/Azure/x/azurerm`, and git shorthands as
    `git::https://...`): a changed source means the installed copy is stale."""
    if written == recorded:
        return True
    if "::" in written or "://" in written or "::" in recorded or "://" in recorded:
        return True  # a go-getter address: Terraform normalises these in ways not worth guessing
    strip = lambda text: text.removeprefix(_REGISTRY_HOST).lower()  # noqa: E731
    return strip(written) == strip(recorded)


@dataclass(slots=True)
class ModuleTree:
    """Every module folder of a root module, parsed once, and which folder each module key is."""

    root: ModuleSource
    #: folder -> parsed module (a folder called from two places is parsed once)
    modules: dict[Path, ModuleSource]
    #: module key (`hub`, `hub.vnet`) -> folder, for every call that was read
    keys: dict[str, Path]
    #: module key -> (file:line of the call, why it was not read) of calls not read; the fix is
    #: always `INIT_HINT`
    gaps: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the manifest's records (None: the root has no `.terraform/modules/modules.json`)
    manifest: dict[str, InstalledModule] | None = None

    def source_of(self, key: str) -> ModuleSource | None:
        directory = self.keys.get(key)
        return self.modules[directory] if directory is not None else None


def child_key(parent: str, call: str) -> str:
    return f"{parent}.{call}" if parent else call


def _collect_blocks(module: ModuleSource, parsed: ParsedFile, display: str) -> None:
    """The module's blocks; a name declared twice is an error in `terraform validate`'s words."""
    for kind, labels, line, body in parsed.body["b"]:
        block = Block(kind, labels, display, line, body)
        where = f"{display}:{line}"
        if kind in ("resource", "data"):
            if len(labels) != 2:
                raise SourceError(where, f"a {kind} block needs two labels (type and name)")
            key = (("managed" if kind == "resource" else "data"), labels[0], labels[1])
            _unique(module.resources, key, block, kind, labels)
            module.resources[key] = block
        elif kind in ("module", "variable", "output"):
            table = {"module": module.module_calls, "variable": module.variables, "output": module.outputs}[kind]
            _unique(table, labels[0], block, kind, labels)
            table[labels[0]] = block
        elif kind == "provider":
            module.providers.append(block)
        elif kind == "locals":
            for name, (attr_line, expr) in body["a"].items():
                if name in module.locals:
                    first = module.locals[name]
                    raise SourceError(
                        f"{display}:{attr_line}",
                        f'Duplicate local value definition: A local value named "{name}" was already defined at '
                        f"{first[0]}:{first[1]}. Local value names must be unique within a module.",
                    )
                module.locals[name] = (display, attr_line, expr)


#: `terraform validate`'s words for a block declared twice (terraform 1.11), by block kind
_DUPLICATE = {
    "resource": 'Duplicate resource "{0}" configuration: A {0} resource named "{1}" was already declared at '
    "{where}. Resource names must be unique per type in each module.",
    "data": 'Duplicate data "{0}" configuration: A {0} data resource named "{1}" was already declared at '
    "{where}. Resource names must be unique per type in each module.",
    "module": 'Duplicate module call: A module call named "{0}" was already defined at {where}. Module calls '
    "must have unique names within a module.",
    "variable": 'Duplicate variable declaration: A variable named "{0}" was already declared at {where}. '
    "Variable names must be unique within a module.",
    "output": 'Duplicate output definition: An output named "{0}" was already defined at {where}. Output names '
    "must be unique within a module.",
}


def _unique(table: dict[Any, Block], key: Any, block: Block, kind: str, labels: list[str]) -> None:
    first = table.get(key)
    if first is not None:
        raise SourceError(block.where, _DUPLICATE[kind].format(*labels, where=first.where))


def load_module_tree(root: Path, cache: ParseCache | None, stats: ParseStats) -> ModuleTree:
    """Parse a root module and every module it calls (recursively: local ones where their path
    points, registry and git ones where modules.json says `terraform init` put them), level by
    level so that each level's files are parsed in one batch (in parallel where that pays)."""
    resolved_root = inputs.resolved(root)
    manifest = read_manifest(root) if inputs.kind(root) == "dir" else None  # module_files says what is wrong
    modules: dict[Path, ModuleSource] = {}
    tree = ModuleTree(ModuleSource(resolved_root, display_path(root)), modules, {"": resolved_root}, {}, manifest)
    level: list[tuple[str, Path]] = [("", resolved_root)]
    while level:
        batch: list[tuple[Path, str]] = []
        new_modules: list[tuple[ModuleSource, list[tuple[Path, str]]]] = []
        for _, directory in level:
            if directory in modules:
                continue
            display = tree.root.display if directory == resolved_root else display_path(directory)
            files, overrides = module_files(directory, display)
            module = ModuleSource(directory, display, ignored_files=overrides)
            modules[directory] = module
            own = [(f, display_path(f)) for f in files]
            new_modules.append((module, own))
            batch.extend(own)
        parsed = parse_files(batch, cache, stats=stats)
        for module, own in new_modules:
            for path, display in own:
                module.files.append(parsed[path])
                _collect_blocks(module, parsed[path], display)
        next_level: list[tuple[str, Path]] = []
        for key, directory in level:
            for name, call in modules[directory].module_calls.items():
                found = _child_directory(tree, key, directory, name, call)
                if found is not None:
                    tree.keys[child_key(key, name)] = found
                    next_level.append((child_key(key, name), found))
        level = next_level
    tree.root = modules[resolved_root]
    return tree


def _child_directory(tree: ModuleTree, parent_key: str, parent_dir: Path, name: str, call: Block) -> Path | None:
    """The folder of one module call, or None (and a gap) when it was not installed."""
    source = call.literal("source")
    if not isinstance(source, str):
        raise SourceError(call.where, f'module "{name}" has no literal source')
    key = child_key(parent_key, name)
    installed = tree.manifest.get(key) if tree.manifest is not None else None
    if _is_local(source) and installed is None:
        child = inputs.resolved(parent_dir / source)
        if inputs.kind(child) != "dir":
            raise SourceError(
                call.where, f'module "{name}": source "{source}" not found (no folder {display_path(child)})'
            )
        return child
    if installed is None:
        if tree.manifest is None:
            tree.gaps[key] = (call.where, f"(source {source!r}) was not read: no {MANIFEST.as_posix()}")
        else:
            tree.gaps[key] = (
                call.where,
                f"(source {source!r}) was not read: not installed (not in {MANIFEST.as_posix()})",
            )
        return None
    if not _is_local(source) and not same_source(source, installed.source):
        tree.gaps[key] = (
            call.where,
            f"(source {source!r}) was not read: the installed copy is stale (installed from {installed.source!r})",
        )
        return None
    directory = inputs.resolved(installed.directory)
    if inputs.kind(directory) != "dir":
        tree.gaps[key] = (
            call.where,
            f"(source {source!r}) was not read: its folder {display_path(directory)} is missing",
        )
        return None
    return directory


# ---------------------------------------------------------------------------------------------
# The configuration section, as `terraform show -json` writes it


def expressions_of(body: Body, skip: frozenset[str] = META_ATTRIBUTES) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (_, expr) in body["a"].items():
        if name in skip:
            continue
        out[name] = expression_of(expr)
    for kind, labels, _, inner in body["b"]:
        if kind in META_BLOCKS:
            continue
        if kind == "dynamic" and labels:
            content: dict[str, Any] = next((b[3] for b in inner["b"] if b[0] == "content"), {"a": {}, "b": []})
            out.setdefault(labels[0], []).append(_through_iterator(expressions_of(content), labels[0], inner))
            continue
        out.setdefault(kind, []).append(expressions_of(inner))
    return dict(sorted(out.items()))  # as Terraform writes them (and so references come in that order)


def _through_iterator(expressions: Any, label: str, dynamic: Body) -> Any:
    """A dynamic block's content reads its iterator (`ip_configuration.value.subnet_id`), which no
    resolver knows: read it as what the iterator walks, the block's `for_each` (so a subnet id handed
    through a module variable into a dynamic block still leads to the subnet). Terraform's own JSON
    leaves dynamic blocks out; this is the HCL source knowing more, never less."""
    iterator_entry = dynamic["a"].get("iterator")
    iterator = iterator_entry[1][1] if iterator_entry is not None and iterator_entry[1][0] == "V" else label
    for_each = dynamic["a"].get("for_each")
    walked = references(for_each[1]) if for_each is not None else []

    def rewrite(node: Any) -> Any:
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "references" in node and isinstance(node["references"], list):
            refs = node["references"]
            own = [r for r in refs if r.split(".", 1)[0].split("[", 1)[0] != iterator]
            if len(own) < len(refs):
                return {**node, "references": list(dict.fromkeys([*own, *walked]))}
            return node
        return {key: rewrite(value) for key, value in node.items()}

    return rewrite(expressions)


def expression_of(expr: list[Any]) -> dict[str, Any]:
    if expr[0] == "L":
        return {"constant_value": expr[1]}
    refs = references(expr)
    return {"references": refs} if refs else {}


def provider_key(block: Block) -> str:
    entry = block.attribute("provider")
    if entry is None:
        return block.labels[0].split("_", 1)[0]
    expr = entry[1]
    if expr[0] == "A" and expr[1][0] == "V":
        return f"{expr[1][1]}.{expr[2]}"
    if expr[0] == "V":
        return str(expr[1])
    return block.labels[0].split("_", 1)[0]


class _ResourceEntry(dict[str, Any]):
    """A resource's configuration entry whose `expressions` are worked out when first read:
    most resources are never asked for references, and a big tree has tens of thousands."""

    def __init__(self, body: Body) -> None:
        super().__init__()
        self._body = body

    def _expressions(self) -> None:
        if not dict.__contains__(self, "expressions"):
            self["expressions"] = expressions_of(self._body)

    def get(self, key: str, default: Any = None) -> Any:
        if key == "expressions":
            self._expressions()
        return dict.get(self, key, default)

    def __getitem__(self, key: str) -> Any:
        if key == "expressions":
            self._expressions()
        return dict.__getitem__(self, key)

    def settle(self) -> None:
        """Work the expressions out now and let the block's body go."""
        self._expressions()
        self._body = {"a": {}, "b": []}

    def __reduce_ex__(self, protocol: Any) -> Any:
        # settled, it is the plain dict it reads as: a kept load (saved.py) or a handoff is read
        # back without importing this module
        if dict.__contains__(self, "expressions"):
            return dict, (dict(self),)
        return super().__reduce_ex__(protocol)


def settle(module_config: dict[str, Any]) -> None:
    """Every resource entry of a configuration section (and of its child modules) with its
    expressions worked out: a kept load (saved.py) then stores those instead of the blocks'
    bodies, about half the size, and a warm run does not work them out again."""
    for entry in module_config.get("resources", ()):
        if isinstance(entry, _ResourceEntry):
            entry.settle()
    for call in module_config.get("module_calls", {}).values():
        if "module" in call:
            settle(call["module"])


def configuration(tree: ModuleTree, key: str = "", depth: int = 0) -> dict[str, Any]:
    """The `configuration` entry (resources, module_calls, outputs, locals) of module `key`, with references."""
    module = tree.source_of(key)
    assert module is not None
    if module._configuration is not None:
        return module._configuration
    resources = []
    for (mode, tf_type, name), block in module.resources.items():
        local = f"{tf_type}.{name}" if mode == "managed" else f"data.{tf_type}.{name}"
        entry: dict[str, Any] = _ResourceEntry(block.body)
        entry.update(address=local, mode=mode, type=tf_type, name=name, provider_config_key=provider_key(block))
        for meta in ("count", "for_each"):
            attr = block.attribute(meta)
            if attr is not None:
                entry[f"{meta}_expression"] = expression_of(attr[1])
        resources.append(entry)
    calls: dict[str, Any] = {}
    for name, call in module.module_calls.items():
        entry = {"source": call.literal("source"), "expressions": expressions_of(call.body)}
        for meta in ("count", "for_each"):  # as Terraform's JSON gives them for module calls
            attr = call.attribute(meta)
            if attr is not None:
                entry[f"{meta}_expression"] = expression_of(attr[1])
        if child_key(key, name) in tree.keys and depth < 64:
            entry["module"] = configuration(tree, child_key(key, name), depth + 1)
        calls[name] = entry
    outputs = {}
    for name, output in module.outputs.items():
        value = output.attribute("value")
        outputs[name] = {"expression": expression_of(value[1]) if value else {}}
    # Terraform's JSON has no locals; the HCL source adds them so references read through a local
    # (`local.firewall_ip_configurations[each.key]`) still lead to resources
    locals_ = {name: {"expression": expression_of(expr)} for name, (_, _, expr) in module.locals.items()}
    module._configuration = {"resources": resources, "module_calls": calls, "outputs": outputs, "locals": locals_}
    return module._configuration
