"""Articles to rows: the ordered stream of scored statement rows (or error rows).

One article yields one row per statement (design.md format), or one error row when
it cannot be read. Rows come out in input order whatever the number of workers;
the classifier is called once per batch of articles, never once per statement.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from stance.articles import DEFAULT_MAX_BYTES, iter_records, make_article
from stance.attribution import extract_statements
from stance.errors import InputError, StanceError
from stance.model import FrameModel
from stance.types import Article, FramePrediction, Statement
from stance.writer import encode_jsonl

log = logging.getLogger(__name__)

Row = dict[str, Any]
DEFAULT_BATCH = 64
RESERVED_FIELDS = frozenset({"error", "frame", "secondary", "scores", "model"})


def error_row(err: InputError) -> Row:
    """The one row an input that cannot be processed yields."""
    where = f"{err.source}:{err.line}" if err.line is not None else err.source
    return {"article": where, "error": str(err)}


def statement_row(
    statement: Statement,
    prediction: FramePrediction | None,
    model_id: str | None,
    meta: dict[str, Any] | None = None,
) -> Row:
    """One output row: the statement, its frames, the model, and the record's extra fields."""
    row: Row = statement.to_row()
    if prediction is not None:
        row["frame"] = prediction.primary
        row["secondary"] = list(prediction.secondary)
        row["scores"] = prediction.scores
        row["model"] = model_id
    if meta:
        for key, value in meta.items():
            if key in RESERVED_FIELDS:
                key = f"record_{key}"  # a record's own "error" or "frame" must not pass for ours
            row.setdefault(key, value)
    return row


def extract_paths(
    paths: Iterable[str | Path],
    *,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_column: str = "id",
    text_column: str = "text",
) -> Iterator[Row]:
    """Statement rows (without frames) for every article of ``paths``, in input order."""
    for record in iter_records(
        paths, encoding=encoding, max_bytes=max_bytes, id_column=id_column, text_column=text_column
    ):
        if isinstance(record, InputError):
            yield error_row(record)
            continue
        for statement in extract_statements(record):
            yield statement.to_row()


def score_articles(articles: Sequence[Article], model: FrameModel) -> list[list[Row]]:
    """Rows for each article of a batch, with one classifier call for the whole batch."""
    statements = [extract_statements(a) for a in articles]
    flat = [s for group in statements for s in group]
    predictions = model.predict(flat)
    out = []
    position = 0
    for article, group in zip(articles, statements, strict=True):
        rows = [
            statement_row(s, predictions[position + i], model.model_id, article.meta)
            for i, s in enumerate(group)
        ]
        position += len(group)
        out.append(rows)
    return out


def score_batch(batch: Sequence[Article | InputError], model: FrameModel) -> list[list[Row]]:
    """Rows per record of a batch: error rows in place of unreadable records."""
    good = [r for r in batch if isinstance(r, Article)]
    try:
        scored = iter(score_articles(good, model))
    except Exception as err:  # never lose a batch: fall back to one article at a time
        log.warning("batch failed (%s); scoring its articles one by one", err)
        scored = iter([_score_one(a, model) for a in good])
    return [[error_row(r)] if isinstance(r, InputError) else next(scored) for r in batch]


def _score_one(article: Article, model: FrameModel) -> list[Row]:
    try:
        return score_articles([article], model)[0]
    except Exception as err:
        return [{"article": article.id, "error": f"{article.id}: could not be scored ({err})"}]


@lru_cache(maxsize=4)
def cached_model(path: str) -> FrameModel:
    """The model at ``path``, loaded once per process and then reused.

    Workers (joblib, Dask, Spark, Ray) call this so each loads the model once.
    """
    from stance.persist import load_model

    return load_model(path)


def _score_batch_in_worker(
    batch: Sequence[Article | InputError], model: FrameModel | str
) -> list[list[Row]]:
    resolved = cached_model(model) if isinstance(model, str) else model
    return score_batch(batch, resolved)


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """One record's rows already written out as JSON lines, and its error if it is one.

    Workers encode their rows themselves: a string crosses the process boundary far
    more cheaply than thousands of small dicts, and the parent only writes it.
    """

    text: str
    error: str | None = None


def record_error(rows: Sequence[Row]) -> str | None:
    """The error of a record's rows (an unreadable record is one error row), else None."""
    return rows[0].get("error") if rows else None


def _encoded(rows_per_record: list[list[Row]]) -> list[EncodedRecord]:
    return [EncodedRecord(encode_jsonl(rows), record_error(rows)) for rows in rows_per_record]


def _score_encoded_in_worker(
    batch: Sequence[Article | InputError], model: FrameModel | str
) -> list[EncodedRecord]:
    return _encoded(_score_batch_in_worker(batch, model))


