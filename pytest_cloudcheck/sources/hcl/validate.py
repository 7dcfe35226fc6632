"""What `terraform validate` refuses before anything is evaluated: a reference to a resource, data
source or module call the module does not declare. An error naming file:line in Terraform's own
words (checked against terraform 1.11), never a silent unknown.

Only the expressions Terraform reads as references are checked: resource, data, module and output
bodies and locals; not `lifecycle` (its `ignore_changes` names attributes), `moved` / `import` /
`removed` / `check` blocks, provisioners, variables or providers. Names a `for` expression or a
`dynamic` block binds are not references.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...errors import SourceError
from .modules import META_BLOCKS, ModuleSource, ModuleTree
from .parse import Body
from .references import references

#: first steps of a traversal that name no resource (ephemeral resources are not read at all)
_NOT_RESOURCES = frozenset({"var", "local", "path", "terraform", "each", "count", "self", "ephemeral"})
#: resource and data attributes that hold no reference to a resource (`provider = azurerm.hub`)
_BLOCK_SKIP = frozenset({"provider"})
#: module-call attributes that hold no expression Terraform reads as a reference
_CALL_SKIP = frozenset({"source", "version", "providers"})


def validate_tree(tree: ModuleTree) -> None:
    """Every module of the tree, named as Terraform names it (`the root module`, `module.hub`)."""
    names: dict[Any, str] = {}
    for key, directory in sorted(tree.keys.items(), key=lambda item: (item[0].count("."), item[0])):
        names.setdefault(directory, "the root module" if not key else ".".join(f"module.{k}" for k in key.split(".")))
    for directory, module in tree.modules.items():
        validate_module(module, names.get(directory, "the root module"))


def validate_module(module: ModuleSource, name: str) -> None:
    for where, in_block, expr, bound in _expressions(module):
        for ref in references(expr, bound):
            _check(module, name, where, in_block, ref)


def _check(module: ModuleSource, name: str, where: str, in_block: str, ref: str) -> None:
    steps = _steps(ref)
    if steps[:1] == ["resource"]:  # `resource.azurerm_x.y`: the long form of `azurerm_x.y`
        steps = steps[1:]
    if len(steps) < 2 or steps[0] in _NOT_RESOURCES or (steps[0] not in ("module", "data") and "_" not in steps[0]):
        return  # not a resource (`ephemeral.x.y`, provider references): not this check's
    if steps[0] == "module":
        if steps[1] not in module.module_calls:
            raise SourceError(
                where,
                f'Reference to undeclared module{in_block}: No module call named "{steps[1]}" is declared in {name}.',
            )
        return
    if steps[0] == "data":
        if len(steps) >= 3 and ("data", steps[1], steps[2]) not in module.resources:
            raise SourceError(
                where,
                f"Reference to undeclared resource{in_block}: A data resource "
                f'"{steps[1]}" "{steps[2]}" has not been declared in {name}.',
            )
        return
    if ("managed", steps[0], steps[1]) not in module.resources:
        raise SourceError(
            where,
            f"Reference to undeclared resource{in_block}: A managed resource "
            f'"{steps[0]}" "{steps[1]}" has not been declared in {name}.',
        )


def _steps(ref: str) -> list[str]:
    """`azurerm_x.y["k"].id` -> ["azurerm_x", "y", "id"] (index keys dropped)."""
    out: list[str] = []
    for part in ref.split("."):
        name = part.split("[", 1)[0]
        if name:
            out.append(name)
    return out


def _expressions(module: ModuleSource) -> Iterator[tuple[str, str, Any, frozenset[str]]]:
    """(file:line, `, in resource "t" "n"`, expression, bound names) of every checked expression."""
    for (mode, tf_type, label), block in module.resources.items():
        kind = "resource" if mode == "managed" else "data"
        yield from _body(block.file, f', in {kind} "{tf_type}" "{label}"', block.body, frozenset(), skip=_BLOCK_SKIP)
    for label, block in module.module_calls.items():
        yield from _body(block.file, f', in module "{label}"', block.body, frozenset(), skip=_CALL_SKIP)
    for label, block in module.outputs.items():
        yield from _body(block.file, f', in output "{label}"', block.body, frozenset())
    for file, line, expr in module.locals.values():
        yield f"{file}:{line}", ", in locals", expr, frozenset()


def _body(
    file: str, in_block: str, body: Body, bound: frozenset[str], skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, str, Any, frozenset[str]]]:
    for attribute, (line, expr) in body["a"].items():
        if attribute not in skip:
            yield f"{file}:{line}", in_block, expr, bound
    for kind, labels, _line, inner in body["b"]:
        if kind in META_BLOCKS:
            continue
        if kind == "dynamic" and labels:
            iterator = inner["a"].get("iterator")
            name = iterator[1][1] if iterator is not None and iterator[1][0] == "V" else labels[0]
            for attribute, (line, expr) in inner["a"].items():
                if attribute == "for_each":
                    yield f"{file}:{line}", in_block, expr, bound
            for inner_kind, _labels, _inner_line, content in inner["b"]:
                if inner_kind == "content":
                    yield from _body(file, in_block, content, bound | {name})
            continue
        yield from _body(file, in_block, inner, bound)
