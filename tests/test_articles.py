"""Reading inputs: .txt, directories, .jsonl and .csv, and an error row for every bad input."""

from __future__ import annotations

import json

import pytest

from stance.articles import iter_records, make_article, paragraph_spans, read_article
from stance.errors import InputError
from stance.types import Article

TEXT = "Talks resume\n\nLavrov said the talks went well."


def records(*paths, **options):
    return list(iter_records([str(p) for p in paths], **options))


def only_error(*paths, **options) -> InputError:
    [record] = records(*paths, **options)
    assert isinstance(record, InputError), record
    return record


# ---------------------------------------------------------------- good inputs


def test_txt_file_is_one_article_named_after_the_file(tmp_path):
    path = tmp_path / "talks-resume.txt"
    path.write_text(TEXT, encoding="utf-8")
    [article] = records(path)
    assert isinstance(article, Article)
    assert (article.id, article.text) == ("talks-resume", TEXT)


def test_txt_file_text_is_kept_exactly_as_read(tmp_path):
    path = tmp_path / "a.txt"
    text = "  Title\r\n\r\nBody line.  \n"
    path.write_bytes(text.encode("utf-8"))
    [article] = records(path)
    assert article.text == text


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff".encode() + TEXT.encode())
    assert records(path)[0].text == TEXT


def test_directory_gives_its_txt_jsonl_and_csv_files_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "c1", "text": "Third."}) + "\n", encoding="utf-8"
    )
    (tmp_path / "d.csv").write_text("id,text\nd1,Fourth.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    assert [r.id for r in records(tmp_path)] == ["a", "b", "c1", "d1"]


def test_jsonl_lines_are_articles_with_their_ids(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"id": "one", "text": "First."})
        + "\n\n"
        + json.dumps({"id": "two", "text": "Second."})
        + "\n",
        encoding="utf-8",
    )
    assert [(r.id, r.text) for r in records(path)] == [("one", "First."), ("two", "Second.")]


def test_jsonl_other_fields_are_kept_in_meta(tmp_path):
    path = tmp_path / "batch.jsonl"
    row = {"id": "one", "text": "First.", "outlet": "AsiaNews", "date": "2021-10-20"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [article] = records(path)
    assert article.meta == {"outlet": "AsiaNews", "date": "2021-10-20"}


def test_jsonl_record_without_id_is_named_after_file_and_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"text": "First."}) + "\n", encoding="utf-8")
    assert records(path)[0].id == "batch:1"


def test_csv_rows_are_articles_from_text_and_id_columns(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(
        'id,outlet,text\nx1,AsiaNews,"Talks, resumed."\nx2,TASS,Second.\n', encoding="utf-8"
    )
    found = records(path)
    assert [(r.id, r.text, r.meta) for r in found] == [
        ("x1", "Talks, resumed.", {"outlet": "AsiaNews"}),
        ("x2", "Second.", {"outlet": "TASS"}),
    ]


def test_csv_text_column_can_be_renamed(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("key,body\nk1,Hello there.\n", encoding="utf-8")
    [article] = records(path, text_column="body", id_column="key")
    assert (article.id, article.text) == ("k1", "Hello there.")


def test_explicit_encoding_reads_a_latin1_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Café society.".encode("latin-1"))
    assert records(path, encoding="latin-1")[0].text == "Café society."


def test_read_article_reads_the_seed(seed_article):
    assert seed_article.id == "moscow-nur-sultan-allies"
    assert seed_article.title is not None
    assert seed_article.title.text == "Moscow and Nur-Sultan grudging allies"


# ---------------------------------------------------------------- error rows


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in only_error(path).problem


def test_whitespace_only_file_is_an_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\t\n  ", encoding="utf-8")
    assert "whitespace" in only_error(path).problem


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in only_error(path).problem


def test_latin1_file_error_names_the_byte_offset_and_suggests_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 society.".encode("latin-1"))
    error = only_error(path)
    assert "byte 3" in str(error)
    assert "--encoding" in str(error)
    assert str(path) in str(error)


def test_file_over_max_bytes_is_an_error(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Long text. " * 20, encoding="utf-8")
    error = only_error(path, max_bytes=100)
    assert "100" in error.problem and "limit" in error.problem


def test_missing_file_is_an_error(tmp_path):
    assert "cannot read" in only_error(tmp_path / "nowhere.txt").problem


def test_malformed_jsonl_line_names_file_and_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n{not json\n", encoding="utf-8")
    good, bad = records(path)
    assert isinstance(good, Article) and isinstance(bad, InputError)
    assert (bad.source, bad.line) == (str(path), 2)
    assert str(bad).startswith(f"{path}:2: ")


def test_malformed_jsonl_line_does_not_stop_the_next_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "{bad\n" + json.dumps({"id": "after", "text": "Fine."}) + "\n", encoding="utf-8"
    )
    assert [type(r).__name__ for r in records(path)] == ["InputError", "Article"]


def test_jsonl_record_without_text_is_an_error(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "no body"}) + "\n", encoding="utf-8")
    error = only_error(path)
    assert (error.line, "text" in error.problem) == (1, True)


def test_jsonl_line_that_is_not_an_object_is_an_error(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('["a", "list"]\n', encoding="utf-8")
    assert "not a JSON object" in only_error(path).problem


def test_csv_without_the_text_column_is_an_error(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,body\n1,Hello.\n", encoding="utf-8")
    error = only_error(path)
    assert "'text'" in error.problem and "--text-column" in error.problem


def test_csv_row_with_empty_text_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,text\n1,Hello.\n2,\n", encoding="utf-8")
    good, bad = records(path)
    assert isinstance(good, Article) and isinstance(bad, InputError) and bad.line == 3


def test_bad_inputs_do_not_stop_the_good_ones(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("Fine.", encoding="utf-8")
    kinds = [type(r).__name__ for r in records(tmp_path / "a.txt", tmp_path / "b.txt")]
    assert kinds == ["InputError", "Article"]


def test_read_article_raises_input_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_article(path)


# ---------------------------------------------------------------- paragraphs and titles


def test_paragraphs_are_trimmed_blocks_between_blank_lines():
    text = "Title\n\n  First para.  \n \n\nSecond\npara.\n"
    assert [p.text for p in paragraph_spans(text)] == ["Title", "First para.", "Second\npara."]


def test_first_line_is_the_title_when_more_follows():
    assert make_article("t", TEXT).title.text == "Talks resume"


def test_single_line_text_has_no_title():
    assert make_article("t", "Lavrov said the talks went well.").title is None


def test_line_over_200_characters_is_not_a_title():
    assert make_article("t", "word " * 50 + "\n\nBody.").title is None
