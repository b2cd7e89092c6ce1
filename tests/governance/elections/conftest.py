"""Fixtures for the counting engine's tests.

Tests take these as fixtures rather than importing this module: a
project-wide conftest.py would shadow ``import conftest``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture
def repository() -> Path:
    """The repository root, where ``python -m governance.elections.counting`` runs."""
    return REPOSITORY


@pytest.fixture
def blt_data() -> Path:
    """The published BLT elections and their expected results."""
    return REPOSITORY / "tests" / "data" / "blt"
