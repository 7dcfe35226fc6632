"""Stash keys shared by the hooks and fixtures."""

from __future__ import annotations

import pytest

from .session import CloudcheckSession

SESSION = pytest.StashKey[CloudcheckSession]()
