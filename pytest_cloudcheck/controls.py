"""Which BIO controls a check gives evidence for.

The built-in check families carry default mappings by check-id prefix (`cmk.storage_account` ->
`cmk`), in their rows of `checks/registry.py`; a test adds its own with
`@pytest.mark.control("BIO U.05.2", ...)`. Mappings follow the NL BIO Cloud Theme (Azure Policy
initiative `NL_BIO_Cloud_Theme_V2`): cryptography U.05 / U.11, separation U.07, network U.12,
backups U.03 / U.04.
"""

from __future__ import annotations

from collections.abc import Iterable

from .checks.registry import FAMILIES

#: check-id prefix (the part before the first dot) -> BIO control ids, from the check families' rows
DEFAULT_CONTROLS: dict[str, tuple[str, ...]] = {
    prefix: family.controls for family in FAMILIES for prefix in family.prefixes if family.controls
}


def controls_for_check(check: str) -> tuple[str, ...]:
    """The default controls of a check id (empty for a check of the user's own)."""
    return DEFAULT_CONTROLS.get(check.split(".", 1)[0], ())


def merge(*groups: Iterable[str]) -> tuple[str, ...]:
    """Control ids in first-seen order, without repeats."""
    return tuple(dict.fromkeys(c for group in groups for c in group))


def control_marker(*ids: str) -> tuple[str, ...]:
    """Signature of `@pytest.mark.control(*ids)`: one or more non-empty strings."""
    if not ids:
        raise TypeError("give at least one control id, e.g. control('BIO U.05.2')")
    for control in ids:
        if not isinstance(control, str) or not control.strip():
            raise TypeError(f"control ids are non-empty strings, got {control!r}")
    return tuple(c.strip() for c in ids)
