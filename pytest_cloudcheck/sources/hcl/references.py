"""References of HCL expressions, in the format of the `configuration` section of
`terraform show -json` (so the plan source's reference resolver reads them unchanged)."""

from __future__ import annotations

import json
from typing import Any

from .template_syntax import expressions as template_expressions

Expr = list[Any]


def references(expr: Expr, bound: frozenset[str] = frozenset()) -> list[str]:
    """Traversals the expression reads, each with its shorter prefixes, as `terraform show -json`
    lists them (`azurerm_x.y["k"].id`, `azurerm_x.y["k"]`, `azurerm_x.y`), except past a computed
    key, which reads as `[*]` (Terraform stops there). Names bound by `for` expressions are left out."""
    out: list[str] = []
    _collect(expr, bound, out)
    unique: dict[str, None] = dict.fromkeys(out)
    return list(unique)


def _traversal_steps(expr: Expr) -> tuple[list[str], list[Expr]] | None:
    """(["var", "x", '["k"]'], leftovers) for a traversal; leftovers are non-literal index keys."""
    steps: list[str] = []
    leftovers: list[Expr] = []
    current = expr
    while True:
        kind = current[0]
        if kind == "V":
            steps.append(current[1])
            steps.reverse()
            return steps, leftovers
        if kind == "A":
            steps.append(current[2])
        elif kind == "I":
            key = current[2]
            if key[0] == "L" and isinstance(key[1], (str, int)) and not isinstance(key[1], bool):
                steps.append(json.dumps(key[1]) if isinstance(key[1], str) else str(key[1]))
                steps[-1] = f"[{steps[-1]}]"
            else:
                # Terraform's JSON stops the traversal before a computed key (`module.x[each.key].out`
                # gives `module.x`, which names no output); the source keeps going with any key
                steps.append("[*]")
                leftovers.append(key)
        else:
            return None
        current = current[1]


def _render(steps: list[str]) -> str:
    text = steps[0]
    for step in steps[1:]:
        text += step if step.startswith("[") else "." + step
    return text


_ANY_KEY = "<any>"  # a computed index key: the traversal goes on as `[*]`


def _substituted(expr: Any, name: str, replacement: Expr) -> Any:
    """`expr` with the variable `name` replaced, except where an inner `for` binds it again."""
    if not isinstance(expr, list) or not expr:
        return expr
    if expr[0] == "V" and len(expr) == 2 and expr[1] == name:
        return replacement
    if expr[0] in ("FT", "FO") and name in (expr[1], expr[2]):
        return [*expr[:3], _substituted(expr[3], name, replacement), *expr[4:]]
    return [_substituted(item, name, replacement) if isinstance(item, list) else item for item in expr]


def _collect(expr: Any, bound: frozenset[str], out: list[str]) -> None:
    if not isinstance(expr, list) or not expr:
        return
    kind = expr[0]
    if not isinstance(kind, str):  # a list of expressions, or an object's [key, value] pair
        for sub in expr:
            _collect(sub, bound, out)
        return
    if kind == "T":
        for part in expr[1]:
            _collect(part, bound, out)
        return
    if kind == "TD":
        for part, part_bound in template_expressions(expr[1], bound):
            _collect(part, part_bound, out)
        return
    if kind in ("V", "A", "I"):
        found = _traversal_steps(expr)
        if found is not None:
            steps, leftovers = found
            if steps and steps[0] not in bound:
                minimum = 3 if steps[0] == "data" else 2
                for end in range(len(steps), minimum - 1, -1):
                    out.append(_render(steps[:end]))
            for key in leftovers:
                _collect(key, bound, out)
            if steps or leftovers:
                return
        # a traversal from an expression: look inside the base
        _collect(expr[1], bound, out)
        if kind == "I":
            _collect(expr[2], bound, out)
        return
    if kind in ("FT", "FO"):
        names = {n for n in (expr[1], expr[2]) if n}
        _collect(expr[3], bound, out)
        inner = bound | names
        for sub in expr[4:]:
            _collect(sub, inner, out)
        value_var = expr[2]
        if value_var and value_var not in bound and _traversal_steps(expr[3]) is not None:
            # `{ for k, m in module.vnets : k => m.resource_id }` reads every instance's output
            element = ["I", expr[3], ["V", _ANY_KEY]]
            for sub in expr[4:]:
                _collect(_substituted(sub, value_var, element), bound | (names - {value_var}), out)
        return
    if kind == "S":
        _collect(expr[1], bound, out)
        for step_kind, step in expr[2]:
            if step_kind == "i":
                _collect(step, bound, out)
        return
    for item in expr[1:]:
        if isinstance(item, list):
            _collect(item, bound, out)
