"""The codebook §1 attribution rules, one short text per rule, through extract_statements."""

from __future__ import annotations

import pytest

from stance.articles import make_article
from stance.attribution import extract_statements
from stance.types import Statement


def only(text: str) -> Statement:
    """The single statement of a one-sentence text."""
    [statement] = extract_statements(text)
    return statement


def last(text: str) -> Statement:
    return extract_statements(text)[-1]


def summary(statement: Statement) -> tuple[object, ...]:
    return (
        statement.kind,
        statement.speaker,
        statement.speaker_mention.text if statement.speaker_mention else None,
        statement.cue.text if statement.cue else None,
    )


# ---------------------------------------------------------------- X said / said X


def test_subject_before_cue_is_the_speaker():
    assert summary(only("Lavrov said the talks went well.")) == (
        "indirect",
        "Lavrov",
        "Lavrov",
        "said",
    )


def test_subject_before_cue_content_is_what_follows_the_cue():
    assert only("Lavrov said the talks went well.").content.text == "the talks went well."


def test_inverted_cue_after_quote_attributes_to_following_noun_phrase():
    statement = only('"The talks went well," said the minister.')
    assert summary(statement) == ("direct", "The minister", "the minister", "said")


def test_inverted_cue_content_is_the_quotation():
    assert only('"The talks went well," said Sergei Lavrov.').content.text == (
        '"The talks went well,"'
    )


def test_name_after_quote_and_cue_is_the_speaker():
    assert summary(only('"The talks went well," Lavrov said.')) == (
        "direct",
        "Lavrov",
        "Lavrov",
        "said",
    )


def test_trailing_says_x_attributes_the_preceding_clause():
    statement = only("The talks went well, says Lavrov.")
    assert summary(statement) == ("indirect", "Lavrov", "Lavrov", "says")
    assert statement.content.text == "The talks went well"


def test_multiword_cue_told_reporters():
    assert summary(only("Lavrov told reporters the talks failed.")) == (
        "indirect",
        "Lavrov",
        "Lavrov",
        "told reporters",
    )


# ---------------------------------------------------------------- appositions and titles


def test_apposition_after_name_keeps_the_name():
    statement = only("Hugh Hill, a doctor at the clinic, said the patients were afraid.")
    assert (statement.speaker, statement.speaker_mention.text) == ("Hugh Hill", "Hugh Hill")


def test_relative_clause_after_name_keeps_the_name():
    statement = only("Lavrov, who arrived on Monday, said the talks went well.")
    assert statement.speaker == "Lavrov"


def test_name_inside_apposition_after_description_is_the_speaker():
    statement = only("A lawyer for the outlets, David Schulz, said the ruling was wrong.")
    assert statement.speaker == "David Schulz"


def test_title_is_split_from_the_name():
    statement = only("Kazakh Prime Minister Askar Mamin said the ties were strong.")
    assert statement.speaker == "Askar Mamin"
    assert statement.speaker_mention.text == "Kazakh Prime Minister Askar Mamin"


def test_title_with_surname_only_gives_the_surname():
    assert only("President Putin said the talks went well.").speaker == "Putin"


# ---------------------------------------------------------------- institutions and groups


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param("The Kremlin said the talks went well.", "The Kremlin", id="the-kremlin"),
        pytest.param(
            "Kazakhstan's authorities said the talks went well.",
            "Kazakhstan's authorities",
            id="possessive-group",
        ),
        pytest.param("Critics said the law was unfair.", "Critics", id="critics"),
        pytest.param(
            "Western critics said the law was unfair.", "Western critics", id="adjective-critics"
        ),
        pytest.param("Sources said the deal was close.", "Sources", id="sources"),
        pytest.param(
            "The Kazakhs emphasized the role of the leader.", "The Kazakhs", id="the-kazakhs"
        ),
    ],
)
def test_institution_or_group_is_its_noun_phrase_as_written(text, speaker):
    statement = only(text)
    assert (statement.kind, statement.speaker) == ("indirect", speaker)


@pytest.mark.parametrize(
    "text",
    [
        "Critics of the law said it was unfair.",
        "Opponents of the plan said it would fail.",
    ],
)
def test_source_noun_with_a_prepositional_phrase_is_the_speaker(text):
    assert only(text).kind == "indirect"


def test_sources_close_to_an_institution_are_not_the_institution():
    statement = only("Sources close to the Kremlin said the deal was close.")
    assert statement.speaker != "The Kremlin"


# ---------------------------------------------------------------- pronouns and descriptions


def test_pronoun_resolves_to_the_previous_person():
    statement = last(
        "Russian Foreign Minister Sergei Lavrov arrived in Astana on Monday. "
        "He said the talks went well."
    )
    assert (statement.speaker, statement.speaker_mention.text) == ("Sergei Lavrov", "He")


def test_pronoun_resolves_to_the_previous_speaker():
    statement = last("Sergei Lavrov said the talks went well. He added that the ties were strong.")
    assert statement.speaker == "Sergei Lavrov"


def test_she_resolves_to_the_previous_person():
    assert last("Angela Merkel met Lavrov. She said the talks went well.").speaker == (
        "Angela Merkel"
    )


