"""Waivers: exceptions to a check for some resources, each with an owner, a reason and an expiry.

    [[waiver]]
    check = "cmk.storage_account"                                  # check id, glob allowed
    address = 'module.spoke["a"].azurerm_storage_account.logs'     # resource address, glob allowed
    reason = "vendor sink cannot use CMK yet; PBI-1234"
    owner = "squad-a"
    expires = 2027-03-31                                           # required; last valid day

Globs: `*` is any run of characters, `?` one character; everything else is literal (Terraform
addresses are full of `[` and `"`, so no character classes). A waiver is valid up to and including
its `expires` date and may not run longer than `cloudcheck_waiver_max_days` (default 180) from
today: "don't make the exception the rule". An expired waiver waives nothing and fails the run.

A waiver stays an exception: its `check` names a check family (`cmk.*`, `cmk.storage_account`, or a
test's name for its plain asserts; never `*` or `*.x`), its `address` is narrower than every
resource (`*`, `**`, `*.*` or `/subscriptions/*` are refused), and the waivers of a run may except
at most `cloudcheck_waiver_max_share` percent (default 10) of the resources a check family
assesses (waiver_share.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigurationError

DEFAULT_MAX_DAYS = 180
DEFAULT_MAX_SHARE = 10.0
WILDCARDS = frozenset("*?")
#: addresses of every shape (plan and live): an address pattern matching all of one group matches
#: every resource, which is no exception
EVERY_ADDRESS: tuple[tuple[str, ...], ...] = (
    (
        "azurerm_storage_account.st",
        'module.spoke["b"].module.vnet.azurerm_virtual_network.this[0]',
        "data.azurerm_key_vault.kv",
        "azapi_resource.fw",
        "module.hub.azurerm_firewall.fw",
    ),
    (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-a/providers/"
        "Microsoft.Storage/storageAccounts/st",
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-b/providers/"
        "Microsoft.Network/virtualNetworks/vnet",
    ),
)
EXPIRING_WITHIN_DAYS = 30
REQUIRED = ("check", "address", "reason", "owner", "expires")


class Waiver(NamedTuple):
    number: int  # 1-based position in the file: `waiver #2`
    check: str
    address: str
    reason: str
    owner: str
    expires: dt.date

    def matches(self, check: str, address: str) -> bool:
        if _glob(self.address).fullmatch(address) is None:
            return False
        # a renamed id is still waived by a waiver naming its old id (load_waivers warns)
        return _glob(self.check).fullmatch(check) is not None or self.check == _renamed().get(check)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def expiring(self, today: dt.date, within: int = EXPIRING_WITHIN_DAYS) -> bool:
        return not self.expired(today) and (self.expires - today).days <= within

    def describe(self) -> str:
        return (
            f"waiver #{self.number} ({self.check} on {self.address}, owner {self.owner}, "
            f"expires {self.expires.isoformat()})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "check": self.check,
            "address": self.address,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
        }


@functools.cache
def _renamed() -> dict[str, str]:
    from .checks.cost import RENAMED as COST_RENAMED
    from .rules.cmk import RENAMED

    return {**RENAMED, **COST_RENAMED}


def _warn_renamed(waiver: Waiver, check: str, address: str) -> None:
    """A waiver that waives a finding under the finding's old id (a Windows VM's
    `cmk.linux_virtual_machine`) still works, with a deprecation warning naming the new id."""
    if _glob(waiver.check).fullmatch(check) is not None:
        return
    import warnings

    from .errors import CloudcheckWarning

    warnings.warn(
        CloudcheckWarning(
            f"waiver #{waiver.number} waives {address} by its old check id {waiver.check!r} (deprecated for "
            f"Windows machines): write check = {check!r}"
        ),
        stacklevel=3,
    )


@functools.lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    wildcards = {"*": ".*", "?": "."}
    return re.compile("".join(wildcards.get(ch, re.escape(ch)) for ch in pattern), re.DOTALL)


class Waivers(NamedTuple):
    """The waivers of one file (or none), as of `today`."""

    entries: tuple[Waiver, ...] = ()
    path: str | None = None
    sha256: str | None = None
    today: dt.date = dt.date.min
    max_days: int = DEFAULT_MAX_DAYS
    max_share: float = DEFAULT_MAX_SHARE

    def active(self, check: str, address: str) -> Waiver | None:
        """The first unexpired waiver covering this finding."""
        for waiver in self.entries:
            if not waiver.expired(self.today) and waiver.matches(check, address):
                _warn_renamed(waiver, check, address)
                return waiver
        return None

    def expired_for(self, check: str, address: str) -> Waiver | None:
        """An expired waiver that would have covered this finding (reports name it)."""
        for waiver in self.entries:
            if waiver.expired(self.today) and waiver.matches(check, address):
                return waiver
        return None

    @property
    def expired(self) -> list[Waiver]:
        return [w for w in self.entries if w.expired(self.today)]

    @property
    def expiring(self) -> list[Waiver]:
        return [w for w in self.entries if w.expiring(self.today)]

    def stale(self, used: Iterable[int]) -> list[Waiver]:
        """Unexpired waivers that matched no finding of this run (by waiver number)."""
        seen = set(used)
        return [w for w in self.entries if not w.expired(self.today) and w.number not in seen]

    def status(self, waiver: Waiver, used: Iterable[int]) -> str:
        if waiver.expired(self.today):
            return "expired"
        if waiver.number not in set(used):
            return "stale"
        return "active"


def load_waivers(
    path: Path | None,
    *,
    today: dt.date | None = None,
    max_days: int = DEFAULT_MAX_DAYS,
    max_share: float = DEFAULT_MAX_SHARE,
) -> Waivers:
    """Read and validate a waivers file; any problem is one ConfigurationError naming file and entry."""
    today = today or dt.date.today()
    if path is None:
        return Waivers(today=today, max_days=max_days, max_share=max_share)
    shown = str(path)
    # imported here: most runs have no waivers file, and the TOML parser costs a few milliseconds
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found, no-redef]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"waivers file {shown}: cannot be read ({exc.strerror or exc})") from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"waivers file {shown}: not valid TOML: {exc}") from None
    unexpected = sorted(set(doc) - {"waiver"})
    if unexpected:
        raise ConfigurationError(
            f"waivers file {shown}: unexpected top-level key(s) {', '.join(unexpected)}; write [[waiver]] tables"
        )
    tables = doc.get("waiver", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigurationError(f"waivers file {shown}: `waiver` must be an array of tables ([[waiver]])")
    entries = tuple(_parse(table, number, shown, today, max_days) for number, table in enumerate(tables, 1))
    return Waivers(entries, shown, hashlib.sha256(raw).hexdigest(), today, max_days, max_share)


def _parse(table: dict[str, Any], number: int, shown: str, today: dt.date, max_days: int) -> Waiver:
    where = f"waivers file {shown}: waiver #{number}"
    missing = [name for name in REQUIRED if name not in table]
    unknown = sorted(set(table) - set(REQUIRED))
    if missing or unknown:
        problems = [f"unknown field {did_you_mean(name, missing or REQUIRED)}" for name in unknown]
        if missing:
            problems.append(f"missing field(s) {', '.join(missing)}")
        raise ConfigurationError(f"{where}: {'; '.join(problems)} (each waiver has exactly {', '.join(REQUIRED)})")
    for name in ("check", "address", "reason", "owner"):
        if not isinstance(table[name], str) or not table[name].strip():
            raise ConfigurationError(f"{where}: `{name}` must be a non-empty string")
    _check_family(table["check"], where)
    _check_known(table["check"], where)
    _check_address(table["address"], where)
    expires = _date(table["expires"], where)
    if (expires - today).days > max_days:
        raise ConfigurationError(
            f"{where}: expires {expires.isoformat()}, more than {max_days} days from today "
            f"(cloudcheck_waiver_max_days); an exception must not become the rule"
        )
    return Waiver(number, table["check"], table["address"], table["reason"], table["owner"], expires)


def _check_family(check: str, where: str) -> None:
    """A check id names its family before any wildcard: `cmk.*`, `cmk.storage_account`, `test_x`."""
    family, dot, _ = check.partition(".")
    if not WILDCARDS.intersection(check) or (dot and family and not WILDCARDS.intersection(family)):
        return
    raise ConfigurationError(
        f'{where}: check = {check!r} names no check family; name one, e.g. check = "cmk.*" or '
        f'check = "cmk.storage_account" (a waiver is an exception, not the rule)'
    )


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`name` quoted, with the closest candidate: "`adress` (did you mean `address`?)"."""
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f"`{name}`" + (f" (did you mean `{close[0]}`?)" if close else "")


