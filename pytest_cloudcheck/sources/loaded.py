"""What one source hands to the inventory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Resource, SourceInfo


@dataclass(slots=True)
class LoadedSource:
    info: SourceInfo
    resources: list[Resource]
    data_sources: list[Resource] = field(default_factory=list)
    destroyed: list[Resource] = field(default_factory=list)


def source_labels(paths: list[Path]) -> list[str]:
    """Labels of the sources read from these paths: file stems, widened with parent folders where
    two share a stem (the label prefixes an address found in several sources)."""
    labels = [f.stem for f in paths]
    depth = 1
    while len(set(labels)) < len(labels) and depth < 8:
        counts = Counter(labels)
        labels = [
            "/".join([*f.parent.parts[-depth:], f.stem]) if counts[label] > 1 else label
            for f, label in zip(paths, labels, strict=True)
        ]
        depth += 1
    return labels
