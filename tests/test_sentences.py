"""Sentence spans: headlines, bylines, abbreviations, paragraphs, and the fast Punkt path."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.articles import make_article
from stance.sentences import punkt, reference_punkt, sentence_spans


def sentences(text: str) -> list[str]:
    return [span.text for span in sentence_spans(make_article("t", text))]


def test_headline_without_full_stop_does_not_merge_with_the_body():
    text = "Talks resume in Astana\nLavrov said the talks went well. He left."
    assert sentences(text)[0] == "Talks resume in Astana"


def test_headline_separated_by_blank_line_is_its_own_sentence():
    text = "Talks resume in Astana\n\nLavrov said the talks went well."
    assert sentences(text) == ["Talks resume in Astana", "Lavrov said the talks went well."]


def test_headline_does_not_merge_with_a_lowercase_body_line():
    text = "Talks resume in Astana\nthe minister said the talks went well."
    assert sentences(text) == ["Talks resume in Astana", "the minister said the talks went well."]


def test_byline_is_a_sentence_of_its_own():
    text = "Moscow and Nur-Sultan grudging allies\nby Vladimir Rozanskij\n\nThe talks went well."
    assert sentences(text) == [
        "Moscow and Nur-Sultan grudging allies",
        "by Vladimir Rozanskij",
        "The talks went well.",
    ]


def test_seed_headline_and_byline_are_separate_sentences(seed_article):
    found = [s.text for s in sentence_spans(seed_article)][:2]
    assert found == ["Moscow and Nur-Sultan grudging allies", "by Vladimir Rozanskij"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Mr. Smith arrived on Monday. He left.",
            ["Mr. Smith arrived on Monday.", "He left."],
            id="Mr.",
        ),
        pytest.param(
            "Gen. Ivanov arrived. He said little.",
            ["Gen. Ivanov arrived.", "He said little."],
            id="Gen.",
        ),
        pytest.param(
            "Troops from the U.S. Army arrived. They left.",
            ["Troops from the U.S. Army arrived.", "They left."],
            id="U.S.",
        ),
        pytest.param(
            "The talks began on Jan. 5 in Astana. They ended.",
            ["The talks began on Jan. 5 in Astana.", "They ended."],
            id="Jan.",
        ),
        pytest.param(
            "John F. Kennedy was president. He died in 1963.",
            ["John F. Kennedy was president.", "He died in 1963."],
            id="initial",
        ),
        pytest.param(
            "He spoke at No. 10 Downing Street. Items nos. 3 and 4 were signed.",
            ["He spoke at No. 10 Downing Street.", "Items nos. 3 and 4 were signed."],
            id="No. before a number",
        ),
        pytest.param(
            "Dr. Aliyev met Sen. Cruz at 5 p.m. on Sept. 3. Nothing happened.",
            ["Dr. Aliyev met Sen. Cruz at 5 p.m. on Sept. 3.", "Nothing happened."],
            id="several",
        ),
    ],
)
def test_abbreviations_do_not_end_sentences(text, expected):
    assert sentences(text) == expected


def test_sentence_ending_in_the_word_no_ends():
    assert sentences("Lavrov said no. Then he left.") == ["Lavrov said no.", "Then he left."]


def test_paragraph_break_ends_a_sentence_without_punctuation():
    text = "Intro line here.\n\nThe talks went on without\n\nend in sight today."
    assert sentences(text) == [
        "Intro line here.",
        "The talks went on without",
        "end in sight today.",
    ]


def test_paragraph_break_ends_a_sentence_after_an_abbreviation():
    text = "Intro line here.\n\nHe works in the U.S.\n\nShe works in Astana."
    assert sentences(text)[-2:] == ["He works in the U.S.", "She works in Astana."]


def test_sentence_spans_point_into_the_text():
    text = "Title\n\n  Gen. Ivanov arrived.   He said little.  \n\nMore here."
    article = make_article("t", text)
    for span in sentence_spans(article):
        assert text[span.start : span.end] == span.text == span.text.strip()


def test_hard_wrapped_body_paragraph_keeps_sentences_whole():
    text = (
        "Talks resume\n\nThe minister said on Monday that the talks\n"
        "would resume next week in Astana. He left."
    )
    assert sentences(text)[1:] == [
        "The minister said on Monday that the talks\nwould resume next week in Astana.",
        "He left.",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="sentences._blocks treats a line under 80 characters followed by a "
    "capitalised word as a headline, so a hard wrap before a proper name splits the sentence",
)
def test_hard_wrap_before_a_proper_name_keeps_the_sentence_whole():
    text = (
        "Talks resume\n\nThe talks were led by Foreign Minister\n"
        "Sergei Lavrov and went well. He left."
    )
    assert sentences(text)[1:] == [
        "The talks were led by Foreign Minister\nSergei Lavrov and went well.",
        "He left.",
    ]


# ---------------------------------------------------------------- fast Punkt == Punkt

CORPUS_TEXTS = sorted(
    (Path(__file__).resolve().parent.parent / "corpus" / "articles").glob("*.txt")
)


def spans_of(tokenizer, text: str) -> list[tuple[int, int]]:
    return list(tokenizer.span_tokenize(text))


def test_fast_punkt_matches_reference_on_every_corpus_article():
    assert CORPUS_TEXTS, "no corpus articles found"
    different = [
        path.name
        for path in CORPUS_TEXTS
        if spans_of(punkt(), text := path.read_text(encoding="utf-8"))
        != spans_of(reference_punkt(), text)
    ]
    assert different == []


def test_fast_punkt_matches_reference_on_every_corpus_paragraph():
    different = []
    for path in CORPUS_TEXTS:
        article = make_article(path.stem, path.read_text(encoding="utf-8"))
        for paragraph in article.paragraphs:
            if spans_of(punkt(), paragraph.text) != spans_of(reference_punkt(), paragraph.text):
                different.append((path.name, paragraph.start))
    assert different == []


WORDS = """the Lavrov said It a x talks ended I Astana no US Mr Gen A B etc vs 1963 5 3.5 15,000
    ii Ltd co Nur-Sultan İstanbul straße Кремль ÉTAT 東京 don't (AsiaNews)""".split()  # noqa: SIM905
ABBREVIATIONS = """Mr. Gen. U.S. Jan. F. J. No. no. etc. p.m. U.S.A. Dr. St. e.g. i.e. Inc. a.
    Sept. ex-Gen. Jean-Pierre. pro-U.S. Al-Assad. a-b. x-ray. Nur-Sultan.""".split()  # noqa: SIM905
PUNCTUATION = [".", ",", "?", "!", '"', "'", "...", "?!", '."', ".'", '?"', "!'", "'.", '".']
SEPARATORS = [" ", " ", " ", "", "  ", "\n", "\t"]

token = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(ABBREVIATIONS), st.sampled_from(PUNCTUATION)
)
texts = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(t + sep for t, sep in parts)
)


@settings(deadline=None, max_examples=300)
@given(texts)
def test_fast_punkt_matches_reference_on_generated_text(text):
    assert spans_of(punkt(), text) == spans_of(reference_punkt(), text)


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(WORDS + ABBREVIATIONS),
            st.sampled_from([".", "?", "!", ""]),
            st.sampled_from(['"', "'", ")", ""]),
            st.sampled_from([" ", " ", "  ", "\n"]),
        ),
        max_size=30,
    )
)
def test_fast_punkt_matches_reference_on_word_stop_quote_sequences(parts):
    text = "".join("".join(part) for part in parts)
    assert spans_of(punkt(), text) == spans_of(reference_punkt(), text)
