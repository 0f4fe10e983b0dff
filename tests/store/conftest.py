"""Store fixtures: a fresh database per test, SQLite always and PostgreSQL when SLANT_TEST_POSTGRES_URL is set."""

import os
from collections.abc import Iterator

import pytest

from slant.store import Store
from slant.store.schema import metadata


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    """An empty store on SQLite, and on PostgreSQL when `.ci/postgres.sh` (or you) set SLANT_TEST_POSTGRES_URL."""
    if request.param == "sqlite":
        yield Store(f"sqlite:///{tmp_path / 'slant.db'}")
        return
    url = os.environ.get("SLANT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("SLANT_TEST_POSTGRES_URL is not set (source .ci/postgres.sh to start a throwaway PostgreSQL)")
    store = Store(url)
    metadata.drop_all(store.engine)
    metadata.create_all(store.engine)
    yield store
    metadata.drop_all(store.engine)
    store.engine.dispose()
