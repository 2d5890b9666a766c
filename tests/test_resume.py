"""Interrupted runs and `stance score --resume`: whole articles only, nothing lost or doubled."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest

import stance.score
from stance.writer import RowWriter, completed_records

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import DATA, json_lines, records_of  # noqa: E402

FORMATS = ["jsonl", "csv"]


@pytest.fixture
def score(score_cli, tiny_model_dir):
    """``stance score --model TINY ARGS...``."""

    def run(*args: object):
        return score_cli("score", "--model", tiny_model_dir, *args)

    return run


@pytest.fixture
def inputs(articles_dir) -> Path:
    """Seven records: four articles, two JSONL records and an empty file, in name order."""
    (articles_dir / "records.jsonl").write_bytes((DATA / "records.jsonl").read_bytes())
    (articles_dir / "zz-empty.txt").write_bytes(b"")
    return articles_dir


@pytest.fixture
def uninterrupted(score, inputs, tmp_path):
    """The output of an uninterrupted run, in each format."""

    def run(fmt: str) -> bytes:
        out = tmp_path / f"uninterrupted.{fmt}"
        assert score(inputs, "-o", out, "--format", fmt).exit_code == 1  # the empty file
        return out.read_bytes()

    return run


def interrupt_after(monkeypatch, rows: int, *, how: str = "raise") -> None:
    """Make the record streams `stance score` reads stop where row ``rows`` would come,
    as Ctrl-C (KeyboardInterrupt) or as a SIGTERM sent to this process."""

    def stopping(real, rows_in):
        def stream(*args, **kwargs):
            seen = 0
            for record in real(*args, **kwargs):
                n = rows_in(record)
                if seen + n > rows:
                    if how == "sigterm":
                        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
                        os.kill(os.getpid(), signal.SIGTERM)
                    raise KeyboardInterrupt
                seen += n
                yield record

        return stream

    # JSON lines come encoded per record, CSV as the rows of each record
    monkeypatch.setattr(
        stance.score,
        "score_records_jsonl",
        stopping(stance.score.score_records_jsonl, lambda r: r.text.count("\n")),
    )
    monkeypatch.setattr(stance.score, "score_records", stopping(stance.score.score_records, len))


def lines_of(data: bytes, fmt: str) -> list[dict]:
    """Rows of an output; the CSV header is dropped, so both formats count lines alike."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return json_lines(data.decode("utf-8"))


def csv_records(rows: list[dict]) -> list[list[dict]]:
    typed = [
        {**r, "index": int(r["index"]) if r["index"] else None}
        if not r["error"]
        else {"article": r["article"], "error": r["error"]}
        for r in rows
    ]
    return records_of(typed)


def whole_records(data: bytes, fmt: str) -> list[list[dict]]:
    rows = lines_of(data, fmt)
    return csv_records(rows) if fmt == "csv" else records_of(rows)


# ---------------------------------------------------------------- interrupted runs


# Rows per record of `inputs`: 4, 4, 1, 2, 3, 4 and 1 (the error). A record is written once
# the first row of the next one arrives, so a stream stopped after 6 rows (inside the second
# article) leaves one article, after 12 rows (inside the fifth) four.
@pytest.mark.parametrize(("rows", "kept"), [(1, 0), (6, 1), (12, 4)])
def test_interrupted_run_leaves_only_complete_articles(
    score, inputs, tmp_path, monkeypatch, uninterrupted, rows, kept
):
    full = whole_records(uninterrupted("jsonl"), "jsonl")
    out = tmp_path / "scored.jsonl"
    interrupt_after(monkeypatch, rows)
    result = score(inputs, "-o", out)
    assert result.exit_code == 1 and "Aborted" in result.stderr
    data = out.read_bytes() if out.exists() else b""  # nothing complete: no file at all
    assert data == b"" or data.endswith(b"\n")  # no torn line
    assert whole_records(data, "jsonl") == full[:kept]
    assert not out.with_name("scored.jsonl.partial").exists()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rows", [1, 6, 12])
def test_resume_after_an_interruption_gives_the_uninterrupted_output(
    score, inputs, tmp_path, monkeypatch, uninterrupted, fmt, rows
):
    out = tmp_path / f"scored.{fmt}"
    with monkeypatch.context() as patch:
        interrupt_after(patch, rows)
        score(inputs, "-o", out, "--format", fmt)
    result = score(inputs, "-o", out, "--format", fmt, "--resume")
    assert result.exit_code == 1  # the empty file, again
    assert out.read_bytes() == uninterrupted(fmt)


def test_sigterm_leaves_only_complete_articles_and_resume_finishes(
    score, inputs, tmp_path, monkeypatch, uninterrupted
):
    out = tmp_path / "scored.jsonl"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 6, how="sigterm")
        assert score(inputs, "-o", out).exit_code == 1
    full = uninterrupted("jsonl")
    assert full.startswith(out.read_bytes())
    score(inputs, "-o", out, "--resume")
    assert out.read_bytes() == full


def test_resume_reports_how_many_articles_it_kept(score, inputs, tmp_path, monkeypatch):
    out = tmp_path / "scored.jsonl"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 12)
        score(inputs, "-o", out)
    kept = len(records_of(json_lines(out.read_text(encoding="utf-8"))))
    result = score(inputs, "-o", out, "--resume")
    assert f"resuming: {kept - 1} articles already in {out}" in result.stderr


# ---------------------------------------------------------------- hard kills


