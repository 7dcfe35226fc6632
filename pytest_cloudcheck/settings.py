"""Resolved settings: command line beats ini beats default. Usable without pytest."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigurationError
from .options import BY_NAME, OPTIONS, Option
from .sources.kinds import configured_kinds


@dataclass
class Settings:
    """Everything the sources, checks and reports need to know about this run."""

    plan: list[Path] = field(default_factory=list)
    hcl: list[Path] = field(default_factory=list)
    subscription: list[str] = field(default_factory=list)
    allow_empty: bool = False
    mode: str = "deny"
    waivers: Path | None = None
    report: Path | None = None
    sarif: Path | None = None
    markdown: Path | None = None
    arm_endpoint: str = "https://management.azure.com"
    #: ini-only and later settings by option name (see options.py), already converted
    extra: dict[str, Any] = field(default_factory=dict)
    rootdir: Path = field(default_factory=Path.cwd)
    #: a get/set store of JSON values (pytest's `config.cache`; None: no cache). The HCL source
    #: keeps parsed files here by content hash.
    cache: Any = None
    #: the azure TokenCredential of live mode (from the pytest_cloudcheck_credential hook; None:
    #: the live source builds DefaultAzureCredential and stores it here)
    credential: Any = None

    @property
    def has_source(self) -> bool:
        return bool(self.source_kinds)

    @property
    def source_kinds(self) -> set[str]:
        """The names of the configured source kinds (sources/kinds.py)."""
        return configured_kinds(self.get)

    def get(self, name: str, default: Any = None) -> Any:
        """A setting by option name (`hub`, `ip_plan`, ...), converted per its kind."""
        if name in self.__dataclass_fields__ and name != "extra":
            return getattr(self, name)
        return self.extra.get(name, default)

    @classmethod
    def from_pytest(cls, config: Any) -> Settings:
        values: dict[str, Any] = {}
        for option in OPTIONS:
            value = _read(config, option)
            if _is_set(value) and not option.implemented:
                raise ConfigurationError(
                    f"{option.flag} / {option.ini} is not implemented yet in this version of "
                    "pytest-cloudcheck; remove it (it would otherwise be silently ignored)"
                )
            values[option.name] = value
        known = {f for f in cls.__dataclass_fields__ if f not in ("extra", "rootdir")}
        settings = cls(
            **{k: v for k, v in values.items() if k in known and v is not None},
            extra={k: v for k, v in values.items() if k not in known},
            rootdir=Path(str(config.rootpath)),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        option = BY_NAME["mode"]
        if self.mode not in option.choices:
            raise ConfigurationError(f"{option.ini} = {self.mode!r} is not one of {', '.join(option.choices)}")
        for name, what in POSITIVE_NUMBERS.items():
            _positive(name, self.extra.get(name), what)


#: ini settings that are a number above 0: name -> what it counts (checked when the run starts)
POSITIVE_NUMBERS = {"live_time_budget": "seconds", "live_concurrency": "parallel reads"}


def _positive(name: str, raw: Any, what: str) -> None:
    if raw in (None, ""):
        return
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = math.nan
    whole = what != "seconds"
    if not (math.isfinite(value) and value > 0 and (not whole or value == int(value))):
        kind = "a whole number" if whole else "a number"
        raise ConfigurationError(f"{BY_NAME[name].ini} must be {kind} of {what} above 0, got {raw!r}")


def _is_set(value: Any) -> bool:
    return value not in (None, False, [], "", ())


def _read(config: Any, option: Option) -> Any:
    """CLI value if given, else the ini value, converted to the option's kind."""
    cli_value = config.getoption(option.name_for_dest(), default=None) if option.cli else None
    if option.kind == "bool":
        if cli_value:
            return True
        return bool(config.getini(option.ini))
    if cli_value is not None and _is_set(cli_value):
        if option.kind == "paths":
            return [Path(p) for p in cli_value]
        if option.kind == "path":
            return Path(cli_value)
        return cli_value
    ini_value = config.getini(option.ini)
    if option.kind == "paths":
        return [Path(p) for p in ini_value]
    if option.kind == "path":
        return Path(ini_value[-1]) if ini_value else None
    if option.kind in ("list", "linelist"):
        return [v for v in ini_value if v.strip()]
    if ini_value in ("", None):
        return option.default
    return ini_value
