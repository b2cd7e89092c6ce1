"""Shared fixtures for the counting engine's tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
BLT_DATA = REPOSITORY / "tests" / "data" / "blt"


def expected_results() -> dict:
    """The published results: ``{file: {method: [names]}}``."""
    return json.loads((BLT_DATA / "expected.json").read_text(encoding="utf-8"))["results"]


def collapse(name: str) -> str:
    return " ".join(name.split())


@pytest.fixture
def blt_data() -> Path:
    return BLT_DATA