def test_it_resolves_to_the_previous_institution():
    assert (
        last("The Kremlin said the talks went well. It added that ties were strong.").speaker
        == "The Kremlin"
    )


def test_they_resolves_to_the_previous_group():
    assert (
        last("Sources said the deal was close. They added it would be signed.").speaker == "Sources"
    )


def test_pronoun_after_a_surname_only_speaker_resolves_to_it():
    statement = last("Lavrov said the talks went well. He added that the ties were strong.")
    assert statement.speaker == "Lavrov"


def test_possessive_pronoun_before_noun_cue_resolves_to_the_previous_person():
    statement = last(
        "Sergei Lavrov arrived on Monday. His statement that the talks failed surprised many."
    )
    assert statement.speaker == "Sergei Lavrov"


def test_description_resolves_to_the_person_introduced_with_that_title():
    statement = last(
        "Russian Foreign Minister Sergei Lavrov arrived on Monday. "
        "The minister said the talks went well."
    )
    assert (statement.speaker, statement.speaker_mention.text) == (
        "Sergei Lavrov",
        "The minister",
    )


def test_description_after_a_quote_resolves_to_the_titled_person():
    statement = last(
        "Russian Foreign Minister Sergei Lavrov arrived on Monday. "
        '"The talks went well," said the minister.'
    )
    assert statement.speaker == "Sergei Lavrov"


def test_description_resolves_across_an_intervening_institution():
    statement = last(
        "Foreign Minister Sergei Lavrov said the talks went well. The Kremlin "
        "agreed. The minister added that ties were strong."
    )
    assert statement.speaker == "Sergei Lavrov"


# ---------------------------------------------------------------- canonical names


def test_surname_canonicalises_to_the_earlier_full_name():
    statement = last("Sergei Lavrov arrived on Monday. Later, Lavrov said the talks went well.")
    assert (statement.speaker, statement.speaker_mention.text) == ("Sergei Lavrov", "Lavrov")


def test_surname_canonicalises_to_a_later_full_name():
    statement = extract_statements("Lavrov said the talks went well. Sergei Lavrov then left.")[0]
    assert statement.speaker == "Sergei Lavrov"


def test_surname_alone_is_kept_as_written():
    assert only("Lavrov said the talks went well.").speaker == "Lavrov"


# ---------------------------------------------------------------- according to, in the words of


def test_according_to_attributes_to_the_following_name():
    statement = only("According to Lavrov, the talks went well.")
    assert summary(statement) == ("indirect", "Lavrov", "Lavrov", "According to")
    assert statement.content.text == "the talks went well."


def test_according_to_after_the_content_attributes_to_the_following_name():
    statement = only("The talks went well, according to Lavrov.")
    assert summary(statement) == ("indirect", "Lavrov", "Lavrov", "according to")
    assert statement.content.text == "The talks went well"


def test_according_to_data_by_x_attributes_to_the_agent():
    statement = only("Trade grew by a third, according to data exposed by Lavrov.")
    assert (statement.speaker, statement.cue.text) == ("Lavrov", "according to")


def test_in_the_words_of_attributes_to_the_person():
    statement = only("In the words of Askar Mamin, the ties are strong.")
    assert summary(statement) == ("indirect", "Askar Mamin", "Askar Mamin", "In the words of")


def test_in_the_words_of_a_person_beats_the_institution_that_speaks():
    # codebook §1 rule 4
    statement = only(
        'Kazakhstan\'s authorities have branded it "caveman nationalism," in the '
        "words of Kazakh Prime Minister Askar Mamin."
    )
    assert summary(statement) == (
        "direct",
        "Askar Mamin",
        "Kazakh Prime Minister Askar Mamin",
        "in the words of",
    )


def test_in_the_words_of_without_a_quote_is_indirect():
    statement = only(
        "The ministry has condemned the attacks, in the words of Prime Minister Askar Mamin."
    )
    assert (statement.kind, statement.speaker) == ("indirect", "Askar Mamin")


def test_possessive_statement_that_attributes_to_the_owner():
    statement = only("Lavrov's statement that the talks failed surprised many.")
    assert summary(statement) == ("indirect", "Lavrov", "Lavrov", "statement that")


# ---------------------------------------------------------------- carried-over quotes (rule 2)


def test_quote_without_cue_after_a_speaker_continues_that_speaker():
    statement = last('Lavrov said the talks went well. "We are friends forever and always."')
    assert summary(statement) == ("direct", "Lavrov", None, None)


def test_carried_over_quote_content_is_the_quotation():
    statement = last(
        'Lavrov said the talks went well. It was, he said, "a lasting bond." '
        '"We are friends forever."'
    )
    assert statement.content.text == '"We are friends forever."'


def test_quote_in_the_next_paragraph_continues_the_speaker():
    statement = last('Lavrov said the talks went well.\n\n"We are friends forever and always."')
    assert summary(statement) == ("direct", "Lavrov", None, None)


def test_quote_after_narration_is_not_carried_over():
    statement = last('Talks resumed on Monday. "We are friends forever."')
    assert (statement.kind, statement.speaker) == ("narration", None)


