"""The annotated corpus: validation, anchoring drafts, export round trip and counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.corpus import (
    anchor_directory,
    anchor_drafts,
    check_corpus,
    corpus_stats,
    export_records,
    load_corpus,
    read_gold,
    read_splits,
)
from stance.errors import CorpusError

TEXTS = {
    "a1": "Talks resume in Astana\n\nLavrov said the talks went well. "
    "Russia and Kazakhstan trade grain and oil every single year.",
    "a2": "Border checks return\n\nThe Kremlin condemns the new border checks at Uralsk. "
    "Lorries wait for three days at the crossing near the river.",
}


def statement_row(
    text: str,
    sentence: str,
    *,
    kind: str = "narration",
    frame: str = "neutral",
    speaker: str | None = None,
    mention: str | None = None,
    cue: str | None = None,
    content: str | None = None,
) -> dict:
    """An annotation row for ``sentence`` of ``text``, offsets computed."""
    start = text.index(sentence)
    end = start + len(sentence)

    def inner(words: str | None) -> dict | None:
        if words is None:
            return None
        at = text.index(words, start)
        return {"start": at, "end": at + len(words), "text": words}

    return {
        "start": start,
        "end": end,
        "text": sentence,
        "kind": kind,
        "speaker": speaker,
        "speaker_mention": inner(mention),
        "cue": inner(cue),
        "content": inner(content),
        "frame": frame,
        "secondary": [],
    }


def good_rows() -> dict[str, list[dict]]:
    a1, a2 = TEXTS["a1"], TEXTS["a2"]
    return {
        "a1": [
            statement_row(a1, "Talks resume in Astana", frame="cooperation"),
            statement_row(
                a1,
                "Lavrov said the talks went well.",
                kind="indirect",
                frame="cooperation",
                speaker="Lavrov",
                mention="Lavrov",
                cue="said",
                content="the talks went well.",
            ),
            statement_row(
                a1,
                "Russia and Kazakhstan trade grain and oil every single year.",
                frame="cooperation",
            ),
        ],
        "a2": [
            statement_row(a2, "Border checks return"),
            statement_row(
                a2,
                "The Kremlin condemns the new border checks at Uralsk.",
                kind="indirect",
                frame="blame",
                speaker="The Kremlin",
                mention="The Kremlin",
                cue="condemns",
            ),
            statement_row(a2, "Lorries wait for three days at the crossing near the river."),
        ],
    }


def write_corpus(
    root: Path,
    rows: dict[str, list[dict]] | None = None,
    texts: dict[str, str] | None = None,
    splits: dict[str, list[str]] | None = None,
) -> Path:
    """A small corpus at ``root``: articles, annotations and splits.json."""
    texts = TEXTS if texts is None else texts
    rows = good_rows() if rows is None else rows
    splits = {"train": ["a1"], "dev": ["a2"], "test": []} if splits is None else splits
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    for article_id, text in texts.items():
        (root / "articles" / f"{article_id}.txt").write_text(text, encoding="utf-8")
    for article_id, article_rows in rows.items():
        (root / "annotations" / f"{article_id}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in article_rows), encoding="utf-8"
        )
    (root / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    return root


def problems_with(tmp_path: Path, **changes) -> list[str]:
    return check_corpus(write_corpus(tmp_path / "corpus", **changes))


# ---------------------------------------------------------------- check_corpus


def test_real_corpus_has_no_problems(repo):
    assert check_corpus(repo / "corpus") == []


def test_small_corpus_has_no_problems(tmp_path):
    assert problems_with(tmp_path) == []


def test_offsets_out_of_range_are_reported(tmp_path):
    rows = good_rows()
    rows["a1"][2]["end"] = len(TEXTS["a1"]) + 10
    [problem] = problems_with(tmp_path, rows=rows)
    assert "a1.jsonl:3" in problem and "outside article" in problem


def test_span_text_that_does_not_match_the_article_is_reported(tmp_path):
    rows = good_rows()
    rows["a1"][1]["text"] = "Lavrov said the talks went badly."
    [problem] = problems_with(tmp_path, rows=rows)
    assert "a1.jsonl:2" in problem and "does not match" in problem


def test_content_text_mismatch_is_reported(tmp_path):
    rows = good_rows()
    rows["a1"][1]["content"]["text"] = "something else"
    [problem] = problems_with(tmp_path, rows=rows)
    assert "content" in problem and "was the article edited?" in problem


def test_text_in_no_statement_is_reported(tmp_path):
    rows = good_rows()
    del rows["a1"][1]
    [problem] = problems_with(tmp_path, rows=rows)
    assert "belongs to no statement" in problem and "Lavrov said" in problem


def test_text_after_the_last_statement_is_reported(tmp_path):
    rows = good_rows()
    del rows["a2"][-1]
    [problem] = problems_with(tmp_path, rows=rows)
    assert "after the last statement" in problem


def test_overlapping_statements_are_reported(tmp_path):
    rows = good_rows()
    text = TEXTS["a1"]
    rows["a1"][2] = statement_row(
        text, "went well. Russia and Kazakhstan trade grain and oil every single year."
    )
    [problem] = problems_with(tmp_path, rows=rows)
    assert "overlaps the previous one" in problem


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("frame", "anger", "frame 'anger' is not one of"),
        ("kind", "quote", "kind 'quote' is not one of"),
        ("secondary", ["neutral"], "secondary"),
    ],
)
def test_invalid_label_is_reported(tmp_path, field, value, message):
    rows = good_rows()
    rows["a2"][2][field] = value
    [problem] = problems_with(tmp_path, rows=rows)
    assert "a2.jsonl:3" in problem and message in problem


def test_narration_with_a_speaker_is_reported(tmp_path):
    rows = good_rows()
    rows["a2"][2]["speaker"] = "The Kremlin"
    [problem] = problems_with(tmp_path, rows=rows)
    assert "narration has no speaker" in problem


def test_attributed_statement_without_speaker_is_reported(tmp_path):
    rows = good_rows()
    rows["a1"][1]["speaker"] = None
    [problem] = problems_with(tmp_path, rows=rows)
    assert "needs a speaker" in problem


def test_cue_outside_its_statement_is_reported(tmp_path):
    rows = good_rows()
    rows["a1"][1]["cue"] = {"start": 0, "end": 5, "text": "Talks"}
    [problem] = problems_with(tmp_path, rows=rows)
    assert "cue lies outside its statement" in problem


def test_malformed_annotation_line_is_reported(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    path = root / "annotations" / "a1.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    [problem] = check_corpus(root)
    assert "a1.jsonl:4" in problem and "malformed JSON" in problem


def test_article_without_annotations_is_reported(tmp_path):
    rows = good_rows()
    del rows["a2"]
    [problem] = problems_with(tmp_path, rows=rows)
    assert "a2.jsonl" in problem and "missing annotations" in problem


def test_article_in_no_split_is_reported(tmp_path):
    [problem] = problems_with(tmp_path, splits={"train": ["a1"], "dev": [], "test": []})
    assert "a2 is in no split" in problem


def test_article_in_two_splits_is_reported(tmp_path):
    [problem] = problems_with(tmp_path, splits={"train": ["a1"], "dev": ["a2"], "test": ["a1"]})
    assert "a1 is in both train and test" in problem


def test_split_naming_a_missing_article_is_reported(tmp_path):
    problems = problems_with(tmp_path, splits={"train": ["a1", "zz"], "dev": ["a2"], "test": []})
    assert problems == [f"{tmp_path / 'corpus' / 'splits.json'}: zz (train) has no article"]


def test_missing_splits_file_is_reported(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    (root / "splits.json").unlink()
    [problem] = check_corpus(root)
    assert "splits.json" in problem and "missing" in problem


def test_splits_are_not_checked_for_a_staging_batch(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    (root / "splits.json").unlink()
    assert check_corpus(root, splits=False) == []


def test_sentence_duplicated_across_splits_is_reported(tmp_path):
    shared = "Russia and Kazakhstan trade grain and oil every single year."
    texts = dict(TEXTS, a2=TEXTS["a2"] + " " + shared)
    rows = good_rows()
    rows["a2"].append(statement_row(texts["a2"], shared, frame="cooperation"))
    problems = problems_with(tmp_path, texts=texts, rows=rows)
    assert len(problems) == 1
    assert "a2.jsonl:4" in problems[0] and "also in train article a1" in problems[0]


def test_sentence_duplicated_within_one_split_is_allowed(tmp_path):
    shared = "Russia and Kazakhstan trade grain and oil every single year."
    texts = dict(TEXTS, a2=TEXTS["a2"] + " " + shared)
    rows = good_rows()
    rows["a2"].append(statement_row(texts["a2"], shared, frame="cooperation"))
    splits = {"train": ["a1", "a2"], "dev": [], "test": []}
    assert problems_with(tmp_path, texts=texts, rows=rows, splits=splits) == []


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    rows = good_rows()
    rows["a1"][0]["frame"] = "anger"
    rows["a2"][0]["kind"] = "quote"
    problems = problems_with(tmp_path, rows=rows, splits={"train": [], "dev": [], "test": []})
    assert len(problems) == 4


# ---------------------------------------------------------------- anchor_drafts


DRAFTS = [
    {"text": "Talks resume in Astana", "kind": "narration", "frame": "cooperation"},
    {
        "text": "Lavrov said the talks went well.",
        "kind": "indirect",
        "speaker": "Lavrov",
        "mention": "Lavrov",
        "cue": "said",
        "content": "the talks went well.",
        "frame": "cooperation",
        "tags": ["easy"],
    },
    {
        "text": "Russia and Kazakhstan trade grain and oil every single year.",
        "kind": "narration",
        "frame": "cooperation",
    },
]


def test_anchor_drafts_fills_offsets():
    rows = anchor_drafts(TEXTS["a1"], DRAFTS)
    text = TEXTS["a1"]
    assert [(r["start"], r["end"]) for r in rows] == [
        (0, 22),
        (24, 56),
        (57, len(text)),
    ]
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    assert rows[1]["speaker_mention"] == {"start": 24, "end": 30, "text": "Lavrov"}
    assert rows[1]["cue"] == {"start": 31, "end": 35, "text": "said"}
    assert rows[1]["content"] == {"start": 36, "end": 56, "text": "the talks went well."}
    assert rows[1]["tags"] == ["easy"]


def test_anchored_rows_form_a_valid_corpus(tmp_path):
    rows = good_rows()
    rows["a1"] = anchor_drafts(TEXTS["a1"], DRAFTS)
    assert problems_with(tmp_path, rows=rows) == []


def test_anchor_drafts_picks_the_nth_mention():
    text = "Lavrov met Lavrov's deputy and Lavrov said so."
    [row] = anchor_drafts(
        text,
        [
            {
                "text": text,
                "kind": "indirect",
                "speaker": "Lavrov",
                "mention": "Lavrov",
                "mention_nth": 3,
                "cue": "said",
                "frame": "neutral",
            }
        ],
    )
    assert row["speaker_mention"]["start"] == text.rindex("Lavrov")


def test_anchor_drafts_reports_an_unfindable_statement():
    drafts = [DRAFTS[0], dict(DRAFTS[1], text="Lavrov said the talks failed.")]
    with pytest.raises(CorpusError, match="not found") as caught:
        anchor_drafts(TEXTS["a1"], drafts, "drafts/a1.jsonl")
    assert caught.value.line == 2 and caught.value.source == "drafts/a1.jsonl"


def test_anchor_drafts_reports_a_statement_out_of_order():
    with pytest.raises(CorpusError, match="found later at 57"):
        anchor_drafts(TEXTS["a1"], [DRAFTS[0], DRAFTS[2]])


def test_anchor_drafts_reports_a_cue_outside_the_statement():
    drafts = [dict(DRAFTS[0], cue="said")]
    with pytest.raises(CorpusError, match="cue 'said' is not inside"):
        anchor_drafts(TEXTS["a1"], drafts)


def test_anchor_directory_writes_annotations(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    (root / "annotations" / "a1.jsonl").unlink()
    (root / "drafts").mkdir()
    (root / "drafts" / "a1.jsonl").write_text(
        "".join(json.dumps(d) + "\n" for d in DRAFTS), encoding="utf-8"
    )
    assert anchor_directory(root) == []
    assert check_corpus(root) == []


# ---------------------------------------------------------------- export and read_gold


def test_export_records_round_trips_through_read_gold(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    articles = load_corpus(root)
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in export_records(articles)), encoding="utf-8"
    )
    again = read_gold(path)
    assert [a.article.id for a in again] == ["a1", "a2"]
    assert [a.article.text for a in again] == [a.article.text for a in articles]
    assert [a.statements for a in again] == [a.statements for a in articles]
    assert [a.framings for a in again] == [a.framings for a in articles]


def test_real_corpus_round_trips_through_read_gold(repo, tmp_path):
    articles = load_corpus(repo / "corpus")
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in export_records(articles)),
        encoding="utf-8",
    )
    again = read_gold(path)
    assert [(a.article.id, a.statements, a.framings) for a in again] == [
        (a.article.id, a.statements, a.framings) for a in articles
    ]


def test_exported_record_has_the_interchange_fields(tmp_path):
    [record, _] = export_records(load_corpus(write_corpus(tmp_path / "corpus")))
    assert set(record) == {"id", "title", "text", "statements"}
    assert record["title"] == "Talks resume in Astana"
    assert set(record["statements"][1]) == {
        "start",
        "end",
        "text",
        "kind",
        "speaker",
        "speaker_mention",
        "cue",
        "content",
        "frame",
        "secondary",
    }


def test_read_gold_rejects_a_record_without_statements(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Hello."}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="statements"):
        read_gold(path)


def test_load_corpus_of_one_split(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    assert [a.article.id for a in load_corpus(root, split="dev")] == ["a2"]


def test_load_corpus_rejects_an_unknown_split(tmp_path):
    with pytest.raises(CorpusError, match="unknown split"):
        load_corpus(write_corpus(tmp_path / "corpus"), split="validation")


def test_read_splits_fills_missing_splits(tmp_path):
    root = write_corpus(tmp_path / "corpus", splits={"train": ["a1", "a2"]})
    assert read_splits(root) == {"train": ["a1", "a2"], "dev": [], "test": []}


# ---------------------------------------------------------------- corpus_stats


@pytest.fixture
def small_stats(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    return corpus_stats(load_corpus(root), read_splits(root), {"a1": "Central Asia"})


def test_stats_count_articles_and_statements(small_stats):
    assert (small_stats["articles"], small_stats["statements"]) == (2, 6)


def test_stats_count_frames_and_kinds(small_stats):
    assert small_stats["frames"] == {"cooperation": 3, "neutral": 2, "blame": 1}
    assert small_stats["kinds"] == {"narration": 4, "indirect": 2}
    assert small_stats["frame_shares"]["cooperation"] == 0.5


def test_stats_count_splits(small_stats):
    assert small_stats["splits"] == {
        "dev": {"articles": 1, "statements": 3, "neutral": 2, "blame": 1},
        "train": {"articles": 1, "statements": 3, "cooperation": 3},
    }


def test_stats_count_speakers_and_regions(small_stats):
    assert small_stats["distinct_speakers"] == 2
    assert small_stats["top_speakers"] == {"Lavrov": 1, "The Kremlin": 1}
    assert small_stats["regions"] == {"Central Asia": 1, "other": 1}


def test_stats_on_the_real_corpus_add_up(repo):
    root = repo / "corpus"
    articles = load_corpus(root)
    stats = corpus_stats(articles, read_splits(root))
    assert stats["articles"] == len(articles) == len(list((root / "articles").glob("*.txt")))
    assert sum(stats["frames"].values()) == sum(stats["kinds"].values()) == stats["statements"]
    assert sum(s["articles"] for s in stats["splits"].values()) == stats["articles"]
    assert "unassigned" not in stats["splits"]
