"""Render the declarations of tfplan.py as Terraform source (run `terraform fmt -recursive` after).

Used by `make_plans.py --hcl`: the .tf files in the repository were written this way and then
formatted with `terraform fmt`, so source and plans cannot drift apart.
"""

from __future__ import annotations

import os
import re

from .tfplan import AB, B, E, Raw, instantiate

_IDENT = re.compile(r"^[A-Za-z_][\w-]*$")


def literal(v, indent):
    pad = "  " * indent
    if isinstance(v, E):
        return v.text.replace("\n", "\n" + pad)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            return "[" + ", ".join(literal(x, indent) for x in v) + "]"
        inner = ",\n".join(pad + "  " + literal(x, indent + 1) for x in v)
        return "[\n" + inner + ",\n" + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        lines = []
        for k, x in v.items():
            key = k if _IDENT.match(k) else literal(k, 0)
            lines.append(f"{pad}  {key} = {literal(x, indent + 1)}")
        return "{\n" + "\n".join(lines) + "\n" + pad + "}"
    raise TypeError(v)


def body(attrs, indent):
    pad = "  " * indent
    out, blocks = [], []
    for k, v in attrs.items():
        if isinstance(v, AB):
            blocks += [(k, b) for b in v.blocks]
        elif isinstance(v, list) and v and all(isinstance(b, B) for b in v):
            blocks += [(k, b) for b in v]
        else:
            out.append(f"{pad}{k} = {literal(v, indent)}")
    for k, b in blocks:
        if out:
            out.append("")
        out.append(f"{pad}{k} {{")
        out += body(b, indent + 1)
        out.append(f"{pad}}}")
    return out


def resource_block(r):
    head = []
    if r.comment:
        head += [f"# {line}" if line else "#" for line in r.comment.split("\n")]
    kind = "resource" if r.mode == "managed" else "data"
    lines = [f'{kind} "{r.type}" "{r.name}" {{']
    meta = []
    if r.provider:
        meta.append(f"  provider = {r.provider}")
    if r.for_each is not None:
        meta.append(f"  for_each = {literal(r.for_each, 1)}")
    if r.count is not None:
        meta.append(f"  count = {literal(r.count, 1)}")
    lines += meta
    if meta and r.attrs:
        lines.append("")
    lines += body(r.attrs, 1)
    if r.depends_on:
        lines += ["", f"  depends_on = [{', '.join(r.depends_on)}]"]
    lines.append("}")
    return "\n".join(head + lines)


def write_module(folder, mdef, var_values, providers=None, calls_var_values=None):
    """Write variables.tf, <file>.tf per resource group, outputs.tf (and providers.tf for roots)."""
    os.makedirs(folder, exist_ok=True)
    inst = instantiate(mdef, "", var_values)
    files = {}
    seen = set()
    for r in inst.resources:
        if r.block_address in seen:
            continue
        seen.add(r.block_address)
        files.setdefault(r.file, []).append(resource_block(r))
    for c in inst.calls:
        args = next(iter(c.instances.values()))
        lines = [] if not c.comment else [f"# {line}" if line else "#" for line in c.comment.split("\n")]
        lines += [f'module "{c.name}" {{', f'  source = "{c.source}"', f"  for_each = {literal(c.for_each, 1)}", ""]
        lines += body(args, 1)
        lines.append("}")
        files.setdefault(c.file, []).append("\n".join(lines))
    if mdef.locals:
        loc = (
            ["locals {"]
            + [f"  {k} = {literal(v, 1) if not isinstance(v, Raw) else v.text}" for k, v in mdef.locals.items()]
            + ["}"]
        )
        files.setdefault("locals", []).insert(0, "\n".join(loc))
    for name, blocks in files.items():
        text = "\n\n".join(blocks) + "\n"
        if name == "main" and mdef.header:
            text = mdef.header + "\n\n" + text
        _write(os.path.join(folder, f"{name}.tf"), text)
    vars_ = []
    for n, v in mdef.variables.items():
        lines = [f'variable "{n}" {{']
        if v.description:
            lines.append(f"  description = {literal(v.description, 1)}")
        lines.append(f"  type = {v.type_text}")
        if v.has_default:
            lines.append(f"  default = {literal(v.default, 1)}")
        if v.sensitive:
            lines.append("  sensitive = true")
        lines.append("}")
        vars_.append("\n".join(lines))
    if vars_:
        _write(os.path.join(folder, "variables.tf"), "\n\n".join(vars_) + "\n")
    outs = []
    for n, o in mdef.outputs.items():
        lines = [f'output "{n}" {{']
        if o.description:
            lines.append(f"  description = {literal(o.description, 1)}")
        lines.append(f"  value = {literal(o.expr, 1)}")
        if o.sensitive:
            lines.append("  sensitive = true")
        lines.append("}")
        outs.append("\n".join(lines))
    if outs:
        _write(os.path.join(folder, "outputs.tf"), "\n\n".join(outs) + "\n")
    if providers is not None:
        lines = [
            "terraform {",
            '  required_version = ">= 1.9"',
            "  required_providers {",
            "    azurerm = {",
            '      source = "hashicorp/azurerm"',
            '      version = "~> 4.20"',
            "    }",
            "  }",
            "}",
        ]
        for p in providers:
            lines += ["", 'provider "azurerm" {']
            if p.get("alias"):
                lines.append(f'  alias = "{p["alias"]}"')
            if p.get("comment"):
                lines.append(f"  # {p['comment']}")
            lines += [f'  subscription_id = "{p["subscription_id"]}"', "  features {}", "}"]
        _write(os.path.join(folder, "providers.tf"), "\n".join(lines) + "\n")


def _write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
