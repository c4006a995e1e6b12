"""Shared fixtures: one spaCy pipeline per session, the seed article, gold-data paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
EVAL_DIR = SHARED / "eval"


@pytest.fixture(scope="session")
def nlp():
    """The full newsdesk pipeline (trained model + newsdesk components), loaded once."""
    from transforms.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The article this project started from (it has no publication date)."""
    paths = sorted(SEED_DIR.glob("*.txt"))
    if not paths:
        pytest.skip("../shared/seed is not present")
    return paths[0]


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    """The seed article's text."""
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The gold data folder (../shared/eval); tests that need it skip when it is missing."""
    if not EVAL_DIR.exists():
        pytest.skip("../shared/eval is not present")
    return EVAL_DIR


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """A throwaway Prefect API and home for flow tests (never the user's ~/.prefect)."""
    import os

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect_home"))
    import flows  # noqa: F401  (sets Prefect's environment defaults before it is imported)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def con(tmp_path):
    """A fresh warehouse file's writable connection, closed after the test."""
    import warehouse

    connection = warehouse.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()
