"""`stance score`, `stance analyze` and `stance summarize` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from stance.articles import make_article
from stance.attribution import extract_statements
from stance.types import FRAMES
from stance.writer import CSV_COLUMNS

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import (  # noqa: E402
    ARTICLES,
    DATA,
    FRAME_FIELDS,
    TINY_ID,
    json_lines,
    records_of,
)

GOOD = "Lavrov condemned the attacks."  # 29 bytes: under every --max-bytes used below


@pytest.fixture
def score(score_cli, tiny_model_dir):
    """``stance score --model TINY ARGS...``."""

    def run(*args: object, input: str | bytes | None = None):
        return score_cli("score", "--model", tiny_model_dir, *args, input=input)

    return run


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def articles_of(rows: list[dict]) -> list[str]:
    return [record[0]["article"] for record in records_of(rows)]


# ---------------------------------------------------------------- inputs and rows


def test_score_prints_one_row_per_statement_with_frames_and_model(score):
    path = ARTICLES / "border-talks.txt"
    result = score(path)
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    statements = extract_statements(make_article(path.stem, path.read_text(encoding="utf-8")))
    assert len(rows) == len(statements)
    assert all(set(row) >= FRAME_FIELDS for row in rows)
    assert {row["model"] for row in rows} == {TINY_ID}


def test_score_row_frame_is_one_of_the_four_and_scores_sum_to_one(score):
    for row in json_lines(score(ARTICLES / "trade-pact.txt").stdout):
        assert row["frame"] in FRAMES and row["frame"] not in row["secondary"]
        assert sum(row["scores"].values()) == pytest.approx(1.0, abs=1e-3)


def test_score_rows_without_frame_fields_are_the_extract_rows(score_cli, score):
    path = ARTICLES / "language-law.txt"
    scored = json_lines(score(path).stdout)
    extracted = json_lines(score_cli("extract", path).stdout)
    assert [{k: v for k, v in r.items() if k not in FRAME_FIELDS} for r in scored] == extracted


def test_score_keeps_stderr_free_of_data(score):
    result = score(ARTICLES / "trade-pact.txt")
    assert result.stderr == ""


def test_score_directory_scores_every_text_file_in_name_order(score):
    rows = json_lines(score(ARTICLES).stdout)
    assert articles_of(rows) == [p.stem for p in sorted(ARTICLES.glob("*.txt"))]


def test_score_jsonl_names_articles_by_their_id(score):
    rows = json_lines(score(DATA / "records.jsonl").stdout)
    assert articles_of(rows) == ["wire-1", "wire-2"]


def test_score_jsonl_carries_outlet_date_and_url_into_rows(score):
    rows = json_lines(score(DATA / "records.jsonl").stdout)
    first = next(r for r in rows if r["article"] == "wire-1")
    assert (first["outlet"], first["date"], first["url"]) == (
        "Daily Wire Service",
        "2024-05-01T09:30:00",
        "https://example.org/wire-1",
    )


def test_score_format_csv_keeps_outlet_date_and_url(score):
    result = score(DATA / "records.jsonl", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (table[0]["outlet"], table[0]["date"], table[0]["url"]) == (
        "Daily Wire Service",
        "2024-05-01T09:30:00",
        "https://example.org/wire-1",
    )


def test_record_field_named_error_does_not_make_an_error_row(score, tmp_path):
    path = tmp_path / "scraped.jsonl"
    path.write_text(
        '{"id": "s1", "text": "Lavrov condemned the attacks.", "error": null}\n', encoding="utf-8"
    )
    result = score(path)
    assert result.exit_code == 0
    assert "error" not in result.stderr
    [row] = json_lines(result.stdout)
    assert "error" not in row and row["record_error"] is None  # kept, under another name


def test_score_csv_reads_the_named_text_and_id_columns(score):
    result = score(DATA / "records.csv", "--text-column", "body", "--id-column", "doc_id")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert articles_of(rows) == ["csv-1", "csv-2"]
    assert {r["outlet"] for r in rows} == {"Morning Herald"}


def test_score_reads_stdin_as_one_article(score):
    result = score("-", input=GOOD)
    assert result.exit_code == 0, result.output
    [row] = json_lines(result.stdout)
    assert (row["article"], row["speaker"], row["span"]["text"]) == ("stdin", "Lavrov", GOOD)


def test_stdin_over_max_bytes_gives_one_error_row(score):
    result = score("-", "--max-bytes", "10", input=GOOD)
    assert result.exit_code == 1
    [row] = json_lines(result.stdout)
    assert row["article"] == "<stdin>" and "--max-bytes" in row["error"]


def test_score_format_csv_writes_a_header_and_one_line_per_statement(score):
    path = ARTICLES / "trade-pact.txt"
    rows = json_lines(score(path).stdout)
    result = score(path, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert next(csv.reader(io.StringIO(result.stdout))) == CSV_COLUMNS
    assert [(r["article"], r["index"], r["frame"]) for r in table] == [
        (r["article"], str(r["index"]), r["frame"]) for r in rows
    ]
    assert [float(r["score_blame"]) for r in table] == [r["scores"]["blame"] for r in rows]


def test_score_output_file_holds_the_rows_printed_to_stdout(score, tmp_path):
    out = tmp_path / "scored.jsonl"
    printed = score(ARTICLES).stdout
    result = score(ARTICLES, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == printed
    assert not out.with_name("scored.jsonl.partial").exists()


def test_score_latin1_file_reads_with_encoding_latin1(score, tmp_path):
    path = tmp_path / "cafe.txt"
    path.write_bytes("The café owners said business was slow.".encode("latin-1"))
    result = score(path, "--encoding", "latin-1")
    assert result.exit_code == 0, result.output
    assert "café" in json_lines(result.stdout)[0]["span"]["text"]


@pytest.mark.slow  # starts two worker processes
def test_score_jobs_2_gives_the_rows_of_jobs_1(score, articles_dir):
    (articles_dir / "records.jsonl").write_bytes((DATA / "records.jsonl").read_bytes())
    (articles_dir / "empty.txt").write_bytes(b"")
    one = score(articles_dir, "--batch-size", "2")
    two = score(articles_dir, "--batch-size", "2", "--jobs", "2")
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout
    assert len(records_of(json_lines(two.stdout))) == 7


# ---------------------------------------------------------------- bad inputs


BAD_INPUTS = [
    # (file name, bytes, extra options, line of the error or None, words of the message)
    ("empty.txt", b"", [], None, ["empty"]),
    ("blank.txt", b"  \n\t\n   \n", [], None, ["whitespace"]),
    ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", [], None, ["binary"]),
    (
        "cafe.txt",
        "Café owners said business was slow.".encode("latin-1"),
        [],
        None,
        ["byte 3", "--encoding"],
    ),
    ("long.txt", GOOD.encode() * 10, ["--max-bytes", "100"], None, ["100", "--max-bytes"]),
    (
        "lines.jsonl",
        b'{"id": "ok", "text": "Lavrov condemned the attacks."}\n{"id": "x", "tex\n',
        [],
        2,
        ["malformed JSON"],
    ),
    ("notext.jsonl", b'{"id": "x", "body": "Lavrov condemned the attacks."}\n', [], 1, ['"text"']),
    (
        "table.csv",
        b"id,body\n1,Lavrov condemned the attacks.\n",
        [],
        None,
        ["no column 'text'", "--text-column"],
    ),
]
BAD_IDS = [
    "empty",
    "whitespace-only",
    "binary",
    "latin-1",
    "over-max-bytes",
    "malformed-jsonl-line",
    "record-without-text",
    "missing-csv-column",
]


@pytest.mark.parametrize(("name", "data", "options", "line", "words"), BAD_INPUTS, ids=BAD_IDS)
def test_bad_input_gives_one_error_row_exit_1_and_the_batch_goes_on(
    score, tmp_path, good, name, data, options, line, words
):
    bad = tmp_path / name
    bad.write_bytes(data)
    result = score(*options, bad, good)
    assert result.exit_code == 1
    rows = json_lines(result.stdout)
    errors = [row for row in rows if "error" in row]
    where = f"{bad}:{line}" if line else str(bad)
    assert errors == [{"article": where, "error": errors[0]["error"]}]
    assert errors[0]["error"].startswith(f"{where}: ")
    assert all(word in errors[0]["error"] for word in words)
    assert rows[-1]["article"] == "good"  # the batch went on after the bad input


@pytest.mark.parametrize(("name", "data", "options", "line", "words"), BAD_INPUTS, ids=BAD_IDS)
def test_bad_input_is_reported_on_stderr_in_one_line(
    score, tmp_path, good, name, data, options, line, words
):
    bad = tmp_path / name
    bad.write_bytes(data)
    result = score(*options, bad, good)
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert str(bad) in error
    assert re.fullmatch(r"1 of \d inputs could not be scored", result.stderr.splitlines()[-1])


def test_csv_row_error_names_the_line_of_the_row(score, tmp_path):
    path = tmp_path / "wrapped.csv"
    path.write_text('id,text\n1,"Lavrov condemned\nthe attacks."\n2,\n', encoding="utf-8")
    errors = [row for row in json_lines(score(path).stdout) if "error" in row]
    assert [row["article"] for row in errors] == [f"{path}:4"]


def test_output_in_a_missing_directory_is_a_one_line_error(score, tmp_path, good):
    out = tmp_path / "no-such-dir" / "scored.jsonl"
    result = score(good, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "no-such-dir" in result.stderr


def test_missing_model_directory_is_a_one_line_error_with_exit_1(score_cli, tmp_path, good):
    missing = tmp_path / "no-model"
    result = score_cli("score", "--model", missing, good)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert str(missing / "model.skops") in result.stderr


def test_missing_model_directory_with_jobs_2_is_a_one_line_error(score_cli, tmp_path, good):
    result = score_cli("score", "--model", tmp_path / "no-model", "--jobs", "2", good)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


# ---------------------------------------------------------------- the acceptance batch


@pytest.fixture
def mixed_batch(tmp_path) -> Path:
    """Two good articles, an empty, a binary and a latin-1 file, and a JSONL file with a
    good line, a broken line (line 2) and a record without text, in name order."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-trade-pact.txt").write_bytes((ARTICLES / "trade-pact.txt").read_bytes())
    (folder / "b-border-talks.txt").write_bytes((ARTICLES / "border-talks.txt").read_bytes())
    (folder / "c-empty.txt").write_bytes(b"")
    (folder / "d-binary.txt").write_bytes(bytes(range(256)))
    (folder / "e-latin1.txt").write_bytes("Café owners said business was slow.".encode("latin-1"))
    (folder / "f-wire.jsonl").write_text(
        '{"id": "wire-ok", "text": "The president hailed the alliance.", "outlet": "Daily"}\n'
        '{"id": "wire-broken", "text": "The president\n'
        '{"id": "wire-empty", "title": "A record without text"}\n',
        encoding="utf-8",
    )
    return folder


