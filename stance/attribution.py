"""The codebook's attribution rules: sentences grouped into attributed statements.

Every sentence ends up in exactly one statement. A statement is one sentence, or
several when a quotation runs across them (or a ``reports:`` line introduces the
quotation that follows). Its kind, speaker, mention, cue and content come from the
rules of codebook §1, each in a named helper below.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from stance.articles import make_article
from stance.cues import CueMatch, CueWord, find_cues
from stance.quotes import Quotes, quote_spans
from stance.sentences import sentence_spans
from stance.speakers import (
    PRONOUNS,
    EntityIndex,
    canonical_speaker,
    main_subject,
    np_after,
    subject_before,
    tokens,
)
from stance.types import Article, Kind, Span, Statement

DIRECT_SHARE = 0.5  # codebook §1: "wholly or mainly inside quotation marks"
_CLAUSE_START = re.compile(
    r"\s*,?\s*(?:that\b|[\"“‘«:]|(?:he|she|they|it|we|i|there|this|these|those)\b)", re.IGNORECASE
)
_COLON_HEAD = re.compile(r"([A-Z][^:\n]{1,60}?):\s+\S")
_LEADING_JUNK = " \t\n,:;-—–"


class _Cues:
    """All cues of one article, found once, looked up by range."""

    def __init__(self, text: str) -> None:
        self.all = find_cues(text)
        self.starts = [c.start for c in self.all]

    def between(self, start: int, end: int) -> list[CueMatch]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return [c for c in self.all[lo:hi] if c.end <= end]


class _Source(NamedTuple):
    """Who speaks in a unit: cue, mention and content offsets (one per unit: a tuple)."""

    cue: CueMatch | None
    mention: tuple[int, int] | None
    content: tuple[int, int]
    cue_span: tuple[int, int] | None = None


def _units(sentences: list[Span], quotes: Quotes, text: str, cues: _Cues) -> list[tuple[int, int]]:
    """Sentence index ranges [i, j) that form one statement."""
    units: list[tuple[int, int]] = []
    q = 0
    i = 0
    while i < len(sentences):
        j = i + 1
        end = sentences[i].end
        while True:
            while q < len(quotes) and quotes[q].end <= sentences[i].start:
                q += 1
            k = q
            extended = False
            while k < len(quotes) and quotes[k].start < end:
                if quotes[k].end > end:
                    while j < len(sentences) and sentences[j].start < quotes[k].end:
                        j += 1
                    end = sentences[j - 1].end
                    extended = True
                k += 1
            # "X reports:" introducing a quotation in the next sentence or paragraph
            if (
                not extended
                and j < len(sentences)
                and _ends_with(text, end, ":")
                and text[sentences[j].start : sentences[j].start + 1] in "\"“«‘'`"
            ):
                j += 1
                end = sentences[j - 1].end
                extended = True
            if not extended and j < len(sentences) and _is_tail(text, sentences[j], end, cues):
                j += 1
                end = sentences[j - 1].end
                extended = True
            if not extended:
                break
        units.append((i, j))
        i = j
    return units


_CLOSING = ('"', "”", "''", "»", "’")
_CIRCUMSTANCE = {
    "in",
    "at",
    "on",
    "during",
    "after",
    "before",
    "while",
    "to",
    "from",
    "of",
    "when",
    "as",
    "repeating",
    "adding",
    "referring",
    "speaking",
    "according",
}


def _ends_with(text: str, end: int, suffix: str | tuple[str, ...]) -> bool:
    """``text[:end].rstrip().endswith(suffix)`` without copying the text before ``end``."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text.endswith(suffix, 0, end)


