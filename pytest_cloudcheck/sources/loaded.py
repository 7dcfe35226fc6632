"""What one source hands to the inventory."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Resource, SourceInfo


@dataclass(slots=True)
class LoadedSource:
    info: SourceInfo
    resources: list[Resource]
    data_sources: list[Resource] = field(default_factory=list)
    destroyed: list[Resource] = field(default_factory=list)