def test_acceptance_batch_every_input_is_rows_or_one_error_and_resume_adds_nothing(
    score, mixed_batch, tmp_path
):
    out = tmp_path / "scored.jsonl"
    result = score(mixed_batch, "-o", out)
    assert result.exit_code == 1
    records = records_of(json_lines(out.read_text(encoding="utf-8")))
    jsonl = mixed_batch / "f-wire.jsonl"
    assert [r[0]["article"] for r in records] == [
        "a-trade-pact",
        "b-border-talks",
        str(mixed_batch / "c-empty.txt"),
        str(mixed_batch / "d-binary.txt"),
        str(mixed_batch / "e-latin1.txt"),
        "wire-ok",
        f"{jsonl}:2",
        f"{jsonl}:3",
    ]
    errors = [r for r in records if "error" in r[0]]
    assert all(len(r) == 1 for r in errors) and len(errors) == 5
    assert all(set(row) >= FRAME_FIELDS for r in records if r not in errors for row in r)
    assert errors[3][0]["error"].startswith(f"{jsonl}:2: ")
    assert "5 of 8 inputs could not be scored" in result.stderr

    before = out.read_bytes()
    again = score(mixed_batch, "-o", out, "--resume")
    assert again.exit_code == 1
    assert out.read_bytes() == before


