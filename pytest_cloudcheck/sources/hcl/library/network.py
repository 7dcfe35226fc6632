"""IP network functions: cidrhost, cidrnetmask, cidrsubnet, cidrsubnets (IPv4 and IPv6)."""

from __future__ import annotations

import ipaddress
from typing import Any

from ..values import EvalError, to_number, to_string
from . import Function, fn

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(prefix: Any) -> Network:
    text = to_string(prefix)
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise EvalError(f"invalid CIDR expression {text!r}") from None


def _whole(value: Any) -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise EvalError(f"{number} is not a whole number")
        return int(number)
    return number


def _cidrhost(prefix: Any, hostnum: Any) -> str:
    network = _network(prefix)
    number = _whole(hostnum)
    size = network.num_addresses
    if number >= size or number < -size:
        raise EvalError(f"prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    base = int(network.network_address) + (number if number >= 0 else size + number)
    return str(ipaddress.ip_address(base) if network.version == 4 else ipaddress.IPv6Address(base))


def _cidrnetmask(prefix: Any) -> str:
    network = _network(prefix)
    if network.version != 4:
        raise EvalError("only IPv4 networks are supported")
    return str(network.netmask)


def _subnet(network: Network, newbits: int, netnum: int) -> Network:
    new_prefix = network.prefixlen + newbits
    if newbits < 0:
        raise EvalError("newbits must be non-negative")
    if new_prefix > network.max_prefixlen:
        raise EvalError(f"insufficient address space to extend prefix of {network.prefixlen} by {newbits}")
    if netnum < 0 or netnum >= 2**newbits:
        raise EvalError(f"prefix extension of {newbits} does not accommodate a subnet numbered {netnum}")
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = int(network.network_address) + netnum * size
    return ipaddress.ip_network((address, new_prefix))


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    return str(_subnet(_network(prefix), _whole(newbits), _whole(netnum)))


def _cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    network = _network(prefix)
    out: list[str] = []
    next_address = int(network.network_address)
    end = int(network.broadcast_address)
    for bits in (_whole(b) for b in newbits):
        if bits < 1:
            raise EvalError("must extend prefix by at least one bit")
        new_prefix = network.prefixlen + bits
        if new_prefix > network.max_prefixlen:
            raise EvalError(
                f"would extend prefix to {new_prefix} bits, which is too long for an IPv{network.version} address"
            )
        size = 2 ** (network.max_prefixlen - new_prefix)
        start = -(-next_address // size) * size  # aligned to the new size
        if start + size - 1 > end:
            raise EvalError(
                f"not enough remaining address space for a subnet with a prefix of {new_prefix} bits "
                f"after {out[-1] if out else network}"
            )
        out.append(str(ipaddress.ip_network((start, new_prefix))))
        next_address = start + size
    return out


FUNCTIONS: dict[str, Function] = {
    "cidrhost": fn(_cidrhost),
    "cidrnetmask": fn(_cidrnetmask),
    "cidrsubnet": fn(_cidrsubnet),
    "cidrsubnets": fn(_cidrsubnets),
}
