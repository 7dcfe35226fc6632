"""Address ranges and traffic rules, read the same way for every check.

CIDR parsing, merged ranges ("does this prefix reach into that environment?"), and NSG and firewall
rules normalised from both value shapes (Terraform attributes and ARM properties, from plans, HCL,
azapi bodies and live Azure). The isolation and topology checks both read through here.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from .links import tf_get
from .model import SENSITIVE, UNKNOWN, Resource
from .model import arm_values as arm_get

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: prefixes that stand for any address (or, in an NSG, the NSG's own network)
WILDCARDS = frozenset({"*", "any", "0.0.0.0/0", "::/0", "virtualnetwork"})


def parse_network(prefix: Any) -> Network | None:
    """A CIDR string as a network; None for anything else (a service tag, UNKNOWN, garbage)."""
    if not isinstance(prefix, str):
        return None
    try:
        return ipaddress.ip_network(prefix.strip(), strict=False)
    except ValueError:
        return None


def parse_span(prefix: Any) -> list[Network] | None:
    """A CIDR, an address, or an address range `a-b` (firewall rules take all three) as networks;
    None for anything else (a service tag, UNKNOWN, garbage, a reversed range)."""
    net = parse_network(prefix)
    if net is not None:
        return [net]
    if not isinstance(prefix, str) or "-" not in prefix:
        return None
    first, _, last = prefix.partition("-")
    try:
        start, end = ipaddress.ip_address(first.strip()), ipaddress.ip_address(last.strip())
    except ValueError:
        return None
    if int(start) > int(end):
        return None
    if isinstance(start, ipaddress.IPv4Address) and isinstance(end, ipaddress.IPv4Address):
        return list(ipaddress.summarize_address_range(start, end))
    if isinstance(start, ipaddress.IPv6Address) and isinstance(end, ipaddress.IPv6Address):
        return list(ipaddress.summarize_address_range(start, end))
    return None  # one end IPv4, the other IPv6


def parse_networks(values: Iterable[Any]) -> tuple[list[Network], bool]:
    """CIDR strings (or address ranges) -> networks; the flag tells whether some were unknown (or not CIDRs)."""
    networks: list[Network] = []
    unknown = False
    for value in values:
        if isinstance(value, str):
            nets = parse_span(value)
            if nets is None:
                unknown = True  # a service tag or garbage: not an address we can place
            else:
                networks.extend(nets)
        elif value is UNKNOWN or value is SENSITIVE:
            unknown = True
    return networks, unknown


class Ranges:
    """Address ranges, merged, answering "does this prefix reach into them?" in one bisect."""

    def __init__(self, networks: Iterable[Network]) -> None:
        spans = sorted((n.version, int(n.network_address), int(n.broadcast_address), str(n)) for n in networks)
        merged: list[tuple[int, int, int, str]] = []
        for version, start, end, text in spans:
            if merged and merged[-1][0] == version and start <= merged[-1][2] + 1:
                last = merged[-1]
                merged[-1] = (version, last[1], max(last[2], end), last[3])
            else:
                merged.append((version, start, end, text))
        # disjoint and sorted: one bisect finds the only span that can overlap a prefix
        self._spans = merged
        self._starts = [(v, s) for v, s, _, _ in merged]

    def __bool__(self) -> bool:
        return bool(self._spans)

    def overlap(self, net: Network) -> str | None:
        """A range that `net` overlaps (the first of a merged run), or None."""
        start, end = int(net.network_address), int(net.broadcast_address)
        i = bisect.bisect_right(self._starts, (net.version, end)) - 1
        if i < 0:
            return None
        version, _, span_end, text = self._spans[i]
        return text if version == net.version and span_end >= start else None


# ---------------------------------------------------------------------------------------------
# NSG rules


class SecurityRule(NamedTuple):
    """One NSG rule, whatever shape it was read from."""

    name: str
    access: str
    direction: str
    sources: list[Any]
    destinations: list[Any]
    #: a field the rule is judged by is unknown at plan time
    unknown: bool = False


def _text(value: Any) -> str:
    """A rule field as lower-case text: "" when absent, "(unknown)" when unknown or redacted."""
    if value is UNKNOWN or value is SENSITIVE:
        return "(unknown)"
    return str(value).lower() if isinstance(value, str) else ""


def _prefixes(values: Any, one: str, many: str) -> list[Any]:
    out = [v for v in tf_get(values, one) if isinstance(v, str) and v]
    out += [v for v in tf_get(values, many) if isinstance(v, str) and v]
    return out


def _hidden(value: Any) -> bool:
    return value is UNKNOWN or value is SENSITIVE


#: a rule that cannot be read at all (the rule, or the list holding it, is unknown or not an object)
UNREADABLE_RULE = SecurityRule("", "(unknown)", "(unknown)", [], [], unknown=True)


def tf_security_rule(values: dict[str, Any]) -> SecurityRule:
    """A rule from Terraform attributes (a `security_rule` block or an `azurerm_network_security_rule`)."""
    fields = ("access", "direction", "source_address_prefix", "source_address_prefixes",
              "destination_address_prefix", "destination_address_prefixes")  # fmt: skip
    return SecurityRule(
        _text(values.get("name")),
        _text(values.get("access")),
        _text(values.get("direction")),
        _prefixes(values, "source_address_prefix", "source_address_prefixes"),
        _prefixes(values, "destination_address_prefix", "destination_address_prefixes"),
        unknown=any(_hidden(v) for field in fields for v in tf_get(values, field)),
    )


def arm_security_rule(rule: Any) -> SecurityRule:
    """A rule from ARM properties (`securityRules[*]` of an NSG, or a `securityRules` child resource);
    any field it is judged by unknown or redacted (an azapi body known after apply) makes it unknown."""
    if not isinstance(rule, dict):
        return UNREADABLE_RULE

    def get(path: str) -> list[Any]:
        return arm_get(rule, path)

    def first(path: str) -> Any:
        return next(iter(get(path)), "")

    sources = [*get("properties.sourceAddressPrefix"), *get("properties.sourceAddressPrefixes[*]")]
    destinations = [*get("properties.destinationAddressPrefix"), *get("properties.destinationAddressPrefixes[*]")]
    judged = [*get("properties"), *get("properties.access"), *get("properties.direction"), *sources, *destinations]
    return SecurityRule(
        _text(first("name")),
        _text(first("properties.access")),
        _text(first("properties.direction")),
        [p for p in sources if not _hidden(p)],
        [p for p in destinations if not _hidden(p)],
        unknown=any(_hidden(v) for v in judged),
    )


def nsg_rules(nsg: Resource) -> Iterator[SecurityRule]:
    """The inline rules of an NSG."""
    if nsg.schema == "arm":
        yield from (arm_security_rule(rule) for rule in arm_get(nsg.values, "properties.securityRules[*]"))
    else:
        for rule in tf_get(nsg.values, "security_rule"):
            if isinstance(rule, dict):
                yield tf_security_rule(rule)
            elif _hidden(rule) and nsg.sets("security_rule") is not False:
                # configured rules known only after apply (when the configuration sets none, the
                # provider lists the separate azurerm_network_security_rule resources, judged apart)
                yield UNREADABLE_RULE


def security_rule(rule: Resource) -> SecurityRule:
    """A rule resource of its own (`azurerm_network_security_rule`, an ARM `securityRules` child)."""
    return arm_security_rule(rule.values) if rule.schema == "arm" else tf_security_rule(rule.values)


# ---------------------------------------------------------------------------------------------
# Firewall rules


class FirewallRule(NamedTuple):
    """One firewall rule: its collection's action (`allow`, `deny`, `dnat`), addresses it matches."""

    action: str
    name: Any
    sources: list[Any]
    destinations: list[Any]
    #: some sources / destinations are unknown at plan time or redacted (set apart from the lists)
    sources_unknown: bool = False
    destinations_unknown: bool = False

    @property
    def unknown(self) -> bool:
        """The action, the rule or some of its addresses are unknown at plan time (or redacted)."""
        return self.action == "(unknown)" or self.sources_unknown or self.destinations_unknown