@pytest.mark.parametrize("fmt", FORMATS)
def test_torn_last_line_is_cut_back_and_redone(score, inputs, tmp_path, uninterrupted, fmt):
    full = uninterrupted(fmt)
    out = tmp_path / f"scored.{fmt}"
    cut = full.index(b"\n", len(full) // 2) - 10  # ten bytes short of a line's end
    out.write_bytes(full[:cut])
    score(inputs, "-o", out, "--format", fmt, "--resume")
    assert out.read_bytes() == full


@pytest.mark.parametrize("fmt", FORMATS)
def test_partial_file_left_by_a_hard_kill_is_cut_back_and_redone(
    score, inputs, tmp_path, uninterrupted, fmt
):
    full = uninterrupted(fmt)
    out = tmp_path / f"scored.{fmt}"
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(full[: len(full) * 2 // 3])
    score(inputs, "-o", out, "--format", fmt, "--resume")
    assert out.read_bytes() == full
    assert not partial.exists()


def test_partial_file_is_preferred_over_an_older_output(score, inputs, tmp_path, uninterrupted):
    full = uninterrupted("jsonl")
    out = tmp_path / "scored.jsonl"
    out.write_bytes(b'{"article": "from-an-older-run", "index": 0}\n' * 3)
    out.with_name("scored.jsonl.partial").write_bytes(full[: len(full) // 2])
    score(inputs, "-o", out, "--resume")
    assert out.read_bytes() == full


@pytest.mark.parametrize("fmt", FORMATS)
def test_resume_of_a_finished_run_changes_nothing(score, inputs, tmp_path, uninterrupted, fmt):
    full = uninterrupted(fmt)
    out = tmp_path / f"scored.{fmt}"
    out.write_bytes(full)
    score(inputs, "-o", out, "--format", fmt, "--resume")
    assert out.read_bytes() == full


def test_without_resume_an_existing_output_is_replaced(score, inputs, tmp_path, uninterrupted):
    full = uninterrupted("jsonl")
    out = tmp_path / "scored.jsonl"
    out.write_bytes(full + full)
    score(inputs, "-o", out)
    assert out.read_bytes() == full


def test_resume_without_an_output_file_is_a_usage_error(score, inputs):
    result = score(inputs, "--resume")
    assert result.exit_code == 2
    assert "--resume needs -o/--output" in result.stderr


def test_csv_resume_keeps_rows_whose_fields_span_lines(score, tmp_path):
    # a quoted newline followed by "1, 2, ..." once read as extra records (rows were lost)
    folder = tmp_path / "wrapped"
    folder.mkdir()
    for n in range(4):
        (folder / f"w{n}.txt").write_text(
            'The minister said the rates "would rise by\n1, 2, 3 percent" over the years.\n\n'
            "Critics accused the government of betraying the farmers.\n",
            encoding="utf-8",
        )
    full, out = tmp_path / "full.csv", tmp_path / "resumed.csv"
    score(folder, "-o", full, "--format", "csv")
    out.write_bytes(full.read_bytes())
    score(folder, "-o", out, "--format", "csv", "--resume")
    assert out.read_bytes() == full.read_bytes()


def test_resume_keeps_articles_whose_records_have_an_error_field(score, tmp_path):
    path = tmp_path / "scraped.jsonl"
    path.write_text(
        '{"id": "s1", "text": "Lavrov condemned the attacks. He said so.", "error": null}\n'
        '{"id": "s2", "text": "The minister praised the pact."}\n',
        encoding="utf-8",
    )
    full, out = tmp_path / "full.jsonl", tmp_path / "resumed.jsonl"
    score(path, "-o", full)
    out.write_bytes(full.read_bytes())
    score(path, "-o", out, "--resume")
    assert out.read_bytes() == full.read_bytes()


# ---------------------------------------------------------------- the writer itself


ROWS = [
    [{"article": "a", "index": 0, "frame": "blame"}, {"article": "a", "index": 1}],
    [{"article": "b.txt", "error": "b.txt: text is empty or whitespace only"}],
    [{"article": "c", "index": 0}, {"article": "c", "index": 1}, {"article": "c", "index": 2}],
]


def test_writer_cuts_a_torn_record_when_closed_incomplete(tmp_path):
    out = tmp_path / "rows.jsonl"
    writer = RowWriter(out)
    writer.write_record(ROWS[0])
    writer.write_record(ROWS[1])
    writer.stream.write('{"article": "c", "index": 0}\n{"article": "c", "ind')  # killed here
    writer.close(complete=False)
    assert json_lines(out.read_text(encoding="utf-8")) == ROWS[0] + ROWS[1]


def test_writer_writes_to_a_partial_file_until_closed(tmp_path):
    out = tmp_path / "rows.jsonl"
    writer = RowWriter(out)
    writer.write_record(ROWS[0])
    assert out.with_name("rows.jsonl.partial").exists() and not out.exists()
    writer.close()
    assert out.exists() and not out.with_name("rows.jsonl.partial").exists()


def test_completed_records_keeps_all_but_the_last_record_found(tmp_path):
    out = tmp_path / "rows.jsonl"
    lines = [json.dumps(r) + "\n" for record in ROWS for r in record]
    out.write_text("".join(lines), encoding="utf-8")
    keep, records = completed_records(out)
    assert records == 2
    assert keep == len("".join(lines[:3]).encode())


def test_completed_records_of_a_missing_file_is_nothing(tmp_path):
    assert completed_records(tmp_path / "none.jsonl") == (0, 0)


def test_resuming_writer_skips_the_kept_records_and_appends(tmp_path):
    out = tmp_path / "rows.jsonl"
    writer = RowWriter(out)
    for record in ROWS:
        writer.write_record(record)
    writer.close()
    resumed = RowWriter(out, resume=True)
    assert resumed.skip == 2
    resumed.write_record(ROWS[2])
    resumed.close()
    assert json_lines(out.read_text(encoding="utf-8")) == [r for rec in ROWS for r in rec]