def batched(records: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def score_records(
    records: Iterable[Article | InputError],
    model: FrameModel | str | Path | None = None,
    *,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[list[Row]]:
    """The rows of each record, in input order, as one list per record.

    ``model`` is a loaded FrameModel or a model directory (None: the default model);
    with ``jobs > 1`` a directory is loaded once in each worker process.
    """
    if engine == "dask":
        from stance.distributed import score_records_dask

        yield from score_records_dask(
            records, model, jobs=jobs, batch_size=batch_size, scheduler=scheduler
        )
        return
    if engine != "local":
        raise StanceError(f"unknown engine {engine!r}; use 'local' or 'dask'")
    yield from _run_batches(records, model, jobs, batch_size, _score_batch_in_worker)


def score_records_jsonl(
    records: Iterable[Article | InputError],
    model: FrameModel | str | Path | None = None,
    *,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH,
) -> Iterator[EncodedRecord]:
    """``score_records``, each record's rows already encoded as JSON lines (by the
    workers, when there are several): what ``stance score`` writes."""
    yield from _run_batches(records, model, jobs, batch_size, _score_encoded_in_worker)


def _run_batches(
    records: Iterable[Article | InputError],
    model: FrameModel | str | Path | None,
    jobs: int,
    batch_size: int,
    work: Any,
) -> Iterator[Any]:
    """``work(batch, model)`` over batches of records, in input order, results flattened."""
    batches = batched(records, batch_size)
    if jobs == 1:
        loaded = _resolve_model(model)
        for batch in batches:
            yield from work(batch, loaded)
        return
    from joblib import Parallel, delayed

    shipped: FrameModel | str = (
        str(_model_path(model)) if not isinstance(model, FrameModel) else model
    )
    if isinstance(shipped, str):
        _resolve_model(shipped)  # fail here, once, with a clear error if it does not load
    parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")
    for results in parallel(delayed(work)(batch, shipped) for batch in batches):
        yield from results


def _model_path(model: str | Path | None) -> Path:
    from stance.persist import default_model_dir

    return Path(model) if model is not None else default_model_dir()


def _resolve_model(model: FrameModel | str | Path | None) -> FrameModel:
    if isinstance(model, FrameModel):
        return model
    return cached_model(str(_model_path(model)))


def score_paths(
    paths: Iterable[str | Path],
    *,
    model: FrameModel | str | Path | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_column: str = "id",
    text_column: str = "text",
    batch_size: int = DEFAULT_BATCH,
    skip: int = 0,
) -> Iterator[Row]:
    """Scored rows for every article of ``paths`` (files, directories, globs, ``-``).

    Every input yields its statement rows or one error row; ``skip`` drops the first
    records (what ``--resume`` found already done).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "talks.txt").write_text("The minister praised the new trade pact.")
    >>> [(r["speaker"], r["frame"]) for r in score_paths([folder / "talks.txt"])]
    [('The minister', 'cooperation')]
    """
    records = iter_records(
        paths, encoding=encoding, max_bytes=max_bytes, id_column=id_column, text_column=text_column
    )
    records = itertools.islice(records, skip, None)
    for rows in score_records(
        records, model, jobs=jobs, batch_size=batch_size, engine=engine, scheduler=scheduler
    ):
        yield from rows


# ---------------------------------------------------------------- one article, for a person


@dataclass(frozen=True)
class ArticleAnalysis:
    """One article's statements with their frames."""

    article: Article
    statements: tuple[Statement, ...]
    predictions: tuple[FramePrediction, ...]
    model_id: str

    def to_rows(self) -> list[Row]:
        """The output rows of ``stance score`` for this article."""
        return [
            statement_row(s, p, self.model_id, self.article.meta)
            for s, p in zip(self.statements, self.predictions, strict=True)
        ]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as err:
            raise StanceError("to_dataframe needs pandas: pip install pandas") from err
        return pd.json_normalize(self.to_rows())

    def table(self, width: int = 60) -> str:
        """A readable table: speaker, kind, frame with probability, start of the content."""
        header = f"{'#':>3}  {'speaker':<24} {'kind':<9} {'frame':<18} content"
        lines = [header, "-" * (len(header) + width - 7)]
        for s, p in zip(self.statements, self.predictions, strict=True):
            frame = f"{p.primary} {p.scores[p.primary]:.2f}"
            if p.secondary:
                frame += "+"
            speaker = (s.speaker or "-")[:24]
            content = " ".join(s.content.text.split())
            content = content if len(content) <= width else content[: width - 1] + "…"
            lines.append(f"{s.index:>3}  {speaker:<24} {s.kind:<9} {frame:<18} {content}")
        return "\n".join(lines)


def analyze(
    text: str | Article, *, model: FrameModel | str | Path | None = None, article_id: str = "text"
) -> ArticleAnalysis:
    """Statements and frames of one article.

    Examples
    --------
    >>> result = analyze("On Monday, critics accused the government of betraying farmers.")
    >>> [(s.speaker, p.primary) for s, p in zip(result.statements, result.predictions)]
    [('critics', 'blame')]
    """
    article = text if isinstance(text, Article) else make_article(article_id, text)
    loaded = _resolve_model(model)
    statements = extract_statements(article)
    predictions = loaded.predict(statements)
    return ArticleAnalysis(article, tuple(statements), tuple(predictions), loaded.model_id)
