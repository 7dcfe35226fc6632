"""Every command-line option and ini key of the plugin, as data.

The plugin registers them from this table and the reference docs are generated from it, so the
two cannot drift. A source kind's options come from its row (sources/kinds.py), a report file's
from its writer's row (reports/writers.py). Each option `--cloudcheck-<name>` has an ini twin
`cloudcheck_<name>`; the command line beats the ini file. Ini-only settings have `cli=False`.
"""

from __future__ import annotations

from .option import Option
from .reports.writers import REPORT_WRITERS
from .sources.kinds import SOURCE_KINDS

__all__ = ["BY_NAME", "OPTIONS", "Option"]


OPTIONS: tuple[Option, ...] = (
    # -- sources: each kind's options, from its row in sources/kinds.py ---------------------------
    *(option for kind in SOURCE_KINDS for option in kind.options),
    Option("allow_empty", "accept a source that yields zero managed resources (otherwise an error)", kind="bool"),
    # -- run mode and reports ----------------------------------------------------------------------
    Option(
        "mode",
        "deny: findings fail the run; audit: findings are reported and do not fail it",
        kind="choice",
        choices=("deny", "audit"),
        default="deny",
    ),
    Option(
        "waivers",
        "exceptions file (TOML) with check, address, reason, owner, expires",
        kind="path",
        metavar="PATH",
    ),
    Option(
        "waiver_max_days",
        "longest a waiver may run, in days from today (default 180); a longer `expires` is an error",
        cli=False,
        default="180",
    ),
    Option(
        "waiver_max_share",
        "most a check family's waivers may except, in percent of the resources it assesses (default 10); "
        "more fails the run",
        cli=False,
        default="10",
    ),
    # -- report files, from the writers' rows in reports/writers.py -------------------------------
    *(writer.option for writer in REPORT_WRITERS),
    Option(
        "docs_url",
        "base URL of the published docs/ folder for SARIF rules' help links (default the project's docs)",
        cli=False,
    ),
    # -- CMK key fitness (ini only) ---------------------------------------------------------------
    Option("key_min_size", "minimum size in bits of a key used for CMK (default 2048)", cli=False, default="2048"),
    Option("key_hsm_only", "keys used for CMK must be HSM-backed (RSA-HSM)", kind="bool", cli=False),
    # -- environments, isolation, backups (ini only) ----------------------------------------------
    Option("subscriptions", "`<subscription id> = prod|nonprod|shared` lines", kind="linelist", cli=False),
    Option("environment_tag", "tag key holding the environment (default `environment`)", cli=False),
    Option(
        "prod_values", "environment tag values meaning prod (default p prd prod production)", kind="linelist", cli=False
    ),
    Option(
        "nonprod_values",
        "environment tag values meaning nonprod (default o t a dev tst test acc acceptance nonprod)",
        kind="linelist",
        cli=False,
    ),
    Option(
        "name_pattern", "naming-convention regexes with a named group `env` (one a line)", kind="linelist", cli=False
    ),
    Option(
        "shared",
        "regexes (name, resource group or address) of the shared platform, e.g. the hub",
        kind="linelist",
        cli=False,
    ),
    Option(
        "hub",
        "the hub VNet: its name, address, ARM id or a tag `key=value` (default: the only VNet with a firewall)",
        cli=False,
    ),
    Option(
        "ip_plan",
        "`<env> = <cidr> [<cidr>...]` lines, or plain CIDR lines for the whole plan",
        kind="linelist",
        cli=False,
    ),
    Option(
        "infra_backup_types",
        "more resource types (azurerm or ARM) that are infrastructure backups; `!type` removes one",
        kind="linelist",
        cli=False,
    ),
    # -- SLA and cost (ini only) -------------------------------------------------------------------
    Option(
        "sla_target",
        "the Prod SLA target in percent (default 99.5): Prod resources and workloads below it are findings",
        cli=False,
        default="99.5",
    ),
    Option(
        "workload_tag",
        "tag key grouping resources into workloads for the composite SLA (default: one workload a resource group)",
        cli=False,
    ),
)

BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