def _check_known(check: str, where: str) -> None:
    """A check id of a built-in family (`cmk.`, `backup.`, ...) is one the family has: a typo would
    waive nothing, in silence. Ids of the user's own tests are checked against the run (stale)."""
    from .checks.registry import FAMILIES, family_of

    family = family_of(check)
    if family is None:
        return
    pattern = _glob(check)
    if any(pattern.fullmatch(known) for known in family.check_ids):
        return
    builtin = [known for f in FAMILIES for known in f.check_ids]
    raise ConfigurationError(
        f"{where}: check = {did_you_mean(check, builtin)} is no check id of {family.title} "
        f"({family.prefixes[0]}.*); the ids are listed in docs/checks.md"
    )


def _check_address(address: str, where: str) -> None:
    """An address pattern narrower than every resource."""
    if not any(all(_glob(address).fullmatch(a) for a in group) for group in EVERY_ADDRESS):
        return
    raise ConfigurationError(
        f"{where}: address = {address!r} matches every resource; name the resources it excepts, e.g. "
        f"address = 'module.spoke[\"a\"].azurerm_storage_account.*' (a waiver is an exception, not the rule)"
    )


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigurationError(f"{where}: `expires` must be a date like 2027-03-31, got {value!r}")


def max_share_setting(raw: Any) -> float:
    """`cloudcheck_waiver_max_share` as a percentage from 0 to 100."""
    if raw in (None, ""):
        return DEFAULT_MAX_SHARE
    try:
        share = float(str(raw).strip().removesuffix("%"))
    except ValueError:
        share = -1.0
    if not 0 <= share <= 100:  # NaN fails too
        raise ConfigurationError(
            f"cloudcheck_waiver_max_share must be a percentage from 0 to 100 (default 10), got {raw!r}"
        )
    return share


def max_days_setting(raw: Any) -> int:
    """`cloudcheck_waiver_max_days` as a positive whole number of days."""
    if raw in (None, ""):
        return DEFAULT_MAX_DAYS
    try:
        days = int(str(raw).strip())
    except ValueError:
        days = 0
    if days < 1:
        raise ConfigurationError(f"cloudcheck_waiver_max_days must be a positive number of days, got {raw!r}")
    return days
