"""Snapshots: the sources as loaded, written to a file and read back as a source.

Two uses, one module:

- **Evidence and replay.** `--cloudcheck-snapshot PATH` writes every loaded source of the run (a
  live inventory, a plan, ...) as JSON: each resource's values with unknown values marked and
  sensitive ones redacted, the coverage ledger, when it was written, which scopes were read and
  how many requests that took; the evidence report names the file with its sha256.
  `--cloudcheck-snapshot-in PATH` reads such files back as a source: a nightly live run replayed
  and debugged offline, or compared with a plan (drift, `checks.unmanaged`). A replayed resource
  keeps the source it was read from (`"live"`); the configuration references a plan resolves
  unknown values with are not kept, so a replayed plan reads them as unknown (never as compliant).
- **One read per run under pytest-xdist.** The controller loads every source once and hands its
  loaded sources to the workers (sources/handoff.py: a pickle only this run reads, exact for every
  kind of source), so `-n N` sends the requests of a serial run and every worker sees the same
  inventory and the same test ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..model import SENSITIVE, UNKNOWN, Gap, Ledger, Origin, Resource, SourceInfo
from .handoff import read_handoff, try_handoff, write_handoff
from .loaded import LoadedSource

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["FORMAT", "load_snapshots", "read_handoff", "try_handoff", "write_handoff", "write_snapshot"]

FORMAT = "pytest-cloudcheck-snapshot"
FORMAT_VERSION = 1
#: the marker key of values JSON cannot hold as they are
_MARK = "$cloudcheck"


# ---------------------------------------------------------------------------------------------
# evidence snapshots: JSON, redacted


def write_snapshot(path: Path, loaded: list[LoadedSource], requests: dict[str, int]) -> dict[str, Any]:
    """Write the snapshot file; returns what the evidence report says about it."""
    from .. import __version__

    written = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "pytest-cloudcheck", "version": __version__},
        "written": written,
        "scopes": [s.info.location for s in loaded],
        "requests": requests,
        "sources": [_source_json(s) for s in loaded],
    }
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    raw = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    except OSError as exc:
        raise SourceError(str(path), f"the snapshot could not be written ({exc.strerror or exc})") from None
    return {
        "path": str(path),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "written": written,
        "scopes": doc["scopes"],
        "requests": requests,
        "resources": sum(len(s.resources) for s in loaded),
    }


def load_snapshots(settings: Settings) -> list[LoadedSource]:
    """The source-kind loader of `--cloudcheck-snapshot-in`: every source of every file."""
    out: list[LoadedSource] = []
    for raw in settings.get("snapshot_in") or ():
        out.extend(load_snapshot(Path(raw)))
    return out


def load_snapshot(path: Path) -> list[LoadedSource]:
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
    except OSError as exc:
        raise SourceError(str(path), f"the snapshot could not be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise SourceError(str(path), f"not a snapshot: not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SourceError(str(path), f'not a snapshot: no "format": "{FORMAT}" (written by --cloudcheck-snapshot)')
    if doc.get("format_version") != FORMAT_VERSION:
        raise SourceError(str(path), f"snapshot format_version {doc.get('format_version')!r} is not {FORMAT_VERSION}")
    sha = hashlib.sha256(raw).hexdigest()
    try:
        return [_source_from(s, path, sha, str(doc.get("written") or "?")) for s in doc["sources"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(str(path), f"the snapshot is damaged ({type(exc).__name__}: {exc})") from None


# -- encoding --------------------------------------------------------------------------------


def _source_json(source: LoadedSource) -> dict[str, Any]:
    info = source.info
    return {
        "info": {
            "kind": info.kind,
            "location": info.location,
            "label": info.label,
            "sha256": info.sha256,
            "notes": list(info.notes),
            "ledger": [gap.to_json() for gap in info.ledger],
        },
        "resources": [_resource_json(r) for r in source.resources],
        "data_sources": [_resource_json(r) for r in source.data_sources],
        "destroyed": [_resource_json(r) for r in source.destroyed],
    }


def _resource_json(r: Resource) -> dict[str, Any]:
    return {
        "address": r.source_address,
        "type": r.type,
        "arm_type": r.arm_type,
        "name": r.name,
        "mode": r.mode,
        "module": r.module,
        "index": encode(r.index),
        "action": r.action,
        "origin": [r.origin.file, r.origin.line] if r.origin is not None else None,
        "schema": r.schema,
        "source": r.source,
        "provider_subscription": r.provider_subscription,
        "values": encode(r.values),
    }


def encode(value: Any) -> Any:
    """JSON for a value: UNKNOWN and SENSITIVE (already redacted at load) as markers; a part live
    mode could not read stays unreadable on replay."""
    from .live.keys import UnreadableDict

    if value is UNKNOWN:
        return {_MARK: "unknown"}
    if value is SENSITIVE:
        return {_MARK: "sensitive"}
    if isinstance(value, UnreadableDict):
        return {
            _MARK: "unreadable",
            "values": {k: encode(v) for k, v in dict.items(value)},
            "missing": sorted(value.missing),
            "location": value.location,
            "reason": value.reason,
        }
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {_MARK: "sensitive"}  # anything else is not written out


def decode(value: Any) -> Any:
    from .live.keys import UnreadableDict

    if isinstance(value, dict):
        mark = value.get(_MARK)
        if mark == "unknown":
            return UNKNOWN
        if mark == "sensitive":
            return SENSITIVE
        if mark == "unreadable":
            inner = {k: decode(v) for k, v in value["values"].items()}
            return UnreadableDict(inner, value["missing"], value["location"], value["reason"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _source_from(data: dict[str, Any], path: Path, sha: str, written: str) -> LoadedSource:
    raw = data["info"]
    info = SourceInfo(
        raw["kind"],
        f"{raw['location']} (snapshot {path}, written {written})",
        0,
        sha256=sha,
        label=raw["label"],
        notes=list(raw.get("notes") or ()),
        ledger=Ledger(Gap.from_json(g) for g in raw.get("ledger") or ()),
    )
    loaded = LoadedSource(
        info,
        _resources(data["resources"], raw["label"]),
        data_sources=_resources(data.get("data_sources") or (), raw["label"]),
        destroyed=_resources(data.get("destroyed") or (), raw["label"]),
    )
    info.resources = len(loaded.resources)
    return loaded


def _resources(rows: Iterable[dict[str, Any]], label: str) -> list[Resource]:
    out = []
    for row in rows:
        origin = row.get("origin")
        r = Resource(
            address=row["address"],
            type=row["type"],
            values=decode(row["values"]),
            source=row["source"],
            arm_type=row.get("arm_type"),
            name=row.get("name"),
            mode=row.get("mode") or "managed",
            module=row.get("module") or "",
            index=decode(row.get("index")),
            action=row.get("action"),
            origin=Origin(origin[0], origin[1]) if origin else None,
            schema=row.get("schema") or "azurerm",
            source_label=label,
            provider_subscription=row.get("provider_subscription"),
        )
        out.append(r)
    return out
