"""Sentence spans with NLTK's Punkt, its parameters built in code (nothing downloaded).

Punkt runs inside each paragraph and each headline-like line, so a headline never
merges with the body and a paragraph break always ends a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from stance.types import Article, Span

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# Punkt stores abbreviations lower-cased and without their final period.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms messrs dr prof rev hon sen sens rep reps gov govs gen lt col maj capt cmdr
    adm sgt cpl pvt brig supt insp det atty pres vice amb sec treas fr sr jr st mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri
    sat sun u.s u.s.a u.k u.n e.u u.a.e d.c n.y l.a a.m p.m e.g i.e etc vs v al approx
    inc corp co ltd llc plc bros dept est fig vol pp ed eds assn univ intl natl
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)

# Words that are abbreviations only before a number: "No. 10 Downing Street" does not
# break, "Lavrov said no. Then he left." does (Punkt's collocation heuristic).
NUMBER_ABBREVIATIONS = frozenset({"no", "nos"})

_HARD_LINE = re.compile(r"\n")
_TERMINAL = re.compile(r"[.!?:;\"”’»)\]]\s*$")


# Contexts Punkt decides without any parameter but the abbreviation list, so they are
# decided here without its per-candidate token annotation (the bulk of its running
# time); tests/test_sentences.py checks the result is identical to Punkt's own:
# a plain word (2+ letters, hyphens allowed) ending in "." and followed by another
# token or a character Punkt keeps out of words always breaks; so does a period
# right after such a character ('said "no". Then', '(Reuters). The'): it is a token
# of its own, and a lone "." always breaks; and so does a word ending in "?" or "!".
@lru_cache(maxsize=1)
def _period_fast_paths() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(plain word + period, non-word character + period), from this NLTK's own
    definition of the characters it keeps out of words."""
    from stance.nltk_light import punkt_module

    non_word = punkt_module().PunktLanguageVars()._re_non_word_chars
    plain = re.compile(rf"([^\W\d_]+(?:-[^\W\d_]+)*)\.(?:\s+\S+|{non_word})", re.UNICODE)
    closed = re.compile(rf".*{non_word}\.(?:\s+\S+|{non_word})", re.UNICODE | re.DOTALL)
    return plain, closed


_PLAIN_QUESTION = re.compile(r"[^\W\d_]+[?!]\s+\S+", re.UNICODE)


def punkt_parameters() -> object:
    """Punkt's parameters, built in code: our abbreviations, nothing downloaded."""
    from stance.nltk_light import punkt_module

    params = punkt_module().PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.collocations = {(word, "##number##") for word in NUMBER_ABBREVIATIONS}
    return params


@lru_cache(maxsize=1)
def punkt() -> PunktSentenceTokenizer:
    """The project's Punkt tokenizer: default heuristics plus our abbreviation list."""
    from stance.nltk_light import punkt_module

    PunktSentenceTokenizer = punkt_module().PunktSentenceTokenizer

    class FastPunkt(PunktSentenceTokenizer):  # type: ignore[misc, valid-type]
        """Punkt with the common, parameter-free decisions taken without annotation."""

        _decided: dict[str, bool] = {}  # noqa: RUF012  (one tokenizer per process)

        def text_contains_sentbreak(self, text: str) -> bool:
            plain_period, closed_period = _period_fast_paths()
            plain = plain_period.fullmatch(text)
            if plain is not None:
                word = plain.group(1).lower()  # Punkt checks the part after a hyphen too
                if (
                    len(word) > 1
                    and word not in ABBREVIATIONS
                    and word.rsplit("-", 1)[-1] not in ABBREVIATIONS
                    and word not in NUMBER_ABBREVIATIONS  # Punkt looks at the next word
                ):
                    return True
            if _PLAIN_QUESTION.fullmatch(text) or closed_period.fullmatch(text):
                return True
            # the rest depends on the context string alone: decide each one once
            found = self._decided.get(text)
            if found is None:
                found = bool(super().text_contains_sentbreak(text))
                if len(self._decided) < 100_000:
                    self._decided[text] = found
            return found

        def span_tokenize(
            self, text: str, realign_boundaries: bool = True
        ) -> Iterator[tuple[int, int]]:
            """Punkt's own span_tokenize, without its per-call generators and slicing."""
            if not realign_boundaries:
                return iter(super().span_tokenize(text, False))
            return iter(_punkt_spans(self, text))

    return FastPunkt(punkt_parameters())


# the last of string.whitespace (what Punkt looks for) in a range: .* backtracks from its end
_LAST_SPACE = re.compile(r".*[ \t\n\r\x0b\x0c]", re.DOTALL)


