"""Shared fixtures: paths to the fixture pages and to the third-party data (when present)."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def fixtures() -> Path:
    """The folder of fixture pages written for these tests."""
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data`, or a skip when this checkout has no such folder beside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the third-party data folder {SHARED_DATA}, which is absent here")
    return SHARED_DATA
