"""`Topology.mermaid()`: hub, spokes grouped by environment, peerings; violations marked.

    flowchart LR
      subgraph env_prod["prod"]
        v1["vnet-zaanstad-prod-weu<br/>10.1.0.0/20"]:::spoke
      end
      v0["vnet-hub-weu<br/>10.0.0.0/16"]:::hub
      v0 <--> v1

A peering held on both sides is one `<-->` edge, one held on one side only a dashed `-.->` edge.
A VNet or peering with a violation gets the `violation` class (red); a VNet outside the inventory
(known only by the id a peering gives) the `outside` class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .topology import Topology, VNet

_CLASSES = (
    "classDef hub fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px",
    "classDef spoke fill:#f0fdf4,stroke:#15803d",
    "classDef outside fill:#f4f4f5,stroke:#71717a,stroke-dasharray:4 2",
    "classDef violation fill:#fee2e2,stroke:#b91c1c,stroke-width:3px",
)
_ENV_ORDER = ("shared", "prod", "nonprod", None)


def _label(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render(topo: Topology, findings: Iterable[Any]) -> str:
    broken = [f for f in findings if f.kind == "violation"]
    violating = {f.address for f in broken}
    related = {address for f in broken for address in f.related}
    bad_vnets = set()
    for address in violating:
        r = topo.inventory.get(address)
        vnet = topo.vnet_of(r) if r is not None else None
        if vnet is not None:
            bad_vnets.add(id(vnet))
    ids: dict[int, str] = {}
    outside: dict[str, str] = {}
    lines = ["flowchart LR"]

    def node(vnet: VNet) -> str:
        if id(vnet) not in ids:
            ids[id(vnet)] = f"v{len(ids) + len(outside)}"
        return ids[id(vnet)]

    def node_line(vnet: VNet, indent: str) -> str:
        space = ", ".join(map(str, vnet.networks)) or ("unknown" if vnet.space_unknown else "")
        text = _label(vnet.name or vnet.address) + (f"<br/>{_label(space)}" if space else "")
        role = "hub" if topo.is_hub(vnet) else "spoke"
        bad = id(vnet) in bad_vnets or any(s.address in violating for s in vnet.subnets)
        return f'{indent}{node(vnet)}["{text}"]:::{"violation" if bad else role}'

    hub = topo.hub
    if hub is not None:
        lines.append(node_line(hub, "  ") if hub.in_inventory else f'  {node(hub)}["{_label(hub.address)}"]:::hub')
    by_env: dict[str | None, list[VNet]] = {}
    for vnet in topo.spokes:
        by_env.setdefault(vnet.environment, []).append(vnet)
    for env in sorted(by_env, key=lambda e: _ENV_ORDER.index(e) if e in _ENV_ORDER else len(_ENV_ORDER)):
        title = env or "unclassified"
        lines.append(f'  subgraph env_{title}["{title}"]')
        lines.extend(node_line(v, "    ") for v in by_env[env])
        lines.append("  end")

    def outside_node(ident: str) -> str:
        if ident.lower() not in outside:
            name = ident.rstrip("/").rsplit("/", 1)[-1]
            outside[ident.lower()] = f"v{len(ids) + len(outside)}"
            lines.append(f'  {outside[ident.lower()]}["{_label(name)} (outside)"]:::outside')
        return outside[ident.lower()]

    edges: dict[tuple[str, str], list[Any]] = {}
    for p in topo.peerings:
        if p.local is None:
            continue
        a = node(p.local)
        if p.remote is not None:
            b = node(p.remote)
        elif p.remote_id:
            b = outside_node(p.remote_id)
        else:
            b = outside_node("(unknown at plan time)")
        edges.setdefault((min(a, b), max(a, b)), []).append((a, p))
    red: list[int] = []
    for index, ((a, b), sides) in enumerate(edges.items()):
        holders = {holder for holder, _ in sides}
        if len(holders) == 2:
            lines.append(f"  {a} <--> {b}")
        else:
            start = next(iter(holders))
            lines.append(f"  {start} -.-> {b if start == a else a}")
        if any(p.address in violating or p.address in related for _, p in sides):
            red.append(index)
    lines.extend(f"  {line}" for line in _CLASSES)
    if red:
        lines.append(f"  linkStyle {','.join(map(str, red))} stroke:#b91c1c,stroke-width:3px")
    return "\n".join(lines) + "\n"
