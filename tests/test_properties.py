"""Properties of extract_statements that hold for any text at all."""

from __future__ import annotations

import signal
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stance.articles import make_article
from stance.attribution import extract_statements
from stance.sentences import sentence_spans
from stance.types import Article, Statement

SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def check_statements(article: Article, statements: list[Statement]) -> None:
    """Offsets valid, texts match, in order, non-overlapping, every sentence in exactly one."""
    text = article.text
    for statement in statements:
        for what in ("span", "content", "speaker_mention", "cue"):
            span = getattr(statement, what)
            if span is None:
                continue
            assert 0 <= span.start <= span.end <= len(text), (what, span)
            assert text[span.start : span.end] == span.text, (what, span)
        assert statement.span.start < statement.span.end
    assert [s.index for s in statements] == list(range(len(statements)))
    for before, after in pairwise(statements):
        assert before.span.end <= after.span.start, (before.span, after.span)
    for sentence in sentence_spans(article):
        owners = [
            s for s in statements if s.span.start <= sentence.start and sentence.end <= s.span.end
        ]
        assert len(owners) == 1, (sentence, [s.span for s in owners])


def check_text(text: str) -> None:
    article = make_article("t", text)
    check_statements(article, extract_statements(article))


@SETTINGS
@given(st.text(max_size=300))
@example("")
@example("   ")
@example(" \n\t\r\n \f\v ")
@example("\n\n\n")
@example('"')
@example('He said "we will win')
@example('"Open.\n\n"Still open.\n\n"And open.')
@example("« » « « »» ”“ ‘ ’ `` '' ''")
@example("\x00\x01\x02 Lavrov said\x1c\x1d so.\x1e\x1f")
@example("Lavrov said\u2028so.\u2029He left.\x85Fine.")
@example('Title\r\n\r\nLavrov said: "We win.\r\n\r\n"We always do."')
def test_any_unicode_text_gives_valid_statements(text):
    check_text(text)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=300))
def test_any_ascii_text_with_control_characters_gives_valid_statements(text):
    check_text(text)


NEWS_TOKENS = [
    "Lavrov",
    "Sergei",
    "Minister",
    "Foreign",
    "Russian",
    "the",
    "minister",
    "he",
    "He",
    "She",
    "It",
    "They",
    "said",
    "says",
    "told reporters",
    "according to",
    "According to",
    "in the words of",
    "claimed",
    "extolling",
    "pointed to",
    "statement that",
    "'s",
    "Kremlin",
    "The",
    "Kazakhs",
    "critics",
    "sources",
    "talks",
    "went",
    "well",
    "who",
    "a",
    "doctor",
    "Mr.",
    "Gen.",
    "U.S.",
    "Jan.",
    "F.",
    "no.",
    "(AsiaNews)",
    "-",
    "—",
    "by",
]
MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»", "``", "''", ".", ",", ":", ";", "?", "!", "(", ")"]
SEPARATORS = [" ", " ", " ", "", "\n", "\n\n", "  "]

news_like = st.lists(
    st.tuples(st.sampled_from(NEWS_TOKENS + MARKS), st.sampled_from(SEPARATORS)),
    max_size=80,
).map(lambda parts: "".join(token + sep for token, sep in parts))


@SETTINGS
@given(news_like)
@example('Lavrov said "we will win.\n\n"We always do." He left.')
@example(': "" : ": "')
@example("Minister:\n\n: said")
def test_news_like_text_with_unbalanced_quotes_gives_valid_statements(text):
    check_text(text)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                "Russian Foreign Minister: strategic collaboration.",
                "Lavrov said the talks went well.",
                '"We are friends," he said.',
                '"We will win.',
                '"We always do."',
                "According to Lavrov, ties are strong.",
                "Ties are strong, according to sources.",
                'Officials branded it "caveman nationalism," in the words of Mamin.',
                "Russia and Kazakhstan maintain coordination programs.",
                "The Kremlin condemns cases of xenophobia.",
                "by Vladimir Rozanskij",
            ]
        ),
        max_size=12,
    ),
    st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=12, max_size=12),
)
def test_shuffled_seed_like_sentences_give_valid_statements(sentences, separators):
    check_text("".join(s + sep for s, sep in zip(sentences, separators, strict=False)))


def test_hundred_kilobyte_sentence_gives_valid_statements():
    text = "The talks in Astana, which went on for hours and covered trade, " * 1600 + "ended."
    assert len(text) > 100_000
    article = make_article("big", text)
    statements = extract_statements(article)
    assert len(statements) == 1
    check_statements(article, statements)


class _TooSlow(Exception):
    pass


def _raise_too_slow(signum, frame):
    raise _TooSlow


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs signal.setitimer")
def test_hundred_kilobyte_sentence_full_of_cues_finishes_in_seconds():
    # regression guard: a cue's subject was once searched from the sentence start,
    # so this input took minutes (quadratic in the sentence length)
    text = "Lavrov said " * 8400
    assert len(text) > 100_000
    previous = signal.signal(signal.SIGALRM, _raise_too_slow)
    signal.setitimer(signal.ITIMER_REAL, 10.0)
    try:
        statements = extract_statements(text)
    except _TooSlow:
        pytest.fail("extract_statements took over 10 s on a 100 KB sentence full of cues")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(statements) == 1
    check_statements(make_article("text", text), statements)