#: Terraform firewall rule shapes: type -> (collections path, sources, destinations) per collection kind
FIREWALL_TF: dict[str, tuple[tuple[str, str, str], ...]] = {
    "azurerm_firewall_policy_rule_collection_group": (
        ("network_rule_collection", "source_addresses", "destination_addresses"),
        ("application_rule_collection", "source_addresses", "destination_addresses"),
        ("nat_rule_collection", "source_addresses", "translated_address"),
    ),
    "azurerm_firewall_network_rule_collection": (("", "source_addresses", "destination_addresses"),),
    "azurerm_firewall_nat_rule_collection": (("", "source_addresses", "translated_address"),),
    "azurerm_firewall_application_rule_collection": (("", "source_addresses", "destination_addresses"),),
}
#: ARM firewall rule shapes: type -> (collections, action type inside a collection) per collection kind
FIREWALL_ARM: dict[str, tuple[tuple[str, str], ...]] = {
    "azurerm_firewall_policy_rule_collection_group": (("properties.ruleCollections[*]", "action.type"),),
    "azurerm_firewall": (
        ("properties.networkRuleCollections[*]", "properties.action.type"),
        ("properties.natRuleCollections[*]", "properties.action.type"),
        ("properties.applicationRuleCollections[*]", "properties.action.type"),
    ),
}
#: every type holding firewall rules
FIREWALL_TYPES: tuple[str, ...] = (*FIREWALL_TF, "azurerm_firewall")