def test_quote_is_carried_over_only_right_after_the_speaker():
    statement = last(
        'Lavrov said the talks went well. The talks ended on Monday. "We are friends forever."'
    )
    assert (statement.kind, statement.speaker) == ("narration", None)


# ---------------------------------------------------------------- headline colon (rule 5)


def test_headline_colon_attributes_to_the_titled_person_in_the_body():
    statements = extract_statements(
        "Russian Foreign Minister: strategic collaboration between the two countries.\n\n"
        "Russian Foreign Minister Sergei Lavrov arrived in Astana."
    )
    assert summary(statements[0]) == (
        "indirect",
        "Sergei Lavrov",
        "Russian Foreign Minister",
        ":",
    )
    assert statements[0].content.text == "strategic collaboration between the two countries."


def test_headline_colon_with_a_full_name_attributes_to_it():
    statements = extract_statements("Sergei Lavrov: the talks went well\n\nThe talks ended.")
    assert summary(statements[0]) == ("indirect", "Sergei Lavrov", "Sergei Lavrov", ":")


def test_headline_colon_with_a_surname_named_in_full_in_the_body_canonicalises():
    statements = extract_statements("Lavrov: the talks went well\n\nSergei Lavrov arrived.")
    assert summary(statements[0]) == ("indirect", "Sergei Lavrov", "Lavrov", ":")


def test_colon_after_a_non_source_is_not_a_headline_cue():
    statements = extract_statements("Breaking news: the talks went well\n\nThe talks ended.")
    assert statements[0].kind == "narration"


# ---------------------------------------------------------------- multi-sentence quotes


def test_multi_sentence_quote_is_one_statement():
    statements = extract_statements(
        'Lavrov said: "We will win. We always win. Nobody can stop us." Then he left.'
    )
    assert [s.span.text for s in statements] == [
        'Lavrov said: "We will win. We always win. Nobody can stop us."',
        "Then he left.",
    ]
    assert summary(statements[0]) == ("direct", "Lavrov", "Lavrov", "said")


def test_quote_across_paragraphs_is_one_statement():
    text = 'Sergei Lavrov arrived.\n\nLavrov said: "We will win.\n\n"We always win." Then he left.'
    statements = extract_statements(text)
    assert statements[1].span.text == 'Lavrov said: "We will win.\n\n"We always win."'
    assert statements[1].speaker == "Sergei Lavrov"


def test_short_attribution_after_a_closed_quote_joins_its_statement():
    statements = extract_statements('"Are you kidding?" Lavrov said. The talks ended.')
    assert statements[0].span.text == '"Are you kidding?" Lavrov said.'
    assert statements[0].speaker == "Lavrov"


# ---------------------------------------------------------------- narration


def test_sentence_without_cue_or_quote_is_narration():
    statement = only("Russia and Kazakhstan maintain coordination programs in economic policy.")
    assert summary(statement) == ("narration", None, None, None)


def test_narration_content_is_its_whole_span():
    statement = only("Russia and Kazakhstan maintain coordination programs in economic policy.")
    assert statement.content == statement.span


def test_cue_inside_a_quotation_does_not_attribute():
    statement = last('Talks resumed. The banner read "Lavrov said nothing."')
    assert statement.kind == "narration"


def test_capitalised_cue_word_inside_a_name_is_not_a_cue():
    statement = only("The Steve Harvey Morning Show Says Hello aired on Monday.")
    assert statement.kind == "narration"


# ---------------------------------------------------------------- the statement objects


def test_statement_article_id_comes_from_the_article():
    article = make_article("my-id", "Lavrov said the talks went well.")
    assert {s.article_id for s in extract_statements(article)} == {"my-id"}


def test_string_input_gets_the_article_id_text():
    assert only("Lavrov said the talks went well.").article_id == "text"


def test_mention_cue_and_content_lie_inside_the_statement():
    text = (
        'Russian Foreign Minister Sergei Lavrov arrived. "The talks went well," said the '
        "minister. According to Lavrov, ties are strong."
    )
    for statement in extract_statements(text):
        for inner in (statement.speaker_mention, statement.cue, statement.content):
            if inner is not None:
                assert statement.span.start <= inner.start <= inner.end <= statement.span.end


def test_empty_text_has_no_statements():
    assert extract_statements("") == []


def test_to_row_has_the_extract_fields():
    row = only("Lavrov said the talks went well.").to_row()
    assert row == {
        "article": "text",
        "index": 0,
        "kind": "indirect",
        "speaker": "Lavrov",
        "speaker_mention": {"start": 0, "end": 6, "text": "Lavrov"},
        "cue": {"start": 7, "end": 11, "text": "said"},
        "span": {"start": 0, "end": 32, "text": "Lavrov said the talks went well."},
        "content": {"start": 12, "end": 32, "text": "the talks went well."},
    }


def test_parenthetical_attribution_content_keeps_the_rest_of_the_sentence():
    statement = only("The talks, Lavrov said, went well.")
    assert statement.speaker == "Lavrov"
    assert "went well" in statement.content.text
