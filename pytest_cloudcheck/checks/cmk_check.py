"""checks.cmk: every data store encrypted with a customer-managed key, and the keys fit for it.

    from pytest_cloudcheck import checks
    assert not checks.cmk(cloud)

Findings, one per offending resource:
- `cmk.<type>` (e.g. `cmk.storage_account`): a data store without a customer-managed key
  (kind `violation`), with a key unknown at plan time (`unknown`), or linked to something outside
  the inventory (`outside`);
- `cmk.key_vault`, `cmk.key_rotation`, `cmk.key_expiry`, `cmk.key_strength`: a key used for CMK
  (or its vault) that is not fit for it; `cmk.key_outside`: a key known only by id;
- `cmk.not_assessed`: a data-bearing resource whose type has no rule yet (never a silent pass).

Where the key lives per type: `rules/cmk.py`; how it is read: `pytest_cloudcheck.encryption`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..azure_types import is_data_bearing
from ..encryption import Encryption, KeyRef, vault_of
from ..errors import ConfigurationError
from ..model import SENSITIVE, UNKNOWN, Finding, Findings, Inventory, Origin, Resource, arm_values
from ..rules.cmk import KEY_TYPES, RULES, VAULT_TYPES, CmkRule, rule_for
from ..settings import Settings

DEFAULT_KEY_MIN_SIZE = 2048
RSA_TYPES = frozenset({"RSA", "RSA-HSM"})
NOT_ASSESSED = "cmk.not_assessed"


class KeyPolicy(NamedTuple):
    """What a key must be (ini: `cloudcheck_key_min_size`, `cloudcheck_key_hsm_only`)."""

    min_size: int = DEFAULT_KEY_MIN_SIZE
    hsm_only: bool = False

    @classmethod
    def from_settings(cls, settings: Settings | None) -> KeyPolicy:
        if settings is None:
            return cls()
        raw = settings.get("key_min_size") or DEFAULT_KEY_MIN_SIZE
        try:
            size = int(raw)
        except (TypeError, ValueError):
            raise ConfigurationError(f"cloudcheck_key_min_size = {raw!r} is not a number of bits") from None
        if size < 1024:
            raise ConfigurationError(f"cloudcheck_key_min_size = {size} is below 1024 bits")
        return cls(size, bool(settings.get("key_hsm_only")))


def cmk(inventory: Inventory, *, key_min_size: int | None = None, hsm_only: bool | None = None) -> Findings:
    """CMK findings for every resource of `inventory` (empty when compliant).

    Key size and HSM-only come from the run's settings (ini) unless given here.
    """
    policy = KeyPolicy.from_settings(inventory.settings)
    if key_min_size is not None or hsm_only is not None:
        policy = KeyPolicy(
            key_min_size if key_min_size is not None else policy.min_size,
            hsm_only if hsm_only is not None else policy.hsm_only,
        )
    findings = Findings()
    users: dict[str, _KeyUse] = {}
    # A key's users are found over the whole inventory (a view's key may serve resources outside
    # it, and the reverse); only the view's own resources get findings.
    view = inventory if inventory.is_view else None
    whole = inventory.whole
    for r in whole.resources():
        rule = rule_for(r.type)
        in_view = view is None or r.address in view
        if rule is None:
            if in_view and is_data_bearing(r.type):
                findings.append(not_assessed_finding(r))
            continue
        enc: Encryption = r.encryption
        finding = _store_finding(r, enc) if in_view else None
        if finding is not None:
            findings.append(finding)
        for ref in enc.keys:
            if ref.outside:
                if in_view:
                    findings.append(_outside_key(r, ref))
            elif ref.resource is not None:
                users.setdefault(ref.resource.address, _KeyUse(ref.resource)).users.append(r)
    # Keys no data store uses yet but that can wrap one (key_opts has wrapKey) are CMK keys too.
    key_types = [t for t in KEY_TYPES if t in whole.types]
    for key in whole.resources(*key_types) if key_types else ():
        if key.address not in users and _can_wrap(key):
            users[key.address] = _KeyUse(key)
    key_findings = _key_findings(users, policy)
    findings.extend(f for f in key_findings if view is None or f.address in view)
    return findings


def _can_wrap(key: Resource) -> bool:
    opts = arm_values(key.values, "properties.keyOps") if key.schema == "arm" else key.get("key_opts")
    if not isinstance(opts, list):
        return True  # unknown or unset: assume it can
    return any(isinstance(o, str) and o.lower() == "wrapkey" for o in opts)


#: key fitness check ids, in the order the baseline lists them
KEY_CHECK_IDS = ("cmk.key_vault", "cmk.key_rotation", "cmk.key_expiry", "cmk.key_strength", "cmk.key_outside")
#: every id `cmk` can produce: one per rule, the key checks and `cmk.not_assessed`
CHECK_IDS = (*dict.fromkeys(rule.check for rule in RULES), *KEY_CHECK_IDS, NOT_ASSESSED)


def check_ids(inventory: Inventory) -> list[str]:
    """The CMK check ids that apply to this inventory: one per rule with resources, the key checks
    and `cmk.not_assessed` (the baseline's parametrisation)."""
    types = inventory.types
    rules = sorted({rule.check for t in types if (rule := rule_for(t)) is not None})
    return [*rules, *KEY_CHECK_IDS, NOT_ASSESSED]


def not_assessed(inventory: Inventory) -> list[Resource]:
    """Data-bearing resources no CMK rule covers (for the terminal summary and reports)."""
    # decided per type, not per resource: a plan has thousands of resources and a few dozen types
    types = [t for t in inventory.types if rule_for(t) is None and is_data_bearing(t)]
    return inventory.resources(*types) if types else []


def not_assessed_finding(r: Resource) -> Finding:
    return Finding(
        NOT_ASSESSED,
        r.address,
        f"{r.type} {_name(r)} stores data but pytest-cloudcheck has no CMK rule for its type yet: not assessed "
        "(not a pass); check it by hand or add a rule",
        r.origin,
        kind="not_assessed",
    )


# ---------------------------------------------------------------------------------------------
# Data stores


def _name(r: Resource) -> str:
    return repr(r.name) if isinstance(r.name, str) else "(name unknown)"


def _store_finding(r: Resource, enc: Encryption) -> Finding | None:
    rule = enc.rule
    if enc.customer_managed is True or rule is None:
        return None
    related = enc.related
    if enc.customer_managed is False:
        sku = f" ({rule.sku_note})" if rule.sku_note else ""
        message = f"{r.type} {_name(r)} {enc.how}; required: {rule.fix}{sku}"
        return Finding(rule.check, r.address, message, r.origin, "violation", related)
    if enc.kind == "outside":
        message = (
            f"{r.type} {_name(r)}: {enc.how}; its key cannot be verified, so it is not assessed as customer-managed "
            "(add the plan or subscription holding it)"
        )
        return Finding(rule.check, r.address, message, _key_line(r, rule), "outside", related)
    how = enc.how.removeprefix("key unknown at plan time ").removeprefix("key unknown at plan time: ")
    if how.startswith("(") and how.endswith(")"):
        how = how[1:-1]
    message = f"key unknown at plan time for {r.type} {_name(r)} ({how}); not compliant until it is known"
    return Finding(rule.check, r.address, message, _key_line(r, rule), "unknown", related)


def _key_line(r: Resource, rule: CmkRule) -> Origin | None:
    """Where the resource sets its key inline (the line to look at), else the resource itself."""
    for part in rule.parts:
        for at in part.terraform:
            if at.link_type is None and not at.delegate:
                return r.origin_of(at.path.replace(".*", "").replace("*", ""))
    return r.origin


def _outside_key(r: Resource, ref: KeyRef) -> Finding:
    what = "a data source" if ref.resource is not None else "known only by id"
    return Finding(
        "cmk.key_outside",
        r.address,
        f"{r.type} {_name(r)} uses key {ref} ({what}), outside the inventory: its vault's purge protection, "
        "rotation, expiry and size cannot be checked; add the plan or subscription holding the key",
        r.origin,
        "outside",
        tuple(a for a in (ref.via,) if a),
    )


# ---------------------------------------------------------------------------------------------
# Keys


@dataclass(slots=True)
class _KeyUse:
    key: Resource
    users: list[Resource] = field(default_factory=list)

    def used_by(self) -> str:
        if not self.users:
            return "a wrapKey key no data store in the inventory uses yet"
        first = ", ".join(u.address for u in self.users[:3])
        more = f" and {len(self.users) - 3} more" if len(self.users) > 3 else ""
        return f"used for CMK by {first}{more}"


def _plain(r: Resource, tf_path: str, arm_path: str) -> Any:
    if r.schema == "arm":
        found = arm_values(r.values, arm_path)
        return found[0] if found else None
    return r.get(tf_path)


def _unknown(value: Any) -> bool:
    return value is UNKNOWN or value is SENSITIVE


def _key_findings(uses: dict[str, _KeyUse], policy: KeyPolicy) -> list[Finding]:
    findings: list[Finding] = []
    vaults_done: set[str] = set()
    for address in sorted(uses):
        use = uses[address]
        key = use.key
        related = tuple(u.address for u in use.users)
        vault = vault_of(key)
        if vault is None:
            findings.append(
                Finding(
                    "cmk.key_vault",
                    key.address,
                    f"{key.type} {_name(key)} ({use.used_by()}): its vault is not in the inventory (or unknown at "
                    "plan time), so purge protection and soft delete cannot be checked",
                    key.origin,
                    "outside",
                    related,
                )
            )
        elif vault.address not in vaults_done:
            vaults_done.add(vault.address)
            findings.extend(_vault_findings(vault, key, use))
        for check in KEY_CHECKS:
            finding = check(key, use, policy)
            if finding is not None:
                findings.append(finding)
    return findings


def _vault_findings(vault: Resource, key: Resource, use: _KeyUse) -> list[Finding]:
    purge = _plain(vault, "purge_protection_enabled", "properties.enablePurgeProtection")
    soft = _plain(vault, "soft_delete_enabled", "properties.enableSoftDelete")
    retention = _plain(vault, "soft_delete_retention_days", "properties.softDeleteRetentionInDays")
    where = f"{vault.type} {_name(vault)} holds {key.address} ({use.used_by()})"
    related = (key.address,)
    if _unknown(purge) or _unknown(soft):
        return [
            Finding(
                "cmk.key_vault",
                vault.address,
                f"{where}: purge protection / soft delete unknown at plan time; required: both on",
                vault.origin,
                "unknown",
                related,
            )
        ]
    missing = []
    if purge is not True:
        missing.append(f"purge protection is {'off' if purge is False else 'not set'}")
    if soft is False or (isinstance(retention, int) and retention < 7):
        missing.append("soft delete is off")
    if not missing:
        return []
    message = (
        f"{where}: {' and '.join(missing)}; required: purge protection and soft delete on (Azure requires both for CMK)"
    )
    origin = vault.origin_of("purge_protection_enabled" if purge is not True else "soft_delete_retention_days")
    return [Finding("cmk.key_vault", vault.address, message, origin, "violation", related)]


def _rotation(key: Resource, use: _KeyUse, policy: KeyPolicy) -> Finding | None:
    related = tuple(u.address for u in use.users)
    if key.schema == "arm":
        actions = arm_values(key.values, "properties.rotationPolicy.lifetimeActions[*].action.type")
        if any(_unknown(a) for a in actions):
            return _key_unknown("cmk.key_rotation", key, use, "rotation policy")
        if any(isinstance(a, str) and a.lower() == "rotate" for a in actions):
            return None
    else:
        automatic = key.get("rotation_policy.automatic")
        if _unknown(automatic) or _unknown(key.get("rotation_policy")):
            return _key_unknown("cmk.key_rotation", key, use, "rotation policy")
        if isinstance(automatic, (dict, list)) and any(
            isinstance(key.get(f"rotation_policy.automatic.{a}"), str)
            for a in ("time_before_expiry", "time_after_creation")
        ):
            return None
    return Finding(
        "cmk.key_rotation",
        key.address,
        f"{key.type} {_name(key)} ({use.used_by()}) has no automatic rotation policy; "
        "required: a rotation_policy with an automatic block",
        key.origin_of("rotation_policy"),
        "violation",
        related,
    )


def _expiry(key: Resource, use: _KeyUse, policy: KeyPolicy) -> Finding | None:
    related = tuple(u.address for u in use.users)
    if key.schema == "arm":
        found = arm_values(key.values, "properties.attributes.exp") + arm_values(
            key.values, "properties.rotationPolicy.attributes.expiryTime"
        )
    else:
        found = [key.get("expiration_date"), key.get("rotation_policy.expire_after")]
    if any(isinstance(v, (str, int)) and v != "" for v in found):
        return None
    if any(_unknown(v) for v in found):
        return _key_unknown("cmk.key_expiry", key, use, "expiry")
    return Finding(
        "cmk.key_expiry",
        key.address,
        f"{key.type} {_name(key)} ({use.used_by()}) never expires; "
        "required: expiration_date or rotation_policy.expire_after",
        key.origin_of("expiration_date"),
        "violation",
        related,
    )


def _strength(key: Resource, use: _KeyUse, policy: KeyPolicy) -> Finding | None:
    related = tuple(u.address for u in use.users)
    key_type = _plain(key, "key_type", "properties.kty")
    size = _plain(key, "key_size", "properties.keySize")
    if _unknown(key_type) or _unknown(size):
        return _key_unknown("cmk.key_strength", key, use, "key type / size")
    allowed = {"RSA-HSM"} if policy.hsm_only else RSA_TYPES
    problems = []
    type_ok = isinstance(key_type, str) and key_type in allowed
    if not type_ok:
        problems.append(f"key type {key_type}")
    if not isinstance(size, int) or size < policy.min_size:
        problems.append(f"size {size if size is not None else 'not set'}")
    if not problems:
        return None
    wanted = " or ".join(sorted(allowed))
    return Finding(
        "cmk.key_strength",
        key.address,
        f"{key.type} {_name(key)} ({use.used_by()}) has {' and '.join(problems)}; "
        f"required: {wanted} of at least {policy.min_size} bits",
        key.origin_of("key_size" if type_ok else "key_type"),
        "violation",
        related,
    )


def _key_unknown(check: str, key: Resource, use: _KeyUse, what: str) -> Finding:
    return Finding(
        check,
        key.address,
        f"{key.type} {_name(key)} ({use.used_by()}): {what} unknown at plan time; not compliant until it is known",
        key.origin,
        "unknown",
        tuple(u.address for u in use.users),
    )


#: key fitness checks, one finding each at most
KEY_CHECKS: tuple[Callable[[Resource, _KeyUse, KeyPolicy], Finding | None], ...] = (_rotation, _expiry, _strength)


def judges(tf_type: str) -> bool:
    """The types CMK judges (coverage gaps hiding one are `cmk.not_assessed`): data-bearing types,
    types with a rule, keys and vaults."""
    return tf_type in KEY_TYPES or tf_type in VAULT_TYPES or rule_for(tf_type) is not None or is_data_bearing(tf_type)
