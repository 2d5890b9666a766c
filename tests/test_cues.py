"""The cue lexicon: verbs in every inflection, multiword cues, nouns, offsets, classes."""

from __future__ import annotations

import pytest

from stance.cues import VERBS, cue_class, cue_word, find_cues, lexicon


def cue_texts(text: str) -> list[str]:
    return [text[c.start : c.end] for c in find_cues(text)]


def test_lexicon_has_at_least_150_verb_lemmas():
    assert len(VERBS) >= 150


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("says", "say"),
        ("said", "say"),
        ("saying", "say"),
        ("told", "tell"),
        ("claimed", "claim"),
        ("claims", "claim"),
        ("accuses", "accuse"),
        ("accused", "accuse"),
        ("condemned", "condemn"),
        ("condemns", "condemn"),
        ("extolling", "extol"),
        ("emphasized", "emphasize"),
        ("branded", "brand"),
        ("denies", "deny"),
        ("criticised", "criticise"),
        ("warned", "warn"),
        ("urging", "urge"),
        ("believes", "believe"),
        ("wrote", "write"),
        ("admitted", "admit"),
        ("lambasted", "lambast"),
        ("quipped", "quip"),
        ("testified", "testify"),
        ("hailed", "hail"),
        ("insisted", "insist"),
        ("rejected", "reject"),
    ],
)
def test_inflected_verb_is_in_the_lexicon(form, lemma):
    word = cue_word(form)
    assert word is not None and (word.lemma, word.form) == (lemma, "verb")


@pytest.mark.parametrize(
    ("form", "participle"),
    [
        ("saying", True),
        ("extolling", True),
        ("blaming", True),
        ("said", False),
        ("says", False),
    ],
)
def test_ing_forms_are_participles(form, participle):
    word = cue_word(form)
    assert word is not None and word.participle is participle


@pytest.mark.parametrize(
    ("phrase", "lemma"),
    [
        ("according to", "according_to"),
        ("in the words of", "in_the_words_of"),
        ("told reporters", "tell"),
        ("quoted as saying", "say"),
        ("pointed to", "point_to"),
        ("called for", "call_for"),
        ("pointed out", "point_out"),
    ],
)
def test_multiword_cue_is_found_as_one_cue(phrase, lemma):
    text = f"Officials {phrase} the figures."
    found = [c for c in find_cues(text) if text[c.start : c.end] == phrase]
    assert [c.word.lemma for c in found] == [lemma]


@pytest.mark.parametrize("phrase", ["According to", "In The Words Of", "told  reporters"])
def test_multiword_cue_ignores_case_and_spacing(phrase):
    text = f"{phrase} Lavrov, talks resume."
    assert text[find_cues(text)[0].start : find_cues(text)[0].end] == phrase


def test_words_inside_a_multiword_cue_are_not_cues_of_their_own():
    text = "Lavrov was quoted as saying the talks failed."
    assert cue_texts(text) == ["was quoted as saying"]


def test_possessive_statement_that_is_a_noun_cue():
    text = "Lavrov's statement that the talks failed surprised many."
    [cue] = find_cues(text)
    assert (text[cue.start : cue.end], cue.word.form, cue.word.lemma) == (
        "statement that",
        "noun",
        "statement",
    )


@pytest.mark.parametrize("noun", ["statement", "claim", "warning", "denial", "allegation"])
def test_reporting_noun_before_that_is_a_cue(noun):
    assert cue_word(f"{noun} that") is not None and cue_word(f"{noun} that").form == "noun"


def test_find_cues_gives_offsets_into_the_text():
    text = "Lavrov said on Monday that, according to data, trade grew."
    found = find_cues(text)
    assert [(c.start, c.end, text[c.start : c.end]) for c in found] == [
        (7, 11, "said"),
        (28, 40, "according to"),
    ]


def test_find_cues_honours_start_and_end():
    text = "Lavrov said it. Mamin claimed it. Putin denied it."
    start, end = text.index("Mamin"), text.index("Putin")
    assert [text[c.start : c.end] for c in find_cues(text, start, end)] == ["claimed"]


def test_find_cues_ignores_words_that_only_contain_a_cue():
    assert cue_texts("The essay, a sayings collection, was unsaid and resaid.") == []


def test_find_cues_ignores_hyphenated_words():
    assert cue_texts("A so-called well-said phrase.") == []


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        (None, "none"),
        ("", "none"),
        (":", "colon"),
        (" : ", "colon"),
        ("said", "report"),
        ("Said", "report"),
        ("condemned", "accuse"),
        ("extolling", "praise"),
        ("claims", "distance"),
        ("denied", "deny"),
        ("believes", "think"),
        ("urged", "urge"),
        ("warned", "warn"),
        ("agreed", "agree"),
        ("according to", "source"),
        ("in the words of", "source"),
        ("statement that", "report"),
        ("frobnicated", "other"),
    ],
)
def test_cue_class(text, cls):
    assert cue_class(text) == cls


def test_headline_colon_is_a_cue_word():
    word = cue_word(":")
    assert word is not None and (word.form, word.cls) == ("colon", "colon")


def test_every_lexicon_form_is_lower_case():
    assert all(form == form.lower() for form in lexicon())
