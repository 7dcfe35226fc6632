"""Every command-line option and ini key of the plugin, as data.

The plugin registers them from this table and the reference docs are generated from it, so the
two cannot drift. Each option `--cloudcheck-<name>` has an ini twin `cloudcheck_<name>`; the
command line beats the ini file. Ini-only settings have `cli=False`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Option:
    name: str  # "plan" -> --cloudcheck-plan / cloudcheck_plan
    help: str
    #: "paths" (repeatable paths, relative to the ini file in ini), "path", "list" (repeatable
    #: strings), "linelist" (ini lines), "string", "choice", "bool"
    kind: str = "string"
    cli: bool = True
    choices: tuple[str, ...] = ()
    default: str | None = None
    metavar: str | None = None
    #: False while the feature behind it has not landed: setting it is a usage error, so it is
    #: never silently ignored.
    implemented: bool = True

    @property
    def flag(self) -> str:
        return "--cloudcheck-" + self.name.replace("_", "-")

    @property
    def ini(self) -> str:
        return "cloudcheck_" + self.name

    def name_for_dest(self) -> str:
        return "cloudcheck_" + self.name

    @property
    def ini_type(self) -> Literal["paths", "linelist", "bool", "string"]:
        types: dict[str, Literal["paths", "linelist", "bool"]] = {
            "paths": "paths",
            "path": "paths",
            "list": "linelist",
            "linelist": "linelist",
            "bool": "bool",
        }
        return types.get(self.kind, "string")


OPTIONS: tuple[Option, ...] = (
    # -- sources ---------------------------------------------------------------------------------
    Option(
        "plan",
        "`terraform show -json` output of a plan or a state; a file or a folder of *.json (repeatable)",
        kind="paths",
        metavar="PATH",
    ),
    Option("hcl", "Terraform source folder (a root module) (repeatable)", kind="paths", metavar="DIR"),
    Option(
        "var_files",
        "variables files (*.tfvars) for the --cloudcheck-hcl root modules, after terraform.tfvars and *.auto.tfvars",
        kind="paths",
        cli=False,
    ),
    Option("subscription", "live Azure subscription id (repeatable)", kind="list", metavar="ID"),
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
    Option("report", "write the JSON evidence report to PATH", kind="path", metavar="PATH"),
    Option("sarif", "write a SARIF 2.1.0 report to PATH", kind="path", metavar="PATH"),
    Option(
        "markdown",
        "write a Markdown summary to PATH (also appended to $GITHUB_STEP_SUMMARY when that is set)",
        kind="path",
        metavar="PATH",
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
    # -- live ------------------------------------------------------------------------------------
    Option(
        "arm_endpoint",
        "ARM and Resource Graph base URL for live mode",
        default="https://management.azure.com",
        metavar="URL",
    ),
    Option("authority", "Entra ID authority host for the default credential (sovereign clouds, test fakes)", cli=False),
    Option(
        "keyvault_audience",
        "Key Vault audience; vault hosts end in its domain (default https://vault.azure.net)",
        cli=False,
        default="https://vault.azure.net",
    ),
    Option("management_group", "read every subscription under this management group (live mode)", cli=False),
    Option("live_time_budget", "seconds live mode may spend reading Azure, backoff included (default 300)", cli=False),
    Option("live_concurrency", "parallel Key Vault reads in live mode (default 8)", cli=False),
)

BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
