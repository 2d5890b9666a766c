"""Quotation spans in every common style, across sentences and paragraphs."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.articles import make_article
from stance.quotes import Quotes, quote_spans


def quoted(text: str) -> list[str]:
    """The inner text of every quotation of ``text``."""
    return [text[q.inner_start : q.inner_end] for q in quote_spans(make_article("t", text))]


def outer(text: str) -> list[str]:
    """Every quotation of ``text`` with its marks."""
    return [text[q.start : q.end] for q in quote_spans(make_article("t", text))]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('Lavrov said "we will win" today.', id="straight-double"),
        pytest.param("Lavrov said “we will win” today.", id="curly-double"),
        pytest.param("Lavrov said 'we will win' today.", id="straight-single"),
        pytest.param("Lavrov said ‘we will win’ today.", id="curly-single"),
        pytest.param("Lavrov said «we will win» today.", id="guillemets"),
        pytest.param("Lavrov said ``we will win'' today.", id="latex-backticks"),
        pytest.param("Lavrov said ''we will win'' today.", id="nyt-double-apostrophes"),
    ],
)
def test_quote_style_is_recognised(text):
    assert quoted(text) == ["we will win"]


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        pytest.param('He said "we will win" today.', '"we will win"', id="straight-double"),
        pytest.param("He said «we will win» today.", "«we will win»", id="guillemets"),
        pytest.param("He said ``we will win'' today.", "``we will win''", id="latex-backticks"),
    ],
)
def test_quote_span_includes_its_marks(text, marked):
    assert outer(text) == [marked]


def test_two_quotes_in_one_sentence_are_two_spans():
    text = 'He called it "a success" and "a turning point" for both.'
    assert quoted(text) == ["a success", "a turning point"]


def test_quote_runs_across_sentences():
    text = 'Lavrov said "we will win. We always do. Nobody stops us." Then he left.'
    assert quoted(text) == ["we will win. We always do. Nobody stops us."]


def test_unclosed_paragraph_continues_into_next_paragraph_opening_with_a_quote():
    text = 'Intro here.\n\n"We will win," he said. "We always do.\n\n"And we will again," he added.'
    assert quoted(text) == ["We will win,", 'We always do.\n\n"And we will again,']


def test_unclosed_paragraph_continues_across_several_quoted_paragraphs():
    text = 'He said: "One.\n\n"Two.\n\n"Three." Then he left.'
    assert quoted(text) == ['One.\n\n"Two.\n\n"Three.']


def test_unclosed_quote_ends_with_its_paragraph_when_the_next_does_not_open_one():
    text = 'Intro here.\n\nHe said "we will win.\n\nThe talks ended on Monday.'
    assert quoted(text) == ["we will win."]


def test_unclosed_quote_in_the_last_paragraph_runs_to_its_end():
    assert quoted('He said "we will win and win') == ["we will win and win"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "«",
        "»",
        "``",
        "''",
        '"""',
        "“”“",
        '" "',
        "'''",
        "‘",
        "’",
        "„",
        'He said "',
        '"He said',
        "He said « and » and « never",
        "``''``",
        "a '' b '' c ''",
        '"Open.\n\n"Still open.\n\n"And open.',
        "«Open.\n\n«Still open.",
        "‘Open.\n\n‘Still open.",
        '"\n\n"\n\n"',
    ],
)
def test_odd_or_unclosed_quotes_never_crash(text):
    article = make_article("t", text)
    for quote in quote_spans(article):
        assert 0 <= quote.start <= quote.inner_start <= quote.inner_end <= quote.end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Russia's army will not leave.", id="possessive"),
        pytest.param("They don't agree and it's over.", id="contraction"),
        pytest.param("Russia’s army won’t leave.", id="curly-apostrophes"),
        pytest.param("The Kazakhs' claims were rejected.", id="plural-possessive"),
        pytest.param("It was the '90s crisis and nobody forgot it.", id="decade-elision"),
    ],
)
def test_apostrophes_are_not_quotes(text):
    assert quoted(text) == []


@pytest.mark.parametrize(
    "text",
    ["In the '90s the Kazakhs' economy shrank.", "Since ‘08 the ministers’ talks stalled."],
)
def test_decade_elision_and_plural_possessive_are_not_a_quote(text):
    assert quoted(text) == []


def test_single_quotation_after_an_elision_is_still_found():
    assert quoted("In the '90s he said 'never again' twice.") == ["never again"]


def test_apostrophe_inside_a_single_quoted_quotation_does_not_close_it():
    text = "He said 'Russia's army won't leave' today."
    assert quoted(text) == ["Russia's army won't leave"]


def test_curly_apostrophe_inside_curly_single_quotes_does_not_close_them():
    text = "He said ‘Russia’s army won’t leave’ today."
    assert quoted(text) == ["Russia’s army won’t leave"]


def test_straight_quotes_close_a_curly_opening():
    assert quoted('He said “we will win" today.') == ["we will win"]


MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "``", "''"]


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(MARKS),
            st.sampled_from(["word", " ", "\n\n", ".", "Russia's", "a", "\n"]),
        ),
        max_size=40,
    )
)
def test_any_mix_of_marks_gives_nested_offsets(parts):
    text = "".join(parts)
    quotes = quote_spans(make_article("t", text))
    for quote in quotes:
        assert 0 <= quote.start <= quote.inner_start <= quote.inner_end <= quote.end <= len(text)
    assert all(a.end <= b.start for a, b in pairwise(quotes))


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.one_of(st.sampled_from(MARKS), st.sampled_from(["word", " ", "\n\n", ".", "a"])),
        max_size=30,
    ),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_quote_index_answers_as_a_scan_of_every_quote(parts, a, b):
    text = "".join(parts)
    found = quote_spans(make_article("t", text))
    quotes = Quotes(found)
    start, end = min(a, b), max(a, b)
    assert quotes.inside(a) == any(q.inner_start <= a < q.inner_end for q in found)
    assert quotes.quoted_chars(start, end) == sum(
        max(0, min(q.end, end) - max(q.start, start)) for q in found
    )
    assert quotes.overlapping(start, end) == [q for q in found if q.end > start and q.start < end]
    assert quotes.last_end(a) == max((q.end for q in found if q.end <= a), default=-1)
