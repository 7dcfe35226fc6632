"""Plan resources located in the Terraform source they were planned from (file and line).

A plan has no line numbers. Given the root module folders the plans were made from
(`cloudcheck_source_root`, or `--cloudcheck-hcl` given together with `--cloudcheck-plan`), every plan
or state resource whose block is found gets `origin` = the `.tf` file and line of its resource block
and `attribute_lines` = the lines of its attributes, as HCL resources have them: findings, the
terminal, the evidence, SARIF and Markdown then point at the source, and a finding about one
attribute at that attribute's line.

An address is mapped through the configuration, not evaluated: `module.a["x"].module.b[0].azurerm_x.y`
is the block `azurerm_x.y` in the folder that call `b` of call `a` reads (hcl/modules.py finds it:
local paths, or `.terraform/modules/modules.json` for registry and git modules). A module call whose
`source` in the plan's `configuration` differs from the one in the folder is not the code that was
planned: its resources get no location. An address without a block gets none either (the source
header counts them): never an error.

With several roots, each plan is located in the one that fits it best: most blocks found, then most
literal attribute values agreeing with the plan's configuration (a prod and a test root often differ
only in names). A root that locates nothing of any plan is an error: it is not what was planned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import Origin, Resource
from .hcl.modules import META_ATTRIBUTES, META_BLOCKS, Block, ModuleTree, load_module_tree
from .hcl.parse import Body, ParseCache, ParseStats
from .loaded import LoadedSource
from .plan import display_path
from .references import configuration_address


def block_lines(body: Body, prefix: str = "") -> dict[str, int]:
    """The line of every attribute and nested block of a resource block, by dotted path
    (`customer_managed_key.key_vault_key_id`), as the HCL source records them while evaluating
    (a `dynamic "x"` block stands for the blocks `x` it makes)."""
    lines: dict[str, int] = {}
    for name, (line, _) in body["a"].items():
        if not prefix and name in META_ATTRIBUTES:
            continue
        lines[prefix + name] = line
    for kind, labels, line, inner in body["b"]:
        if kind in META_BLOCKS:
            continue
        if kind == "dynamic" and labels:
            kind = labels[0]
            inner = next((b[3] for b in inner["b"] if b[0] == "content"), {"a": {}, "b": []})
        lines.setdefault(prefix + kind, line)
        for path, nested in block_lines(inner, f"{prefix}{kind}.").items():
            lines.setdefault(path, nested)
    return lines


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(slots=True)
class _Match:
    """What one root says about one plan: the block of each resource found, and how many literal
    values of those blocks agree (and disagree) with the plan's configuration."""

    blocks: dict[int, Block] = field(default_factory=dict)  # id(resource) -> block
    agree: int = 0

    @property
    def score(self) -> tuple[int, int]:
        return len(self.blocks), self.agree


class _Root:
    def __init__(self, path: Path, cache: ParseCache | None) -> None:
        self.display = display_path(path)
        self.tree: ModuleTree = load_module_tree(path, cache, ParseStats())
        if not self.tree.root.files:
            raise SourceError(
                self.display, "folder holds no *.tf files; expected the root module the plan was made from"
            )
        self.matched = False  # located a resource of some plan (whether or not the best fit)

    def match(self, resources: Iterable[Resource], configuration: dict[str, Any] | None) -> _Match:
        found = _Match()
        modules: dict[tuple[str, ...], Any] = {}  # call names -> the folder's module, or None
        compared: set[tuple[tuple[str, ...], str]] = set()
        configs: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}  # indexed once per module
        for r in resources:
            names, local = configuration_address(r)
            if names not in modules:
                modules[names] = self._module(names, configuration)
            module = modules[names]
            if module is None:
                continue
            mode = "data" if local.startswith("data.") else "managed"
            tf_type, _, name = local.removeprefix("data.").partition(".")
            block = module.resources.get((mode, tf_type, name))
            if block is None:
                continue
            found.blocks[id(r)] = block
            if configuration is not None and (names, local) not in compared:
                compared.add((names, local))
                if names not in configs:
                    configs[names] = _resource_configs(configuration, names)
                found.agree += _agreement(block, configs[names].get(local, {}))
        return found

    def _module(self, names: tuple[str, ...], configuration: dict[str, Any] | None) -> Any:
        """The folder's module at these call names, or None when it is not the one planned (its
        call's `source` differs from the plan's) or was not read (not installed)."""
        planned = _dict(_dict(configuration).get("root_module"))
        for depth in range(len(names)):
            parent = self.tree.source_of(".".join(names[:depth]))
            call = parent.module_calls.get(names[depth]) if parent is not None else None
            if call is None:
                return None
            planned_call = _dict(_dict(planned.get("module_calls")).get(names[depth]))
            source = planned_call.get("source")
            if configuration is not None and isinstance(source, str) and source != call.literal("source"):
                return None
            planned = _dict(planned_call.get("module"))
        return self.tree.source_of(".".join(names))


def _resource_configs(configuration: dict[str, Any], names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The plan's configuration entries of one module, by address (`azurerm_x.y`)."""
    module = _dict(configuration.get("root_module"))
    for name in names:
        module = _dict(_dict(_dict(module.get("module_calls")).get(name)).get("module"))
    resources = module.get("resources")
    return {
        entry["address"]: entry
        for entry in (resources if isinstance(resources, list) else ())
        if isinstance(entry, dict) and isinstance(entry.get("address"), str)
    }


def _agreement(block: Block, entry: dict[str, Any]) -> int:
    """Literal top-level values of the block that equal the plan's `constant_value`, minus those
    that differ."""
    score = 0
    for name, expression in _dict(entry.get("expressions")).items():
        if not isinstance(expression, dict) or "constant_value" not in expression:
            continue
        attribute = block.attribute(name)
        if attribute is None or attribute[1][0] != "L":
            continue
        score += 1 if attribute[1][1] == expression["constant_value"] else -1
    return score


class SourceRoots:
    """The root module folders plans were made from, each parsed once (HCL parse cache shared)."""

    def __init__(self, paths: Iterable[Path], cache: ParseCache | None = None) -> None:
        self.roots = [_Root(path, cache) for path in paths]

    def locate(self, source: LoadedSource, configuration: dict[str, Any] | None) -> None:
        """Give the source's resources the file and line of their block in the root that fits best;
        a note in the source's header says how many were located, and where."""
        resources = [*source.resources, *source.data_sources, *source.destroyed]
        if not resources or not self.roots:
            return
        matches = [(root.match(resources, configuration), root) for root in self.roots]
        for match, candidate in matches:
            candidate.matched = candidate.matched or bool(match.blocks)
        best, root = max(matches, key=lambda pair: pair[0].score)  # the first root wins a tie
        if not best.blocks:
            source.info.notes.append(
                "not located in the Terraform source: no resource block found in "
                + ", ".join(r.display for r in self.roots)
            )
            return
        for r in resources:
            block = best.blocks.get(id(r))
            if block is not None:
                r.origin = Origin(block.file, block.line)
                r.attribute_lines = block_lines(block.body)
        missing = len(resources) - len(best.blocks)
        note = f"located {len(best.blocks)} of {len(resources)} resources and data sources in {root.display}"
        source.info.notes.append(note + (f" ({missing} without a block there: no location)" if missing else ""))

    def check_used(self) -> None:
        """A root that located nothing of any plan is not what was planned: say so."""
        for root in self.roots:
            if not root.matched:
                raise SourceError(
                    root.display,
                    "locates no resource of any plan (cloudcheck_source_root, or --cloudcheck-hcl given with "
                    "--cloudcheck-plan, names the root module folders the plans were made from)",
                )
