"""The worked examples of codebook section 3, checked on the seed article."""

from __future__ import annotations

import json

import pytest

LAVROV = "Sergei Lavrov"
MAMIN = "Askar Mamin"

# codebook §3: (opening words, kind, speaker, cue text); None cue = carried over / narration
WORKED_EXAMPLES = [
    pytest.param(
        "Russian Foreign Minister: strategic collaboration",
        "indirect",
        LAVROV,
        ":",
        id="01-headline-colon",
    ),
    pytest.param(
        "The Kremlin condemns cases of xenophobia",
        "indirect",
        "The Kremlin",
        "condemns",
        id="02-kremlin-condemns",
    ),
    pytest.param(
        "Sergei Lavrov wrote an article in Rossijskaja Gazeta",
        "indirect",
        LAVROV,
        "extolling",
        id="03-extolling",
    ),
    pytest.param("However, he condemned the", "indirect", LAVROV, "condemned", id="04-pronoun-he"),
    pytest.param(
        "Lavrov claims there are many opponents", "indirect", LAVROV, "claims", id="05-claims"
    ),
    pytest.param(
        "According to Lavrov, this community",
        "indirect",
        LAVROV,
        "According to",
        id="06-according-to",
    ),
    pytest.param(
        "Russia and Kazakhstan have been able to show", "direct", LAVROV, None, id="07-carried-over"
    ),
    pytest.param("Lavrov says to counter these attempts", "indirect", LAVROV, "says", id="08-says"),
    pytest.param("The aim is to stifle", "direct", LAVROV, None, id="09-carried-over"),
    pytest.param(
        "Kazakhstan's authorities have branded",
        "direct",
        MAMIN,
        "in the words of",
        id="10-in-the-words-of",
    ),
    pytest.param(
        "Instead, the traditions of friendship", "direct", MAMIN, None, id="11-carried-over"
    ),
    pytest.param("The common Soviet past is an", "direct", MAMIN, None, id="12-carried-over"),
    pytest.param(
        "Russia and Kazakhstan maintain coordination", "narration", None, None, id="13-narration"
    ),
    pytest.param(
        "In the last eight months, according to data exposed by Lavrov",
        "indirect",
        LAVROV,
        "according to",
        id="14-according-to-data-by",
    ),
    pytest.param(
        "The Kazakhs emphasized the role",
        "indirect",
        "The Kazakhs",
        "emphasized",
        id="15-emphasized",
    ),
    pytest.param(
        "Lavrov pointed to the special significance",
        "indirect",
        LAVROV,
        "pointed to",
        id="16-pointed-to",
    ),
]

CARRIED_OVER = [p.values[0] for p in WORKED_EXAMPLES if p.values[3] is None and p.values[2]]


@pytest.mark.parametrize(("opening", "kind", "speaker", "cue"), WORKED_EXAMPLES)
def test_seed_statement_matches_codebook(
    seed_statements, starting_with, opening, kind, speaker, cue
):
    statement = starting_with(seed_statements, opening)
    found_cue = statement.cue.text if statement.cue else None
    assert (statement.kind, statement.speaker, found_cue) == (kind, speaker, cue)


@pytest.mark.parametrize("opening", CARRIED_OVER)
def test_carried_over_quote_has_no_mention_and_no_cue(seed_statements, starting_with, opening):
    statement = starting_with(seed_statements, opening)
    assert (statement.speaker_mention, statement.cue) == (None, None)


def test_headline_colon_cue_is_the_colon_after_the_title(seed_statements, starting_with):
    statement = starting_with(seed_statements, "Russian Foreign Minister:")
    assert statement.speaker_mention is not None
    assert statement.speaker_mention.text == "Russian Foreign Minister"
    assert statement.cue is not None and statement.cue.start == statement.speaker_mention.end


def test_narration_row_13_has_no_speaker(seed_statements, starting_with):
    statement = starting_with(seed_statements, "Russia and Kazakhstan maintain coordination")
    assert (statement.speaker, statement.speaker_mention, statement.cue) == (None, None, None)


def test_seed_statements_tile_the_text(seed_article, seed_statements):
    text = seed_article.text
    cursor = 0
    for statement in seed_statements:
        assert statement.span.start >= cursor, f"statement {statement.index} overlaps"
        assert not text[cursor : statement.span.start].strip(), (
            f"text before statement {statement.index} is in no statement"
        )
        cursor = statement.span.end
    assert not text[cursor:].strip()


def test_seed_statement_indexes_count_from_zero(seed_statements):
    assert [s.index for s in seed_statements] == list(range(len(seed_statements)))


def test_seed_statement_boundaries_match_the_gold_annotation(repo, seed_statements):
    path = repo / "corpus" / "annotations" / "moscow-nur-sultan-allies.jsonl"
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    extracted = [(s.span.start, s.span.end) for s in seed_statements]
    assert extracted == [(row["start"], row["end"]) for row in gold]