# ---------------------------------------------------------------- analyze


def test_analyze_prints_a_title_line_and_a_table(score_cli, tiny_model_dir):
    result = score_cli("analyze", ARTICLES / "border-talks.txt", "--model", tiny_model_dir)
    assert result.exit_code == 0, result.output
    title, header, _, *lines = result.stdout.splitlines()
    assert title.startswith("Border talks stall") and TINY_ID in title
    assert header.split()[:4] == ["#", "speaker", "kind", "frame"]
    assert any("Sergei Lavrov" in line for line in lines)


def test_analyze_format_json_prints_the_score_rows(score_cli, score, tiny_model_dir):
    path = ARTICLES / "border-talks.txt"
    result = score_cli("analyze", path, "--model", tiny_model_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout) == json_lines(score(path).stdout)


def test_analyze_unreadable_article_is_a_one_line_error(score_cli, tmp_path, tiny_model_dir):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = score_cli("analyze", empty, "--model", tiny_model_dir)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {empty}: text is empty or whitespace only\n"


# ---------------------------------------------------------------- summarize


@pytest.fixture
def scored_file(score, tmp_path) -> Path:
    """Scored rows of the JSONL and CSV records (outlets) plus one error row."""
    out = tmp_path / "scored.jsonl"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    score(DATA / "records.jsonl", empty, "-o", out)
    rows = json_lines(score(DATA / "records.csv", "--text-column", "body").stdout)
    with out.open("a", encoding="utf-8") as stream:
        stream.writelines(json.dumps(row) + "\n" for row in rows)
    return out


