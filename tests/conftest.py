"""Shared fixtures: the repository, the shared folder, and the seed article."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from stance.articles import read_article
from stance.attribution import extract_statements
from stance.types import Article, Statement

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "moscow-nur-sultan-allies"


def starting_with(statements: Sequence[Statement], opening: str) -> Statement:
    """The statement whose span starts with ``opening`` (or, failing that, contains it)."""
    wanted = " ".join(opening.split())
    for statement in statements:
        if " ".join(statement.span.text.split()).startswith(wanted):
            return statement
    # "Moscow (AsiaNews) - On the occasion ...": the opening may follow a dateline
    for statement in statements:
        if wanted in " ".join(statement.span.text.split()):
            return statement
    openings = [s.span.text[:40] for s in statements]
    raise AssertionError(f"no statement starts with {opening!r}; statements: {openings}")


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def shared(repo: Path) -> Path:
    """The shared folder (``$STANCE_SHARED``, else ``../shared``); skips when absent."""
    path = Path(os.environ.get("STANCE_SHARED") or repo.parent / "shared")
    if not path.is_dir():
        pytest.skip(f"shared folder {path} not found; set STANCE_SHARED to run this test")
    return path


@pytest.fixture(scope="session")
def seed_path(repo: Path) -> Path:
    return repo / "corpus" / "articles" / f"{SEED_ID}.txt"


@pytest.fixture(scope="session")
def seed_article(seed_path: Path) -> Article:
    """The codebook's seed article, read as the CLI reads it."""
    return read_article(seed_path)


@pytest.fixture(scope="session")
def seed_statements(seed_article: Article) -> list[Statement]:
    """The statements extracted from the seed article (once per session)."""
    return extract_statements(seed_article)


@pytest.fixture(name="starting_with", scope="session")
def starting_with_fixture() -> Callable[[Sequence[Statement], str], Statement]:
    """:func:`starting_with` as a fixture (tests are imported with importlib mode)."""
    return starting_with