def firewall_rules(r: Resource, ip_group_cidrs: Callable[[str], list[Any]]) -> Iterator[FirewallRule]:
    """The rules of a firewall, policy rule collection group or classic rule collection.

    `ip_group_cidrs(id)` gives the CIDRs of an IP group a Terraform rule names (empty when unknown).
    """
    if r.schema == "arm":
        if r.type not in FIREWALL_ARM:
            return
        for collections_path, action_path in FIREWALL_ARM[r.type]:
            for collection in arm_get(r.values, collections_path):
                if not isinstance(collection, dict):
                    yield FirewallRule("(unknown)", "", [], [], True, True)
                    continue
                actions = arm_get(collection, action_path)
                action = _text(next(iter(actions), ""))
                for rule in arm_get(collection, "rules[*]") + arm_get(collection, "properties.rules[*]"):
                    if not isinstance(rule, dict):
                        yield FirewallRule(action, "", [], [], True, True)
                        continue
                    sources = arm_get(rule, "sourceAddresses[*]")
                    destinations = arm_get(rule, "destinationAddresses[*]") + arm_get(rule, "translatedAddress")
                    yield _firewall_rule(action, next(iter(arm_get(rule, "name")), ""), sources, destinations)
        return

    def groups(rule: dict[str, Any], path: str) -> list[Any]:
        # an IP group whose id is unknown holds unknown addresses
        return [
            cidr
            for ident in tf_get(rule, path)
            for cidr in (ip_group_cidrs(ident) if isinstance(ident, str) else [UNKNOWN] if _hidden(ident) else [])
        ]

    for collections_path, src_path, dst_path in FIREWALL_TF.get(r.type, ()):
        collections = tf_get(r.values, collections_path) if collections_path else [r.values]
        for collection in collections:
            if not isinstance(collection, dict):
                if _hidden(collection):
                    yield FirewallRule("(unknown)", "", [], [], True, True)
                continue
            action = _text(collection.get("action") or ("dnat" if dst_path == "translated_address" else ""))
            rules = collection.get("rule") or ()
            for rule in rules if isinstance(rules, list) else [rules]:
                if not isinstance(rule, dict):
                    yield FirewallRule(action, "", [], [], True, True)
                    continue
                sources = tf_get(rule, src_path) + groups(rule, "source_ip_groups")
                destinations = tf_get(rule, dst_path) + groups(rule, "destination_ip_groups")
                yield _firewall_rule(action, rule.get("name"), sources, destinations)


def _firewall_rule(action: str, name: Any, sources: list[Any], destinations: list[Any]) -> FirewallRule:
    """A rule with its unknown addresses set apart (`unknown`), so the known ones are still judged."""
    return FirewallRule(
        action,
        "(unknown)" if _hidden(name) else name,
        [a for a in sources if not _hidden(a)],
        [a for a in destinations if not _hidden(a)],
        sources_unknown=any(_hidden(a) for a in sources),
        destinations_unknown=any(_hidden(a) for a in destinations),
    )
