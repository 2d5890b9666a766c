"""The ``stance`` command line: thin click commands over the library.

stdout carries data, stderr carries messages and progress. Exit status: 0 when
every input was processed, 1 when any input became an error row or a check
failed, 2 for usage errors.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from stance.errors import StanceError


def _fail(err: Exception) -> click.ClickException:
    return click.ClickException(str(err))


def model_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--model",
        "model_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Model directory (default: $STANCE_MODEL or the bundled models/frames-default).",
    )(func)


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write rows here (atomically) instead of stdout.",
)


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for decorator in reversed(
        [
            click.option(
                "--encoding",
                default="utf-8",
                show_default=True,
                help="Encoding of the inputs (e.g. latin-1).",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(min=1),
                default=5_000_000,
                show_default=True,
                help="Refuse larger files (and JSONL lines).",
            ),
            click.option(
                "--text-column",
                default="text",
                show_default=True,
                help="Field/column holding the text (JSONL, CSV).",
            ),
            click.option(
                "--id-column",
                default="id",
                show_default=True,
                help="Field/column holding the article id (JSONL, CSV).",
            ),
        ]
    ):
        func = decorator(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stance")
def cli() -> None:
    """Who says what in the news, and how they frame it."""


# ---------------------------------------------------------------- extract


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_option
@input_options
def extract(
    inputs: tuple[str, ...],
    output: Path | None,
    encoding: str,
    max_bytes: int,
    text_column: str,
    id_column: str,
) -> None:
    """Split articles into attributed statements, one JSON row per statement.

    \b
    INPUTS are .txt files, directories, .jsonl files of {"id", "text"} records, or -.
    Example:
        stance extract news/*.txt -o statements.jsonl
    """
    from stance.score import extract_paths
    from stance.writer import write_jsonl

    errors = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal errors
        for row in extract_paths(
            inputs,
            encoding=encoding,
            max_bytes=max_bytes,
            id_column=id_column,
            text_column=text_column,
        ):
            if "error" in row:
                errors += 1
                click.echo(f"error: {row['error']}", err=True)
            yield row

    try:
        write_jsonl(rows(), output)
    except StanceError as err:
        raise _fail(err) from err
    if errors:
        sys.exit(1)


# ---------------------------------------------------------------- score


class Progress:
    """Articles done, articles/s and errors on one stderr line."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.last = 0.0
        self.done = 0
        self.errors = 0

    def update(self, is_error: bool) -> None:
        self.done += 1
        self.errors += is_error
        now = time.perf_counter()
        if self.enabled and now - self.last > 0.25:
            self.last = now
            self._show(now)

    def _show(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-9)
        click.echo(
            f"\r{self.done:,} articles  {rate:,.0f}/s  {self.errors} errors", err=True, nl=False
        )

    def finish(self) -> None:
        if self.enabled:
            self._show(time.perf_counter())
            click.echo("", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@model_option
@output_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (or Dask workers).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Score here (joblib) or on a Dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address (tcp://HOST:PORT); default: a local cluster.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the articles already complete in --output and append the rest.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr (default: when stderr is a terminal).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Articles per classifier call.",
)
@input_options
def score(
    inputs: tuple[str, ...],
    model_dir: Path | None,
    output: Path | None,
    jobs: int,
    engine: str,
    scheduler: str | None,
    resume: bool,
    fmt: str,
    progress: bool | None,
    batch_size: int,
    encoding: str,
    max_bytes: int,
    text_column: str,
    id_column: str,
) -> None:
    """Label every statement of INPUTS with frames, one row per statement.

    \b
    INPUTS are .txt files, directories, globs, .jsonl/.csv files of records, or -.
    Extra fields of JSONL/CSV records (outlet, date, url) are carried into the rows.
    An input that cannot be scored yields one {"article", "error"} row; exit 1 then.
    Example:
        stance score news/ --jobs 2 -o scored.jsonl
    """
    import itertools

    from stance.articles import iter_records
    from stance.persist import load_model
    from stance.score import record_error, score_records, score_records_jsonl
    from stance.writer import RowWriter

    if resume and output is None:
        raise click.UsageError("--resume needs -o/--output")
    try:
        model = load_model(model_dir) if jobs == 1 and engine == "local" else model_dir
    except StanceError as err:
        raise _fail(err) from err
    try:
        writer = RowWriter(output, fmt=fmt, resume=resume)
    except StanceError as err:
        raise _fail(err) from err
    if writer.skip:
        click.echo(f"resuming: {writer.skip} articles already in {output}", err=True)
    meter = Progress(progress if progress is not None else sys.stderr.isatty())
    signal.signal(signal.SIGTERM, _raise_interrupt)
    complete = False
    try:
        records = itertools.islice(
            iter_records(
                inputs,
                encoding=encoding,
                max_bytes=max_bytes,
                id_column=id_column,
                text_column=text_column,
            ),
            writer.skip,
            None,
        )
        # (what to write, the record's error or None), one pair per record
        stream: Iterator[tuple[Any, str | None]]
        if fmt == "jsonl" and engine == "local":
            # the workers encode the rows; this process only reads and writes
            encoded = score_records_jsonl(records, model, jobs=jobs, batch_size=batch_size)
            stream = ((e.text, e.error) for e in encoded)
            write: Any = writer.write_text
        else:
            scored = score_records(
                records,
                model,
                jobs=jobs,
                batch_size=batch_size,
                engine=engine,
                scheduler=scheduler,
            )
            stream = ((rows, record_error(rows)) for rows in scored)
            write = writer.write_record
        for payload, error in stream:
            if not payload:
                continue  # an article without a sentence has no rows
            if error is not None:
                click.echo(f"\rerror: {error}", err=True)
            write(payload)
            meter.update(error is not None)
        complete = True
    except StanceError as err:
        raise _fail(err) from err
    finally:
        writer.close(complete=complete)
        meter.finish()
    if meter.errors:
        click.echo(f"{meter.errors} of {meter.done} inputs could not be scored", err=True)
        sys.exit(1)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


# ---------------------------------------------------------------- analyze


@cli.command()
@click.argument("article", type=click.Path(allow_dash=True))
@model_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the HTML report of this article here.",
)
@click.option("--encoding", default="utf-8", show_default=True)
def analyze(
    article: str, model_dir: Path | None, fmt: str, html_out: Path | None, encoding: str
) -> None:
    """Show one ARTICLE's statements: speaker, kind, frame and probability, content.

    \b
    Example:
        stance analyze corpus/articles/moscow-nur-sultan-allies.txt
    """
    from stance.articles import iter_records
    from stance.errors import InputError
    from stance.persist import load_model
    from stance.score import analyze as analyze_article

    try:
        record = next(iter_records([article], encoding=encoding), None)
        if record is None:
            raise click.ClickException(f"{article}: no article found")
        if isinstance(record, InputError):
            raise record
        result = analyze_article(record, model=load_model(model_dir))
    except StanceError as err:
        raise _fail(err) from err
    if fmt == "json":
        for row in result.to_rows():
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        title = result.article.title.text if result.article.title else result.article.id
        click.echo(f"{title}  [{len(result.statements)} statements, model {result.model_id}]")
        click.echo(result.table())
    if html_out is not None:
        from stance.report import write_report

        write_report(result.to_rows(), html_out, articles={result.article.id: result.article})
        click.echo(f"wrote {html_out}", err=True)


# ---------------------------------------------------------------- train / evaluate


@cli.command()
@click.argument(
    "corpus_dir",
    metavar="[CORPUS]",
    required=False,
    default="corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model directory to write (default: models/frames-<date>).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--real-text",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Event-coded real sentences to report on in the card (default: "
    "$STANCE_SHARED/data/events/cameo-train.jsonl when present).",
)
def train(corpus_dir: Path, out: Path | None, seed: int, real_text: Path | None) -> None:
    """Train the framing model on CORPUS (default: corpus/) and write model + card."""
    import datetime as dt
    import os

    from stance.training import train_model

    out = out or Path("models") / f"frames-{dt.date.today().isoformat()}"
    if real_text is None:
        shared = Path(os.environ.get("STANCE_SHARED", "../shared"))
        candidate = shared / "data" / "events" / "cameo-train.jsonl"
        real_text = candidate if candidate.exists() else None
    click.echo(f"training on {corpus_dir} (seed {seed}) ...", err=True)
    try:
        run = train_model(corpus_dir, out, seed=seed, real_text=real_text)
    except StanceError as err:
        raise _fail(err) from err
    metrics = run.meta["metrics"]
    click.echo(
        f"wrote {out}: dev macro-F1 {metrics['dev']['macro_f1']:.3f}, "
        f"test macro-F1 {metrics['test']['macro_f1']:.3f}, "
        f"trained in {run.meta['train_seconds']} s",
        err=True,
    )
    click.echo(
        json.dumps(
            {
                "model": str(out),
                "id": run.meta["id"],
                "metrics": {
                    k: {"macro_f1": v["macro_f1"], "accuracy": v["accuracy"]}
                    for k, v in metrics.items()
                },
            }
        )
    )


@cli.command()
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@model_option
@click.option(
    "--split",
    type=click.Choice(["train", "dev", "test"]),
    default=None,
    help="Evaluate one split of a corpus directory.",
)
@click.option("--json", "as_json", is_flag=True, help="Print all metrics as JSON.")
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write one row per gold statement with the model's frames.",
)
def evaluate(
    gold: Path, model_dir: Path | None, split: str | None, as_json: bool, predictions: Path | None
) -> None:
    """Score a model on GOLD: a corpus directory or an interchange JSONL file.

    Reports framing on the gold statements, attribution of the extracted statements
    against the gold ones, and end-to-end framing (codebook section 4).
    """
    from stance.corpus import load_gold
    from stance.persist import load_model
    from stance.training import evaluate_model
    from stance.writer import write_jsonl

    try:
        model = load_model(model_dir)
        articles = load_gold(gold, split=split)
        if split is None and gold.is_dir() and (gold / "splits.json").exists():
            click.echo(
                "note: evaluating every corpus article; use --split test for held-out", err=True
            )
        result = evaluate_model(model, articles)
    except StanceError as err:
        raise _fail(err) from err
    rows = result.pop("predictions")
    if predictions is not None:
        write_jsonl(rows, predictions)
        click.echo(f"wrote {len(rows)} predictions to {predictions}", err=True)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(_evaluation_text(result))


def _evaluation_text(result: dict[str, Any]) -> str:
    from stance.types import FRAMES

    framing = result["framing"]
    lines = [
        f"model {result['model']}: {result['articles']} articles, "
        f"{result['statements']} gold statements",
        "",
        f"framing (gold statements): macro-F1 {framing['macro_f1']:.3f}, "
        f"accuracy {framing['accuracy']:.3f}, secondary micro-F1 "
        f"{framing['secondary']['micro_f1']:.3f}",
    ]
    lines.append(f"  {'frame':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for frame in FRAMES:
        m = framing["per_frame"][frame]
        lines.append(
            f"  {frame:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
            f"{m['support']:>5}"
        )
    lines.append("  confusion (rows gold, columns predicted): " + " ".join(FRAMES))
    for g in FRAMES:
        lines.append(f"  {g:<12} " + " ".join(f"{framing['confusion'][g][p]:>5}" for p in FRAMES))
    lines += [
        "",
        "attribution (extracted vs gold statements with a speaker):",
        f"  {'':<8} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}",
    ]
    for role, modes in result["attribution"].items():
        e, o = modes["exact"], modes["overlap"]
        lines.append(
            f"  {role:<8} {e['precision']:>8.3f} {e['recall']:>6.3f} {e['f1']:>6.3f}   "
            f"{o['precision']:>9.3f} {o['recall']:>6.3f} {o['f1']:>6.3f}"
        )
    e2e = result["end_to_end"]
    if e2e.get("n"):
        lines += [
            "",
            f"end to end (extracted statements matched to gold, "
            f"{e2e['gold_statements_matched']}): macro-F1 {e2e['macro_f1']:.3f}, "
            f"accuracy {e2e['accuracy']:.3f}",
        ]
    return "\n".join(lines)


# ---------------------------------------------------------------- summarize


@cli.command()
@click.argument(
    "scored", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--by",
    type=click.Choice(["speaker", "article", "outlet", "date"]),
    default="speaker",
    show_default=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def summarize(scored: tuple[Path, ...], by: str, fmt: str) -> None:
    """Frame counts and shares per speaker (or article, outlet, date) in SCORED files."""
    import csv

    from stance.summary import format_table
    from stance.summary import summarize as summarize_rows

    try:
        table = summarize_rows(scored, by=by)
    except StanceError as err:
        raise _fail(err) from err
    rows = table.rows()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(format_table(rows, by))
    if table.skipped:
        click.echo(f"skipped {table.skipped} rows without a frame (error rows)", err=True)


# ---------------------------------------------------------------- report


@cli.command()
@click.argument(
    "scored", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
)
def report(scored: tuple[Path, ...], output: Path) -> None:
    """One self-contained HTML report of SCORED files: charts, tables, highlighted articles."""
    from stance.report import write_report
    from stance.summary import read_scored

    try:
        write_report(list(read_scored(scored)), output)
    except StanceError as err:
        raise _fail(err) from err
    click.echo(f"wrote {output}", err=True)


# ---------------------------------------------------------------- corpus


@cli.group()
def corpus() -> None:
    """Check, count, export and anchor the annotated corpus."""


@corpus.command("check")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-splits", is_flag=True, help="Skip splits.json checks (a staging batch).")
def corpus_check(root: Path, no_splits: bool) -> None:
    """Validate CORPUS: offsets, tiling, labels, splits; one line per problem."""
    from stance.corpus import check_corpus

    problems = check_corpus(root, splits=not no_splits)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    click.echo(f"{root}: ok", err=True)


@corpus.command("stats")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def corpus_stats_command(root: Path, as_json: bool) -> None:
    """Counts by frame, kind, split, speaker, region and hard-case tag."""
    from stance.corpus import corpus_stats, load_corpus, read_regions, read_splits

    try:
        articles = load_corpus(root)
        splits = read_splits(root) if (root / "splits.json").exists() else None
    except StanceError as err:
        raise _fail(err) from err
    stats = corpus_stats(articles, splits, read_regions(root))
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    for key, value in stats.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k}: {v}")
        else:
            click.echo(f"{key}: {value}")


@corpus.command("export")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default=None)
def corpus_export(root: Path, output: Path, split: str | None) -> None:
    """Write CORPUS (or one split) in the gold interchange JSONL format."""
    from stance.corpus import export_records, load_corpus
    from stance.writer import write_jsonl

    try:
        count = write_jsonl(export_records(load_corpus(root, split=split)), output)
    except StanceError as err:
        raise _fail(err) from err
    click.echo(f"wrote {count} articles to {output}", err=True)


@corpus.command("anchor")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
def corpus_anchor(root: Path) -> None:
    """Turn drafts/<id>.jsonl (statement texts) into annotations/<id>.jsonl with offsets."""
    from stance.corpus import anchor_directory

    problems = anchor_directory(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    click.echo(f"{root}: anchored", err=True)


def main() -> None:
    """Console entry point."""
    cli()
