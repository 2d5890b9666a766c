"""The ``stance`` command line: thin click commands over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from stance.errors import StanceError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stance")
def cli() -> None:
    """Who says what in the news, and how they frame it."""


def _write_rows(rows, output: Path | None) -> None:
    """JSON lines to ``output`` (atomically) or stdout."""
    from stance.score import write_jsonl

    write_jsonl(rows, output)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write rows here (atomically) instead of stdout.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text inputs.")
def extract(inputs: tuple[str, ...], output: Path | None, encoding: str) -> None:
    """Split articles into attributed statements, one JSON row per statement.

    INPUTS are .txt files, directories of them, .jsonl files of {"id", "text"}
    records, or - for stdin.

    \b
    Example:
        stance extract news/*.txt -o statements.jsonl
    """
    from stance.score import extract_paths

    errors = 0

    def rows():
        nonlocal errors
        for row in extract_paths(inputs, encoding=encoding):
            if "error" in row:
                errors += 1
                click.echo(f"error: {row['error']}", err=True)
            yield row

    _write_rows(rows(), output)
    if errors:
        sys.exit(1)


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
        raise click.ClickException(str(err)) from err
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

    try:
        records = list(export_records(load_corpus(root, split=split)))
    except StanceError as err:
        raise click.ClickException(str(err)) from err
    with output.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    click.echo(f"wrote {len(records)} articles to {output}", err=True)


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
