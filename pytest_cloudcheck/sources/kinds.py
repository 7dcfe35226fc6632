"""The one registry of source kinds: each row is a kind's name, its options and its loader.

Settings (`has_source`, `source_kinds`), the options the plugin registers, the `source` marker's
values and `build_inventory` all read this table, so a new source is its module plus one row.
Loaders are named by path and imported only when their kind is configured (the HCL and live
loaders bring in python-hcl2 and the Azure SDK).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..option import Option

if TYPE_CHECKING:
    from .loaded import LoadedSource


class SourceKind(NamedTuple):
    #: the kind's name: the `source` marker's value ("plan" covers states too)
    name: str
    #: `module:function` taking the run's Settings, returning the loaded sources
    loader: str
    #: its options (registered by the plugin, documented in the reference)
    options: tuple[Option, ...]
    #: the options whose value makes the kind configured (the others only tune it)
    configured_by: tuple[str, ...]
    #: a kind whose presence makes this one a source root instead of a source: its folders only
    #: locate that kind's resources in their source (sources/locate.py), they add none
    locates_for: str | None = None

    def is_configured(self, values: Mapping[str, Any] | Callable[[str], Any]) -> bool:
        get = values.get if isinstance(values, Mapping) else values
        return any(get(name) not in (None, False, [], "", ()) for name in self.configured_by)

    def load(self, settings: Any) -> list[LoadedSource]:
        module, _, function = self.loader.partition(":")
        loader: Callable[[Any], list[LoadedSource]] = getattr(importlib.import_module(module), function)
        return loader(settings)


SOURCE_KINDS: tuple[SourceKind, ...] = (
    SourceKind(
        "plan",
        "pytest_cloudcheck.sources.plan:load_plans",
        (
            Option(
                "plan",
                "`terraform show -json` output of a plan or a state; a file or a folder of *.json (repeatable)",
                kind="paths",
                metavar="PATH",
            ),
            Option(
                "source_root",
                "Terraform root module folder the plans were made from (repeatable): plan findings point at the "
                ".tf file and line of the resource block (--cloudcheck-hcl given with --cloudcheck-plan does the "
                "same)",
                kind="paths",
                metavar="DIR",
            ),
        ),
        configured_by=("plan",),
    ),
    SourceKind(
        "hcl",
        "pytest_cloudcheck.sources.hcl:load_hcl",
        (
            Option("hcl", "Terraform source folder (a root module) (repeatable)", kind="paths", metavar="DIR"),
            Option(
                "var_files",
                "variables files (*.tfvars) for the --cloudcheck-hcl root modules, after terraform.tfvars and "
                "*.auto.tfvars",
                kind="paths",
                cli=False,
            ),
        ),
        configured_by=("hcl",),
        locates_for="plan",
    ),
    SourceKind(
        "live",
        "pytest_cloudcheck.sources.live:load_live",
        (
            Option("subscription", "live Azure subscription id (repeatable)", kind="list", metavar="ID"),
            Option("management_group", "read every subscription under this management group (live mode)", cli=False),
            Option(
                "arm_endpoint",
                "ARM and Resource Graph base URL for live mode",
                default="https://management.azure.com",
                metavar="URL",
            ),
            Option(
                "authority",
                "Entra ID authority host for the default credential (sovereign clouds, test fakes)",
                cli=False,
            ),
            Option(
                "keyvault_audience",
                "Key Vault audience; vault hosts end in its domain (default https://vault.azure.net on the public "
                "cloud; on another ARM endpoint read from its metadata/endpoints document)",
                cli=False,
            ),
            Option(
                "live_time_budget",
                "seconds live mode may spend reading Azure, backoff included (default 300)",
                cli=False,
            ),
            Option("live_concurrency", "parallel Key Vault and ARM reads in live mode (default 8)", cli=False),
            Option(
                "live_diagnostics",
                "whose diagnostic settings live mode reads (one ARM GET each): `prod` resources (default) or "
                "`none` (then isolation reports them not assessed)",
                cli=False,
                kind="choice",
                choices=("prod", "none"),
                default="prod",
            ),
        ),
        configured_by=("subscription", "management_group"),
    ),
    SourceKind(
        "snapshot",
        "pytest_cloudcheck.sources.snapshot:load_snapshots",
        (
            Option(
                "snapshot_in",
                "read a snapshot written by --cloudcheck-snapshot back as a source (replay a run offline) (repeatable)",
                kind="paths",
                metavar="PATH",
            ),
            Option(
                "snapshot",
                "write the loaded sources (the live inventory; redacted) to this snapshot file, named in the "
                "evidence report with its sha256",
                kind="path",
                metavar="PATH",
            ),
        ),
        configured_by=("snapshot_in",),
    ),
)

BY_NAME: dict[str, SourceKind] = {kind.name: kind for kind in SOURCE_KINDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def configured_kinds(get: Callable[[str], Any]) -> set[str]:
    """The kinds that load resources this run: configured, and not a source root of another
    configured kind (`--cloudcheck-hcl` with `--cloudcheck-plan` only locates the plans' resources)."""
    configured = {kind.name for kind in SOURCE_KINDS if kind.is_configured(get)}
    return {name for name in configured if BY_NAME[name].locates_for not in configured}


def source_roots(get: Callable[[str], Any]) -> list[Any]:
    """The Terraform folders plan resources are located in: `cloudcheck_source_root`, then the
    folders of every kind that yields to a configured kind (`--cloudcheck-hcl` with a plan)."""
    roots = list(get("source_root") or ())
    configured = {kind.name for kind in SOURCE_KINDS if kind.is_configured(get)}
    for kind in SOURCE_KINDS:
        if kind.locates_for in configured and kind.name in configured:
            roots += [root for option in kind.configured_by for root in get(option) or ()]
    return list(dict.fromkeys(roots))


def why_not_loaded(name: str, get: Callable[[str], Any]) -> str:
    """Why a `source(name)` test is skipped: the kind is not configured, or only locates."""
    kind = BY_NAME.get(name)
    if kind is not None and kind.locates_for is not None and kind.is_configured(get):
        other = BY_NAME[kind.locates_for]
        if other.is_configured(get):
            return (
                f"needs a {name} source ({kind.options[0].flag} given with {other.options[0].flag} only locates the "
                f"{other.name}'s resources in the source; give it alone to check the source itself)"
            )
    return f"needs a {name} source (none configured)"
