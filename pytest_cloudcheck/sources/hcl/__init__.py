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

from pathlib import Path

from ...settings import Settings
from ..loaded import LoadedSource, source_labels
from . import saved


def load_hcl_folder(path: Path, label: str | None = None, settings: Settings | None = None) -> LoadedSource:
    """Load one Terraform root module folder."""
    settings = settings if settings is not None else Settings()
    cache = settings.get("cache")
    label = label or path.resolve().name
    loads = saved.folder_store(cache)
    key = saved.key(path, label, settings) if loads is not None else ""
    if loads is not None:
        hit = saved.reuse(loads, key)
        if hit is not None:
            return hit
    from .loader import load_and_keep  # the evaluator, the parser and python-hcl2: only on a miss

    return load_and_keep(path, label, settings, loads, key)


def load_hcl(settings: Settings) -> list[LoadedSource]:
    """The `hcl` loader (sources/kinds.py): every `--cloudcheck-hcl` folder."""
    folders = list(settings.hcl)
    labels = source_labels([Path(str(f).rstrip("/")).resolve() for f in folders])
    return [load_hcl_folder(f, label, settings) for f, label in zip(folders, labels, strict=True)]


__all__ = ["load_hcl", "load_hcl_folder"]
