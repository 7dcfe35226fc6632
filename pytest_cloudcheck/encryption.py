"""Encryption-at-rest facts. Lands with the CMK issue."""

from __future__ import annotations

from typing import Any


def encryption_of(resource: Any) -> Any:
    raise NotImplementedError("Resource.encryption lands with the CMK checks")
