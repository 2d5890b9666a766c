"""The scoring library: `stance.score_paths`, `stance.analyze`, `stance.load_model`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import stance
from stance.articles import make_article
from stance.attribution import extract_statements
from stance.score import error_row, statement_row
from stance.types import FRAMES

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import ARTICLES, FRAME_FIELDS, REPO, TINY_ID, records_of  # noqa: E402

TEXT = (
    "Talks in Astana\n\nLavrov condemned the attacks. He said they were inspired from "
    "outside.\n\nThe two ministers praised their new trade pact."
)


@pytest.fixture(scope="module")
def analysis(tiny_model):
    return stance.analyze(TEXT, model=tiny_model)


# ---------------------------------------------------------------- score_paths


def test_score_paths_rows_carry_frame_secondary_scores_and_model(tiny_model):
    rows = list(stance.score_paths([ARTICLES / "trade-pact.txt"], model=tiny_model))
    assert rows and all(set(row) >= FRAME_FIELDS for row in rows)
    assert {row["model"] for row in rows} == {TINY_ID}
    assert all(set(row["scores"]) == set(FRAMES) for row in rows)


def test_score_paths_rows_are_the_statement_rows_plus_frames(tiny_model):
    path = ARTICLES / "border-talks.txt"
    rows = list(stance.score_paths([path], model=tiny_model))
    statements = extract_statements(make_article(path.stem, path.read_text(encoding="utf-8")))
    assert [{k: v for k, v in r.items() if k not in FRAME_FIELDS} for r in rows] == [
        s.to_row() for s in statements
    ]


def test_score_paths_keeps_input_order(tiny_model):
    paths = sorted(ARTICLES.glob("*.txt"), reverse=True)
    rows = list(stance.score_paths(paths, model=tiny_model, batch_size=3))
    assert [record[0]["article"] for record in records_of(rows)] == [p.stem for p in paths]


def test_score_paths_gives_one_error_row_for_a_bad_input_and_goes_on(tiny_model, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    rows = list(stance.score_paths([empty, ARTICLES / "trade-pact.txt"], model=tiny_model))
    assert rows[0] == {"article": str(empty), "error": f"{empty}: text is empty or whitespace only"}
    assert {row["article"] for row in rows[1:]} == {"trade-pact"}


def test_score_paths_skip_drops_the_first_records(tiny_model):
    paths = sorted(ARTICLES.glob("*.txt"))
    rows = list(stance.score_paths(paths, model=tiny_model, skip=2))
    assert {row["article"] for row in rows} == {p.stem for p in paths[2:]}


def test_score_paths_accepts_a_model_directory(tiny_model, tiny_model_dir):
    path = ARTICLES / "summit-treaty.txt"
    from_dir = list(stance.score_paths([path], model=tiny_model_dir))
    assert from_dir == list(stance.score_paths([path], model=tiny_model))


def test_error_row_of_a_jsonl_line_names_file_and_line():
    from stance.errors import InputError

    row = error_row(InputError("batch.jsonl", "malformed JSON", line=2))
    assert row == {"article": "batch.jsonl:2", "error": "batch.jsonl:2: malformed JSON"}


def test_statement_row_keeps_its_own_fields_over_record_fields(analysis):
    row = statement_row(
        analysis.statements[0],
        analysis.predictions[0],
        "m",
        {"article": "other", "outlet": "Daily"},
    )
    assert (row["article"], row["outlet"]) == ("text", "Daily")


# ---------------------------------------------------------------- one article


def test_analyze_gives_one_prediction_per_statement(analysis):
    assert len(analysis.statements) == len(analysis.predictions) >= 3


def test_analyze_to_rows_match_score_paths(analysis, tiny_model, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert analysis.to_rows() == list(stance.score_paths([path], model=tiny_model))


def test_analyze_accepts_an_article(tiny_model, analysis):
    article = make_article("text", TEXT)
    assert stance.analyze(article, model=tiny_model).to_rows() == analysis.to_rows()


def test_analyze_to_dataframe_has_one_row_per_statement(analysis):
    pytest.importorskip("pandas")
    frame = analysis.to_dataframe()
    assert len(frame) == len(analysis.statements)
    assert {"article", "speaker", "frame", "model", "span.text", "scores.blame"} <= set(frame)
    assert list(frame["frame"]) == [p.primary for p in analysis.predictions]


def test_analyze_table_shows_speaker_frame_and_probability(analysis):
    lines = analysis.table().splitlines()
    assert lines[0].split()[:4] == ["#", "speaker", "kind", "frame"]
    assert len(lines) == 2 + len(analysis.statements)
    lavrov = next(line for line in lines if "Lavrov" in line)
    prediction = analysis.predictions[[s.speaker for s in analysis.statements].index("Lavrov")]
    assert f"{prediction.primary} {prediction.scores[prediction.primary]:.2f}" in lavrov


def test_analyze_table_cuts_long_content_to_width(analysis):
    header, _, *lines = analysis.table(width=20).splitlines()
    column = header.index("content")
    assert any(line.endswith("…") for line in lines)
    assert all(len(line[column:]) <= 20 for line in lines)


# ---------------------------------------------------------------- the bundled model


def test_load_model_without_arguments_loads_the_bundled_model(default_model):
    meta = json.loads((REPO / "models" / "frames-default" / "meta.json").read_text("utf-8"))
    assert default_model.model_id == meta["id"]
    assert sorted(default_model.labels) == sorted(FRAMES)


def test_analyze_without_a_model_uses_the_bundled_model(default_model, monkeypatch):
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    result = stance.analyze("Critics accused the government of betraying the farmers.")
    assert result.model_id == default_model.model_id
    assert len(result.predictions) == len(result.statements) == 1


def test_jsonl_records_are_the_rows_of_score_records_encoded(tiny_model, tmp_path):
    from stance.articles import iter_records
    from stance.score import score_records, score_records_jsonl

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    paths = [empty, *sorted(ARTICLES.glob("*.txt"))]
    encoded = list(score_records_jsonl(iter_records(paths), tiny_model, batch_size=2))
    rows = list(score_records(iter_records(paths), tiny_model, batch_size=2))
    assert [json_lines_of(e.text) for e in encoded] == rows
    assert encoded[0].error == f"{empty}: text is empty or whitespace only"
    assert all(e.error is None for e in encoded[1:])


def json_lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]
