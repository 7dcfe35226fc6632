"""Terraform module folders: which files make a module, which blocks it declares, which local
modules it calls (read recursively), and its `configuration` in the shape `terraform show -json`
writes it (so `PlanConfiguration` answers `Resource.references()` for HCL exactly as for plans).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ..plan import display_path
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
    #: call name -> resolved folder of a local child module (remote calls are not here)
    children: dict[str, Path] = field(default_factory=dict)
    #: call name -> source string of modules that are not read (registry, git, ...)
    remote: dict[str, str] = field(default_factory=dict)
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
    if not directory.exists():
        raise SourceError(display, "folder not found; expected a Terraform root module folder")
    if not directory.is_dir():
        raise SourceError(display, "is not a folder; --cloudcheck-hcl takes a Terraform module folder")
    try:
        entries = sorted(p for p in directory.iterdir() if p.is_file())
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


def _collect_blocks(module: ModuleSource, parsed: ParsedFile, display: str) -> None:
    for kind, labels, line, body in parsed.body["b"]:
        block = Block(kind, labels, display, line, body)
        where = f"{display}:{line}"
        if kind in ("resource", "data"):
            if len(labels) != 2:
                raise SourceError(where, f"a {kind} block needs two labels (type and name)")
            module.resources[(("managed" if kind == "resource" else "data"), labels[0], labels[1])] = block
        elif kind == "module":
            module.module_calls[labels[0]] = block
        elif kind == "variable":
            module.variables[labels[0]] = block
        elif kind == "output":
            module.outputs[labels[0]] = block
        elif kind == "provider":
            module.providers.append(block)
        elif kind == "locals":
            for name, (attr_line, expr) in body["a"].items():
                module.locals[name] = (display, attr_line, expr)


def load_module_tree(
    root: Path, cache: ParseCache | None, stats: ParseStats
) -> tuple[ModuleSource, dict[Path, ModuleSource]]:
    """Parse a root module and every local module it calls (recursively), level by level so that
    each level's files are parsed in one batch (in parallel where that pays)."""
    modules: dict[Path, ModuleSource] = {}
    level = [root.resolve()]
    root_display = display_path(root)
    while level:
        batch: list[tuple[Path, str]] = []
        new_modules: list[tuple[ModuleSource, list[tuple[Path, str]]]] = []
        for directory in level:
            if directory in modules:
                continue
            display = root_display if directory == root.resolve() else display_path(directory)
            files, overrides = module_files(directory, display)
            module = ModuleSource(directory, display, ignored_files=overrides)
            modules[directory] = module
            own = [(f, display_path(f)) for f in files]
            new_modules.append((module, own))
            batch.extend(own)
        parsed = parse_files(batch, cache, stats=stats)
        next_level: list[Path] = []
        for module, own in new_modules:
            for path, display in own:
                module.files.append(parsed[path])
                _collect_blocks(module, parsed[path], display)
            for name, call in module.module_calls.items():
                source = call.literal("source")
                if not isinstance(source, str):
                    raise SourceError(call.where, f'module "{name}" has no literal source')
                if not _is_local(source):
                    module.remote[name] = source
                    continue
                child = (module.directory / source).resolve()
                if not child.is_dir():
                    raise SourceError(
                        call.where, f'module "{name}": source "{source}" not found (no folder {display_path(child)})'
                    )
                module.children[name] = child
                next_level.append(child)
        level = next_level
    return modules[root.resolve()], modules


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
            out.setdefault(labels[0], []).append(expressions_of(content))
            continue
        out.setdefault(kind, []).append(expressions_of(inner))
    return dict(sorted(out.items()))  # as Terraform writes them (and so references come in that order)


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


def configuration(module: ModuleSource, modules: dict[Path, ModuleSource], depth: int = 0) -> dict[str, Any]:
    """The module's `configuration` entry (resources, module_calls, outputs) with references."""
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
        child = module.children.get(name)
        if child is not None and depth < 64:
            entry["module"] = configuration(modules[child], modules, depth + 1)
        calls[name] = entry
    outputs = {}
    for name, output in module.outputs.items():
        value = output.attribute("value")
        outputs[name] = {"expression": expression_of(value[1]) if value else {}}
    module._configuration = {"resources": resources, "module_calls": calls, "outputs": outputs}
    return module._configuration