def _is_tail(text: str, sentence: Span, previous_end: int, cues: _Cues) -> bool:
    """'"Are you kidding?" Clinton said.': a short attribution after a closed quote."""
    if not _ends_with(text, previous_end, _CLOSING):
        return False
    if "\n" in text[previous_end : sentence.start]:
        return False
    words = sentence.text.split()
    if sentence.text[:1].islower() or _QUOTE_DASH.match('"' + sentence.text):
        return True
    return len(words) <= 8 and bool(cues.between(sentence.start, sentence.end))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _LEADING_JUNK or text[start].isspace()):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _content_around(text: str, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    """The reported material: after the cue+source, unless that is too short."""
    if text[start:left].rstrip().endswith(",") and text[right:end].lstrip().startswith(","):
        # "The talks, Lavrov said, went well.": the material is on both sides
        return _strip(text, start, end)
    before_text = text[start:left].rstrip().rstrip(",").rstrip()
    after = _strip(text, right, end)
    if before_text.endswith(_CLOSING) and len(before_text) > 2:
        # '"...," ESPN said in a statement.': the quotation is the material
        return _trim_comma(text, *_strip(text, start, left))
    if text[after[0] : after[0] + 5].lower() == "that ":
        after = (after[0] + 5, after[1])
    first_word = text[after[0] : after[1]].split(" ", 1)[0].lower()
    after_words = len(text[after[0] : after[1]].split())
    if (
        text[start:left].rstrip().endswith(",")
        and after_words <= 5
        and len(before_text.split()) >= max(3, after_words)
    ):
        # "Shoukair was kind, an official told The New York Times.": content, then source
        return _trim_comma(text, *_strip(text, start, left))
    if first_word in _CIRCUMSTANCE and len(before_text.split()) >= 3:
        # '... Pence said at a town hall here.': where and when, not what
        return _trim_comma(text, *_strip(text, start, left))
    if len(text[after[0] : after[1]].split()) >= 3:
        return after
    before = _strip(text, start, left)
    before = (before[0], before[1] - (1 if text[before[1] - 1 : before[1]] == "," else 0))
    if before[1] > before[0]:
        return before
    return after if after[1] > after[0] else (start, end)


def _according_to(text: str, cue: CueMatch, start: int, end: int) -> _Source | None:
    # codebook §1 rule 3: "According to X, ..." attributes to X, either side of the content
    mention = np_after(text, cue.end, end)
    if mention is None:
        return None
    return _Source(cue, mention, _content_around(text, start, end, cue.start, mention[1]))


def _possessive_noun(text: str, cue: CueMatch, start: int) -> _Source | None:
    # "X's statement that ..." / "his claim that ..."
    toks = tokens(text, start, cue.start)
    if not toks:
        return None
    last = toks[-1]
    if last.lower in ("his", "her", "their"):
        mention = (last.start, last.end)
    elif last.lower.endswith(("'s", "’s")) and last.capitalized:
        mention = (last.start, last.end - 2)
    else:
        return None
    return _Source(cue, mention, _strip(text, cue.end, len(text)))


def _verb_cue(text: str, cue: CueMatch, start: int, end: int, quotes: Quotes) -> _Source | None:
    if text[cue.start].isupper() and cue.start != start:
        return None  # "The Steve Harvey Morning Show": a name, not a verb
    if cue.word.participle and text[start : cue.start].rstrip()[-1:] == ",":
        # "Clinton spoke out about ..., arguing that": the main clause's subject
        subject = main_subject(text, start, cue.start)
        if subject is not None:
            return _Source(cue, subject, _strip(text, cue.end, end))
    if (
        cue.word.needs_clause
        and not _CLAUSE_START.match(text, cue.end)
        and not (cue.word.takes_infinitive and text[cue.end : cue.end + 4] == " to ")
    ):
        return None
    lo = max(start, quotes.last_end(cue.start))
    subject = subject_before(text, lo, cue.start)
    if subject is not None:
        return _Source(cue, subject, _content_around(text, start, end, subject[0], cue.end))
    prefix = text[lo : cue.start].strip()
    if prefix in ("", ",") or prefix.endswith(","):
        # inverted: '"...," said the minister' / '..., says Lavrov'
        mention = np_after(text, cue.end, end)
        if mention is not None:
            before = _strip(text, start, lo if lo > start else cue.start)
            if before[1] - before[0] > 1:
                return _Source(cue, mention, _trim_comma(text, *before))
            return _Source(cue, mention, _content_around(text, start, end, cue.start, mention[1]))
    return None


def _trim_comma(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in ", ":
        end -= 1
    return start, end


_QUOTE_DASH = re.compile(r"[\"”»]\s*[―—–]\s*(?=[A-Z])")


def _quote_dash(text: str, start: int, end: int) -> _Source | None:
    # '"... our greatest shame." ― Sonya Herridge'
    match = _QUOTE_DASH.search(text, start, end)
    if match is None:
        return None
    mention = np_after(text, match.end(), end)
    if mention is None:
        return None
    dash = match.group().strip('"”» \t\u00a0')
    dash_at = text.index(dash, match.start())
    return _Source(
        None,
        mention,
        _strip(text, start, match.start() + 1),
        cue_span=(dash_at, dash_at + len(dash)),
    )


def _headline_colon(text: str, sentence: Span, index: EntityIndex) -> _Source | None:
    # codebook §1 rule 5: "Russian Foreign Minister: strategic collaboration ..."
    match = _COLON_HEAD.match(sentence.text)
    if match is None:
        return None
    head = match.group(1)
    words = head.split()
    if len(words) > 6 or any(
        w[:1].islower() and w not in ("of", "the", "for", "and") for w in words
    ):
        return None
    from stance.speakers import SOURCE_NOUNS, TITLE_NOUNS, split_title

    title, name = split_title(head)
    is_source = (
        bool(title)
        or index.by_name(head) is not None
        or any(w.lower() in TITLE_NOUNS or w.lower() in SOURCE_NOUNS for w in words)
    )
    if not is_source:
        return None
    colon = sentence.start + match.end(1)
    mention = (sentence.start, sentence.start + len(head))
    content = _strip(text, colon + 1, sentence.end)
    return _Source(None, mention, content, cue_span=(colon, colon + 1))


def _best_source(text: str, start: int, end: int, quotes: Quotes, cues: _Cues) -> _Source | None:
    candidates = [c for c in cues.between(start, end) if not quotes.inside(c.start)]
    # codebook §1 rule 4: the person in "in the words of X" speaks, wherever it stands
    ordered = [c for c in candidates if c.word.form == "words_of"] + [
        c for c in candidates if c.word.form != "words_of"
    ]
    for cue in ordered:
        form = cue.word.form
        if form in ("according", "words_of"):
            source = _according_to(text, cue, start, end)
        elif form == "noun":
            source = _possessive_noun(text, cue, start)
        else:
            source = _verb_cue(text, cue, start, end, quotes)
        if source is None:
            continue
        if form == "words_of":
            return source
        return _participle_cue(source, text, end, quotes, cues)  # the first source speaks
    return _quote_dash(text, start, end) or _participle_of_main_clause(
        text, start, end, quotes, cues
    )


def _participle_of_main_clause(
    text: str, start: int, end: int, quotes: Quotes, cues: _Cues
) -> _Source | None:
    # "Several groups granted an extension, saying ...": the main subject speaks
    for cue in cues.between(start, end):
        if not cue.word.participle or quotes.inside(cue.start):
            continue
        if text[start : cue.start].rstrip()[-1:] != ",":
            continue
        subject = main_subject(text, start, cue.start)
        if subject is not None:
            return _Source(cue, subject, _strip(text, cue.end, end))
    return None


def _participle_cue(source: _Source, text: str, end: int, quotes: Quotes, cues: _Cues) -> _Source:
    # "X wrote an article ... extolling Y": the evaluative participle is the cue
    if source.cue is None or source.cue.word.cls != "report":
        return source
    for cue in cues.between(source.cue.end, end):
        word: CueWord = cue.word
        if (
            word.participle
            and word.cls in ("praise", "accuse", "deny", "warn", "urge")
            and not quotes.inside(cue.start)
        ):
            return _Source(cue, source.mention, _strip(text, cue.end, end))
    return source


def extract_statements(text_or_article: str | Article) -> list[Statement]:
    """Split an article into attributed statements (codebook §1).

    Every sentence belongs to exactly one statement; spans are character offsets
    into the text exactly as given.

    Examples
    --------
    >>> st = extract_statements('Talks resume\\n\\nLavrov said the talks went well.')
    >>> [(s.kind, s.speaker, s.cue.text if s.cue else None) for s in st]
    [('narration', None, None), ('indirect', 'Lavrov', 'said')]
    """
    article = (
        text_or_article
        if isinstance(text_or_article, Article)
        else make_article("text", text_or_article)
    )
    text = article.text
    sentences = sentence_spans(article)
    if not sentences:
        return []
    quotes = Quotes(quote_spans(article))
    cues = _Cues(text)
    index = EntityIndex(text)
    statements: list[Statement] = []
    previous: Statement | None = None
    last_person: str | None = None
    last_group: str | None = None
    lead_end = article.paragraphs[min(2, len(article.paragraphs) - 1)].end
    for i, j in _units(sentences, quotes, text, cues):
        start, end = sentences[i].start, sentences[j - 1].end
        span = article.span(start, end)
        quoted = quotes.quoted_chars(start, end)
        share = quoted / max(1, len(span.text.strip()))
        source = None
        if j - i == 1 and start < lead_end:
            source = _headline_colon(text, sentences[i], index)
        if source is None:
            source = _best_source(text, start, end, quotes, cues)
        kind: Kind
        if source is not None and source.mention is not None:
            mention = article.span(*source.mention)
            speaker, speaker_kind = canonical_speaker(
                mention.text, mention.start, index, last_person, last_group
            )
            cue_range = (
                source.cue_span or (source.cue.start, source.cue.end)
                if source.cue
                else source.cue_span
            )
            cue = article.span(*cue_range) if cue_range else None
            words_of = source.cue is not None and source.cue.word.form == "words_of"
            c_start, c_end = source.content
            content_share = quotes.quoted_chars(c_start, c_end) / max(1, c_end - c_start)
            direct = content_share >= DIRECT_SHARE or (words_of and quoted > 0)
            kind = "direct" if direct else "indirect"
            content = (
                _quote_extent(article, quotes, start, end)
                if direct and quoted
                else article.span(*source.content)
            )
            if (
                mention.text.lower() in PRONOUNS
                and speaker_kind == "person"
                and speaker == mention.text
            ):
                speaker = mention.text  # unresolved pronoun: keep it as written
            statement = Statement(
                article.id, len(statements), kind, span, content, speaker, mention, cue
            )
            if speaker_kind == "person":
                last_person = speaker
            else:
                last_group = speaker
        elif share >= DIRECT_SHARE and previous is not None and previous.speaker:
            # codebook §1 rule 2: a quote with no cue continues the previous speaker
            content = _quote_extent(article, quotes, start, end)
            statement = Statement(
                article.id, len(statements), "direct", span, content, previous.speaker, None, None
            )
        else:
            statement = Statement(article.id, len(statements), "narration", span, span)
        statements.append(statement)
        previous = statement
    return statements


def _quote_extent(article: Article, quotes: Quotes, start: int, end: int) -> Span:
    inside = quotes.overlapping(start, end)
    if not inside:
        return article.span(start, end)
    return article.span(max(start, inside[0].start), min(end, inside[-1].end))
