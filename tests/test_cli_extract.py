"""`stance extract` and `stance corpus check` through click's CliRunner."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from stance.cli import cli

FIELDS = {"article", "index", "kind", "speaker", "speaker_mention", "cue", "span", "content"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def seed_copy(tmp_path, seed_path):
    """The seed article copied as seed.txt into a temporary folder."""
    path = tmp_path / "seed.txt"
    shutil.copyfile(seed_path, path)
    return path


def test_extract_prints_one_json_row_per_statement(runner, seed_copy, seed_statements):
    result = runner.invoke(cli, ["extract", str(seed_copy)])
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert len(rows) == len(seed_statements)
    assert all(set(row) == FIELDS for row in rows)


def test_extract_rows_name_the_article_and_count_from_zero(runner, seed_copy):
    rows = json_lines(runner.invoke(cli, ["extract", str(seed_copy)]).stdout)
    assert {row["article"] for row in rows} == {"seed"}
    assert [row["index"] for row in rows] == list(range(len(rows)))


def test_extract_rows_match_the_library(runner, seed_copy, seed_statements):
    rows = json_lines(runner.invoke(cli, ["extract", str(seed_copy)]).stdout)
    expected = [dict(s.to_row(), article="seed") for s in seed_statements]
    assert rows == expected


def test_extract_row_offsets_point_into_the_article(runner, seed_copy):
    text = seed_copy.read_text(encoding="utf-8")
    for row in json_lines(runner.invoke(cli, ["extract", str(seed_copy)]).stdout):
        for key in ("span", "content", "speaker_mention", "cue"):
            if row[key] is not None:
                assert text[row[key]["start"] : row[key]["end"]] == row[key]["text"]


def test_extract_keeps_stderr_quiet_on_success(runner, seed_copy):
    result = runner.invoke(cli, ["extract", str(seed_copy)])
    assert result.stderr == ""


def test_extract_writes_the_output_file(runner, seed_copy, tmp_path):
    out = tmp_path / "rows.jsonl"
    result = runner.invoke(cli, ["extract", str(seed_copy), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    rows = json_lines(out.read_text(encoding="utf-8"))
    assert rows and all(set(row) == FIELDS for row in rows)


def test_extract_output_file_leaves_no_temporary_files(runner, seed_copy, tmp_path):
    out = tmp_path / "rows.jsonl"
    runner.invoke(cli, ["extract", str(seed_copy), "-o", str(out)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl", "seed.txt"]


def test_extract_jsonl_input_uses_the_record_id(runner, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"id": "kz-001", "text": "Lavrov said the talks went well."})
        + "\n"
        + json.dumps({"id": "kz-002", "text": "The Kremlin condemns the checks."})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0
    assert [row["article"] for row in json_lines(result.stdout)] == ["kz-001", "kz-002"]


def test_extract_reads_stdin(runner):
    result = runner.invoke(cli, ["extract", "-"], input="Lavrov said the talks went well.")
    rows = json_lines(result.stdout)
    assert result.exit_code == 0
    assert [(r["article"], r["speaker"]) for r in rows] == [("stdin", "Lavrov")]


def test_extract_bad_input_gives_an_error_row_and_exit_code_1(runner, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = runner.invoke(cli, ["extract", str(bad)])
    assert result.exit_code == 1
    [row] = json_lines(result.stdout)
    assert row["article"] == str(bad) and "empty" in row["error"]
    assert result.stderr.startswith("error: ") and str(bad) in result.stderr


def test_extract_bad_input_does_not_stop_the_good_ones(runner, tmp_path, seed_copy):
    bad = tmp_path / "binary.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = runner.invoke(cli, ["extract", str(bad), str(seed_copy)])
    rows = json_lines(result.stdout)
    assert result.exit_code == 1
    assert "error" in rows[0] and rows[1]["article"] == "seed"


def test_extract_malformed_jsonl_line_names_file_and_line(runner, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n{bad\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1
    assert json_lines(result.stdout)[-1]["article"] == f"{path}:2"


def test_extract_latin1_input_suggests_the_encoding_option_that_reads_it(runner, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 owners said business was slow.".encode("latin-1"))
    failed = runner.invoke(cli, ["extract", str(path)])
    assert failed.exit_code == 1 and "--encoding" in failed.stderr
    fixed = runner.invoke(cli, ["extract", "--encoding", "latin-1", str(path)])
    assert fixed.exit_code == 0 and json_lines(fixed.stdout)[0]["speaker"]


def test_extract_max_bytes_turns_a_large_input_into_an_error_row(runner, seed_copy):
    result = runner.invoke(cli, ["extract", "--max-bytes", "100", str(seed_copy)])
    assert result.exit_code == 1
    [row] = json_lines(result.stdout)
    assert "--max-bytes" in row["error"]


def test_extract_accepts_the_text_column_option_its_error_suggests(runner, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,body\nkz-1,Lavrov said the talks went well.\n", encoding="utf-8")
    failed = runner.invoke(cli, ["extract", str(path)])
    assert "--text-column" in failed.stderr
    result = runner.invoke(cli, ["extract", "--text-column", "body", str(path)])
    assert result.exit_code == 0
    assert json_lines(result.stdout)[0]["article"] == "kz-1"


def test_extract_needs_an_input(runner):
    result = runner.invoke(cli, ["extract"])
    assert result.exit_code == 2


# ---------------------------------------------------------------- stance corpus check


def test_corpus_check_passes_on_the_real_corpus(runner, repo):
    result = runner.invoke(cli, ["corpus", "check", str(repo / "corpus")])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "ok" in result.stderr


def test_corpus_check_prints_one_line_per_problem_and_exits_1(runner, tmp_path, repo):
    root = tmp_path / "corpus"
    for sub in ("articles", "annotations"):
        (root / sub).mkdir(parents=True)
        for name in ("moscow-nur-sultan-allies", "b7-tuvalu-falepili-visa-ballot"):
            suffix = ".txt" if sub == "articles" else ".jsonl"
            source = repo / "corpus" / sub / f"{name}{suffix}"
            shutil.copyfile(source, root / sub / f"{name}{suffix}")
    rows = (
        (root / "annotations" / "moscow-nur-sultan-allies.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    broken = json.loads(rows[3])
    broken["frame"] = "anger"
    rows[3] = json.dumps(broken)
    (root / "annotations" / "moscow-nur-sultan-allies.jsonl").write_text(
        "\n".join(rows) + "\n", encoding="utf-8"
    )
    (root / "splits.json").write_text(
        json.dumps({"train": ["moscow-nur-sultan-allies"]}), encoding="utf-8"
    )
    result = runner.invoke(cli, ["corpus", "check", str(root)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "moscow-nur-sultan-allies.jsonl:4" in lines[0] and "frame 'anger'" in lines[0]
    assert "b7-tuvalu-falepili-visa-ballot is in no split" in lines[1]
    assert "2 problem(s)" in result.stderr


def test_corpus_check_without_splits_ignores_splits(runner, tmp_path, repo):
    root = tmp_path / "corpus"
    for sub, suffix in (("articles", ".txt"), ("annotations", ".jsonl")):
        (root / sub).mkdir(parents=True)
        name = f"moscow-nur-sultan-allies{suffix}"
        shutil.copyfile(repo / "corpus" / sub / name, root / sub / name)
    result = runner.invoke(cli, ["corpus", "check", "--no-splits", str(root)])
    assert result.exit_code == 0