def _punkt_spans(tokenizer: PunktSentenceTokenizer, text: str) -> list[tuple[int, int]]:
    """``PunktSentenceTokenizer.span_tokenize`` step by step, on the same compiled patterns.

    NLTK finds each candidate break, cuts the word before it out of a fresh slice and
    re-slices the rest of the text for every realignment; here offsets stand in for
    the slices. The decisions are Punkt's (``text_contains_sentbreak``).
    """
    if not any(ch in text for ch in ".?!"):
        end = len(text.rstrip())
        return [(0, end)] if end else []
    lang = tokenizer._lang_vars
    # NLTK 3.9.3+ wraps its patterns in a timeout guard; the engine's own pattern
    # object is what runs here (the patterns are NLTK's fixed ones, not user input)
    slices = []  # (start, stop) as in _slices_from_text
    last_break = 0
    previous: tuple[int, int] | None = None  # the slice of the previous match's word
    previous_match = None
    contexts = []
    for match in _engine(lang.period_context_re()).finditer(text):
        m_start = match.start()
        p_start, p_stop = previous if previous else (0, 0)
        space = _LAST_SPACE.match(text, p_stop, m_start)
        word_start = space.end() if space is not None and space.end() - 1 > p_stop else p_start
        if previous_match is not None and p_stop <= word_start:
            contexts.append((previous_match, p_start, p_stop))
        previous_match = match
        previous = (word_start, m_start)
    if previous_match is not None and previous is not None:
        contexts.append((previous_match, previous[0], previous[1]))
    for match, w_start, w_stop in contexts:
        context = text[w_start:w_stop] + match.group() + match.group("after_tok")
        if tokenizer.text_contains_sentbreak(context):
            slices.append((last_break, match.end()))
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append((last_break, len(text.rstrip())))
    realigner = _engine(lang.re_boundary_realignment)
    spans = []
    realign = 0
    for k, (start, stop) in enumerate(slices):
        start += realign
        if k + 1 == len(slices):
            if start < stop:
                spans.append((start, stop))
            continue
        n_start, n_stop = slices[k + 1]
        m = realigner.match(text, n_start, max(n_start, n_stop))
        if m:
            spans.append((start, n_start + len(m.group(0).rstrip())))
            realign = m.end() - n_start
        else:
            realign = 0
            if start < stop:
                spans.append((start, stop))
    return spans


def _engine(pattern: Any) -> Any:
    """The compiled pattern inside NLTK's ``redos`` wrapper, or the pattern itself."""
    return getattr(pattern, "_rx", pattern)


@lru_cache(maxsize=1)
def reference_punkt() -> PunktSentenceTokenizer:
    """Plain NLTK Punkt with the same parameters (the reference the fast path is tested on)."""
    from stance.nltk_light import punkt_module

    return punkt_module().PunktSentenceTokenizer(punkt_parameters())


def _blocks(text: str, start: int, end: int, title_end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` at newlines that end a line-level unit."""
    blocks = []
    block_start = start
    for match in _HARD_LINE.finditer(text, start, end):
        line = text[block_start : match.start()]
        following = text[match.end() : end].lstrip()
        hard = (
            match.start() <= title_end
            or _TERMINAL.search(line) is not None
            or (not line.strip())
            or following[:1] in ('"', "“", "‘", "«", "-", "—", "•", "*")
            or (len(line) - line.rfind("\n") < 80 and following[:1].isupper())  # a headline
        )
        if hard:
            blocks.append((block_start, match.start()))
            block_start = match.end()
    blocks.append((block_start, end))
    return blocks


def sentence_spans(article: Article) -> list[Span]:
    """Every sentence of ``article`` as a span, in order, trimmed of outer whitespace.

    Examples
    --------
    >>> from stance.articles import make_article
    >>> a = make_article("x", "Talks resume\\n\\nGen. Ivanov arrived. He said little.")
    >>> [s.text for s in sentence_spans(a)]
    ['Talks resume', 'Gen. Ivanov arrived.', 'He said little.']
    """
    text = article.text
    tokenizer = punkt()
    title_end = article.title.end if article.title else -1
    spans = []
    for paragraph in article.paragraphs:
        for b_start, b_end in _blocks(text, paragraph.start, paragraph.end, title_end):
            block = text[b_start:b_end]
            if not block.strip():
                continue
            for s, e in tokenizer.span_tokenize(block):
                s, e = _trim(block, s, e)
                if s < e:
                    spans.append(Span(b_start + s, b_start + e, block[s:e]))
    return spans


def _trim(block: str, start: int, end: int) -> tuple[int, int]:
    while start < end and block[start].isspace():
        start += 1
    while end > start and block[end - 1].isspace():
        end -= 1
    return start, end
