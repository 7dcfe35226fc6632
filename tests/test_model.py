"""The model's own guarantees: finding kinds are checked where a finding is made."""

from __future__ import annotations

import pytest

from pytest_cloudcheck.model import FINDING_KINDS, Finding


@pytest.mark.parametrize("kind", FINDING_KINDS)
def test_every_known_kind_makes_a_finding(kind: str) -> None:
    assert Finding("cmk.storage_account", "azurerm_storage_account.a", "m", kind=kind).kind == kind  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["Violation", "warning", "", "not-assessed"])
def test_a_misspelt_kind_is_refused(kind: str) -> None:
    with pytest.raises(ValueError, match="not one of violation, unknown, not_assessed, outside"):
        Finding("cmk.storage_account", "azurerm_storage_account.a", "m", kind=kind)  # type: ignore[arg-type]
