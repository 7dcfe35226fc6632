"""One command-line option and its ini twin, as data (the tables are in options.py, the source
kinds' rows in sources/kinds.py and the report writers' rows in reports/writers.py)."""

from __future__ import annotations

from typing import Literal, NamedTuple


class Option(NamedTuple):
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