@pytest.mark.parametrize("by", ["speaker", "outlet"])
def test_summarize_json_shares_sum_to_one_and_end_with_total(score_cli, scored_file, by):
    result = score_cli("summarize", scored_file, "--by", by, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[-1][by] == "TOTAL"
    assert rows[-1]["statements"] == sum(r["statements"] for r in rows[:-1])
    for row in rows:
        assert sum(row[f"{f}_share"] for f in FRAMES) == pytest.approx(1.0, abs=0.01)


def test_summarize_by_outlet_names_every_outlet(score_cli, scored_file):
    rows = json.loads(
        score_cli("summarize", scored_file, "--by", "outlet", "--format", "json").stdout
    )
    assert {r["outlet"] for r in rows} == {
        "Daily Wire Service",
        "Evening Post",
        "Morning Herald",
        "TOTAL",
    }


def test_summarize_counts_every_scored_statement(score_cli, scored_file):
    statements = [
        r for r in json_lines(scored_file.read_text(encoding="utf-8")) if "error" not in r
    ]
    rows = json.loads(score_cli("summarize", scored_file, "--format", "json").stdout)
    assert rows[-1]["statements"] == len(statements)


def test_summarize_reports_skipped_error_rows_on_stderr(score_cli, scored_file):
    result = score_cli("summarize", scored_file)
    assert "skipped 1 rows" in result.stderr


@pytest.mark.parametrize("by", ["speaker", "outlet"])
def test_summarize_csv_has_a_header_and_a_total_row(score_cli, scored_file, by):
    result = score_cli("summarize", scored_file, "--by", by, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0])[:2] == [by, "statements"]
    assert table[-1][by] == "TOTAL"
    for row in table:
        assert sum(float(row[f"{f}_share"]) for f in FRAMES) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("by", ["speaker", "outlet"])
def test_summarize_table_lists_each_value_and_total(score_cli, scored_file, by):
    result = score_cli("summarize", scored_file, "--by", by)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(by) and set(lines[1]) == {"-"}
    assert lines[-1].startswith("TOTAL")
    if by == "outlet":
        assert any(line.startswith("Morning Herald") for line in lines)
