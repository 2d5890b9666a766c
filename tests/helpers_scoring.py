"""Fixtures and helpers shared by the scoring, CLI and classifier tests.

A pytest plugin: the test modules put ``tests/`` on ``sys.path`` (tests are imported in
importlib mode) and name it in ``pytest_plugins``, so the session fixtures below, the
tiny model above all, are built once for every module that uses them.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import stance.persist
from stance.cli import cli
from stance.corpus import load_corpus
from stance.model import FrameModel, fit_frame_model
from stance.types import Framing, Statement

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data" / "scoring"
ARTICLES = DATA / "articles"
TINY_GRID = {"linearsvc__C": [0.3], "statementfeaturizer__ngram_max": [1]}
TINY_ID = "tiny-test-model"
FRAME_FIELDS = {"frame", "secondary", "scores", "model"}

Row = dict[str, Any]


# ---------------------------------------------------------------- plain helpers


def json_lines(text: str) -> list[Row]:
    """The JSON rows of a command's stdout (or of a file's text)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def records_of(rows: Sequence[Row]) -> list[list[Row]]:
    """Rows grouped into records: one article's consecutive rows, or one error row."""
    out: list[list[Row]] = []
    for row in rows:
        starts = (
            not out
            or "error" in row
            or "error" in out[-1][-1]
            or row["article"] != out[-1][-1]["article"]
            or row["index"] == 0
        )
        if starts:
            out.append([])
        out[-1].append(row)
    return out


def flatten(articles: Sequence[Any]) -> tuple[list[Statement], list[Framing]]:
    """Gold statements and framings of annotated articles, in order."""
    statements = [s for a in articles for s in a.statements]
    framings = [f for a in articles for f in a.framings]
    return statements, framings


class Tripwire:
    """An object that records every time it is rebuilt from a file (a stand-in payload)."""

    rebuilt: list[object] = []

    def __init__(self) -> None:
        self.armed = True

    def __setstate__(self, state: dict[str, object]) -> None:
        Tripwire.rebuilt.append(state)
        self.__dict__.update(state)


# ---------------------------------------------------------------- model loading, once

_real_load_model = stance.persist.load_model
_loaded: dict[Path, FrameModel] = {}


def cached_load_model(path: str | Path | None = None) -> FrameModel:
    """``stance.persist.load_model`` that reads each model directory once per session.

    Errors are not cached, so a missing or broken directory fails exactly as it would.
    """
    directory = Path(path) if path is not None else stance.persist.default_model_dir()
    if directory.is_file():
        directory = directory.parent
    key = directory.resolve()
    if key not in _loaded:
        _loaded[key] = _real_load_model(path)
    return _loaded[key]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def train_subset() -> tuple[list[Statement], list[Framing]]:
    """Gold statements and framings of the first 30 training articles."""
    return flatten(load_corpus(CORPUS, split="train")[:30])


@pytest.fixture(scope="session")
def tiny_model(train_subset: tuple[list[Statement], list[Framing]]) -> FrameModel:
    """A session fixture trains the tiny model once."""
    model, _ = fit_frame_model(*train_subset, seed=0, grid=TINY_GRID, model_id=TINY_ID)
    return model


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model: FrameModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model saved as a model directory (model.skops, meta.json, card.md)."""
    return stance.persist.save_model(
        tiny_model, tmp_path_factory.mktemp("tiny-model"), card="# tiny test model\n"
    )


@pytest.fixture(scope="session")
def default_model() -> FrameModel:
    """The bundled model, as ``stance.load_model()`` with no arguments gives it."""
    import stance

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("STANCE_MODEL", raising=False)
        model = stance.load_model()
    _loaded[stance.persist.default_model_dir().resolve()] = model
    return model


@pytest.fixture
def score_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Run ``stance ARGS...`` through CliRunner; stdout and stderr are kept apart.

    Model directories are read once per session (loading is tested in test_persist),
    and the SIGTERM handler ``stance score`` installs is put back afterwards.
    """
    monkeypatch.setattr(stance.persist, "load_model", cached_load_model)
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    previous = signal.getsignal(signal.SIGTERM)
    runner = CliRunner()

    def run(*args: object, input: str | bytes | None = None) -> Result:
        return runner.invoke(cli, [str(a) for a in args], input=input)

    yield run
    signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A fresh copy of the four small test articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(ARTICLES.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder
