"""`stance.summary`: frame counts and shares per speaker, outlet or date of scored rows."""

from __future__ import annotations

import json

import pytest

from stance.errors import InputError
from stance.summary import FrameTable, format_table, summarize
from stance.types import FRAMES

ROWS = [
    {
        "article": "a1",
        "index": 0,
        "speaker": "Sergei Lavrov",
        "frame": "blame",
        "outlet": "Daily",
        "date": "2024-05-01T09:30:00",
    },
    {
        "article": "a1",
        "index": 1,
        "speaker": "Sergei Lavrov",
        "frame": "blame",
        "outlet": "Daily",
        "date": "2024-05-01T09:30:00",
    },
    {
        "article": "a1",
        "index": 2,
        "speaker": "Sergei Lavrov",
        "frame": "cooperation",
        "outlet": "Daily",
        "date": "2024-05-01T09:30:00",
    },
    {
        "article": "a2",
        "index": 0,
        "speaker": "critics",
        "frame": "nationalism",
        "outlet": "Post",
        "date": "2024-04-30",
    },
    {
        "article": "a2",
        "index": 1,
        "speaker": None,
        "frame": "neutral",
        "outlet": "Post",
        "date": "2024-05-01",
    },
    {"article": "broken.txt", "error": "broken.txt: text is empty or whitespace only"},
    {"article": "a3", "index": 0, "speaker": "critics"},  # an extract row: no frame
]


def by_name(table: FrameTable) -> dict[str, dict]:
    return {row[table.key]: row for row in table.rows()}


@pytest.fixture
def scored(tmp_path):
    path = tmp_path / "scored.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_counts_frames_per_speaker(scored):
    lavrov = by_name(summarize([scored]))["Sergei Lavrov"]
    assert (lavrov["statements"], lavrov["blame"], lavrov["cooperation"]) == (3, 2, 1)


def test_shares_are_fractions_of_the_speakers_statements(scored):
    lavrov = by_name(summarize([scored]))["Sergei Lavrov"]
    assert lavrov["blame_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert sum(lavrov[f"{f}_share"] for f in FRAMES) == pytest.approx(1.0, abs=1e-2)


def test_total_row_comes_last_and_counts_every_framed_row(scored):
    rows = summarize([scored]).rows()
    assert rows[-1]["speaker"] == "TOTAL"
    assert rows[-1]["statements"] == 5
    assert [rows[-1][f] for f in FRAMES] == [1, 2, 1, 1]


def test_speakers_are_ordered_by_statement_count(scored):
    assert [r["speaker"] for r in summarize([scored]).rows()] == [
        "Sergei Lavrov",
        "(none)",
        "critics",
        "TOTAL",
    ]


def test_row_without_speaker_is_counted_under_none(scored):
    assert by_name(summarize([scored]))["(none)"]["neutral"] == 1


def test_error_rows_and_rows_without_frame_are_skipped_and_counted(scored):
    table = summarize([scored])
    assert table.skipped == 2
    assert "broken.txt" not in by_name(table)


def test_by_outlet_counts_per_outlet(scored):
    outlets = by_name(summarize([scored], by="outlet"))
    assert (outlets["Daily"]["statements"], outlets["Post"]["statements"]) == (3, 2)


def test_by_date_buckets_timestamps_by_day(scored):
    dates = by_name(summarize([scored], by="date"))
    assert dates["2024-05-01"]["statements"] == 4


def test_by_date_orders_days_chronologically(scored):
    assert [r["date"] for r in summarize([scored], by="date").rows()] == [
        "2024-04-30",
        "2024-05-01",
        "TOTAL",
    ]


def test_by_article_counts_per_article(scored):
    assert by_name(summarize([scored], by="article"))["a1"]["statements"] == 3


def test_several_files_are_added_up(scored, tmp_path):
    second = tmp_path / "more.jsonl"
    second.write_text(json.dumps(ROWS[0]) + "\n", encoding="utf-8")
    assert by_name(summarize([scored, second]))["Sergei Lavrov"]["blame"] == 3


def test_unknown_key_is_refused(scored):
    with pytest.raises(ValueError, match="by must be one of"):
        summarize([scored], by="region")


def test_missing_file_raises_an_input_error_naming_it(tmp_path):
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(InputError, match="missing.jsonl"):
        summarize([missing])


def test_malformed_line_is_skipped_and_counted(scored):
    # e.g. the torn last line a killed run leaves behind
    with scored.open("a", encoding="utf-8") as stream:
        stream.write('{"article": "a9", "speaker": "Lavr')
    table = summarize([scored])
    assert table.rows()[-1]["statements"] == 5
    assert table.skipped == 3


def test_format_table_shows_counts_shares_and_total(scored):
    text = format_table(summarize([scored]).rows(), "speaker")
    lines = text.splitlines()
    assert lines[0].startswith("speaker")
    assert lines[-1].startswith("TOTAL")
    assert "66.7%" in next(line for line in lines if line.startswith("Sergei Lavrov"))
