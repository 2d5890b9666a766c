"""Sources: the noun phrase that names a speaker, and the entity it refers to.

Finds the mention next to a cue (``Hugh Hill, a doctor at the clinic, said``;
``said the minister``; ``according to Lavrov``), splits titles from names
(``Kazakh Prime Minister Askar Mamin`` -> ``Askar Mamin``), and resolves pronouns
and descriptions (``he``, ``the minister``) to the entity they refer to. Every
speaker is canonicalised to the longest proper-name mention in the article
(codebook §1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Prof|Sgt|Adm|St|Jr|Sr)\.|"
    r"[^\W\d_][\w'’.\-]*\w|[^\W\d_]|\d[\d,.]*\d|\d|[^\w\s]",
    re.UNICODE,
)

PRONOUNS = {
    "he": "person",
    "she": "person",
    "they": "group",
    "we": "group",
    "i": "person",
    "it": "group",
}
DETERMINERS = frozenset(
    """
    the a an its his her their our this that these those some many several two three
    other one most both all another few any
    """.split()
)
TITLE_NOUNS = frozenset(
    """
    minister president secretary spokesman spokeswoman spokesperson senator sen. rep.
    representative gov. governor chairman chairwoman chair director ambassador envoy
    general gen. mr. mrs. ms. dr. prof. professor premier chancellor mayor king queen
    prince sheikh emir pope leader chief commissioner deputy speaker judge justice
    adviser advisor analyst candidate nominee official head commander colonel col. lt.
    captain capt. admiral attorney lawyer mp mep sir lord lady economist researcher
    expert activist campaigner editor founder ceo executive manager coordinator
    negotiator diplomat lawmaker legislator delegate prosecutor mufti imam bishop
    patriarch archbishop rabbi coach owner organizer organiser moderator superintendent
    inspector sergeant officer major mayor-elect president-elect vice acting former
    foreign prime defence defense
    """.split()
)
SOURCE_NOUNS = frozenset(
    """
    officials official sources source critics critic analysts analyst experts expert
    observers diplomats diplomat spokesman spokeswoman spokesperson minister ministers
    ministry government authorities police president leader leaders report reports study
    survey poll polls statement document documents residents activists campaigners
    protesters protestors opponents supporters lawmakers legislators members senator
    governor secretary envoy ambassador agency agencies party parliament committee
    commission council court judge prosecutors prosecutor investigators researchers
    groups group organisation organization union unions office department administration
    campaign aides aide adviser advisers advisor advisors economists economist
    scientists doctors doctor witnesses witness people voters citizens villagers farmers
    workers veterans families students teachers journalists reporters editorial
    newspaper paper website broadcaster network channel media press military army army's
    forces rebels militants insurgents negotiators delegation delegates chief head
    director chairman chair leadership board company firm bank banks executives
    executive ngo ngos charity coalition alliance bloc opposition regime junta cabinet
    premier mayor candidate nominee manager lawyer lawyers attorney attorneys insiders
    representatives representative commentators scholars historians clerics elders
    locals neighbours neighbors others many some both diaspora community communities
    association federation movement foundation institute think-tank watchdog regulator
    embassy consulate mission kremlin palace house spokespeople data figures statistics
    estimates polling findings letter memo resolution communique communiqué declaration
    source's officer officers troops commander commanders colleagues team percent
    majority respondents allies partners friends relatives mother father wife husband
    son daughter man woman men women
    """.split()
)
NOT_SOURCE_HEADS = frozenset(
    """
    plan schedule timetable law rules agreement treaty constitution programme program
    legend tradition budget
    """.split()
)
STOPWORDS = frozenset(
    """
    that which who whom whose and but or nor while because if when as after before than
    so although though where since until unless whether what how why not also has have
    had was were is are be been would will could can may might must should did does do
    said says to there here then now yet still even just only already once again however
    meanwhile instead moreover furthermore today yesterday tomorrow tonight recently
    later earlier previously repeatedly publicly privately reportedly allegedly further
    never always often first last this week month year monday tuesday wednesday thursday
    friday saturday sunday on in at by for with from of about into over under between
    against during without
    """.split()
)
AUXILIARIES = frozenset(
    """
    has have had was were is are be been would will could can may might must should did
    does do also again later then previously once repeatedly recently publicly privately
    reportedly further earlier already still even often frequently just first openly
    explicitly sharply strongly flatly firmly angrily bluntly quietly loudly formally
    officially separately subsequently ultimately finally initially originally long
    herself himself themselves itself not never n't always yesterday today on wednesday
    thursday friday saturday sunday monday tuesday last week night morning evening
    afternoon
    """.split()
)
POSSESSIVES = {"his": "he", "her": "she", "their": "they", "its": "it"}
QUANTIFIERS = frozenset(
    """
    some many others most all both several few
    """.split()
)
INSIDE_NP = frozenset(
    """
    of for at from in with to on and &
    """.split()
)
APPOSITION_OPENERS = frozenset(
    """
    a an the who whose one which its his her their now then herself himself speaking
    """.split()
)


class Token(NamedTuple):
    """A word or punctuation mark (a tuple: made by the thousand per article)."""

    start: int
    end: int
    text: str
    lower: str  # looked at many times per token: computed once

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Word and punctuation tokens of ``text[start:end]`` with absolute offsets."""
    return [
        Token(m.start(), m.end(), word, word.lower())
        for m in TOKEN.finditer(text, start, end)
        for word in (m.group(),)
    ]


def _is_noun_like(tok: Token) -> bool:
    low = tok.lower.rstrip(".")
    return (
        (tok.capitalized and low not in STOPWORDS)
        or low in SOURCE_NOUNS
        or low in PRONOUNS
        or low in TITLE_NOUNS
        or low.endswith(("'s", "’s"))
    )


def _is_name_token(tok: Token) -> bool:
    low = tok.lower
    return (
        tok.capitalized and low not in STOPWORDS and low not in PRONOUNS and low not in DETERMINERS
    )


def subject_before(text: str, lo: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase right before a cue (its subject), skipping auxiliaries,
    parentheses and appositions, as ``(start, end)``; None when what precedes is
    not a source."""
    # a subject stands within a few hundred characters of its cue; looking no
    # further keeps very long sentences linear
    toks = tokens(text, max(lo, cue_start - 400), cue_start)
    i = _skip_back(toks, len(toks) - 1)
    if i < 0:
        return None
    if toks[i].text in (",", "-", "—", "–"):
        # "Hugh Hill, a doctor at the clinic, said": the name before the apposition;
        # "A lawyer for the outlets, David Schulz, said": the name in it
        outer = _name_before_apposition(toks, i)
        if outer is not None:
            return outer
        inner = _np_backwards(toks, i - 1) if i >= 1 else None
        if inner is not None and any(_is_name_token(t) for t in toks[inner[0] : inner[1] + 1]):
            return toks[inner[0]].start, toks[inner[1]].end
        return None
    if toks[i].lower in QUANTIFIERS and (
        i == 0 or not toks[i - 1].text[:1].isalnum() or toks[i - 1].lower in ("and", "but")
    ):
        return toks[i].start, toks[i].end  # "Some believe ...", "all agreed"
    if toks[i].lower == "and" and i >= 1:
        # "Cruz exhorted Republicans ... and said": the main clause's subject
        return main_subject(text, toks[0].start, toks[i].start)
    if toks[i].lower == "who" and i >= 1:
        # "an architect who said ...": the relative pronoun's antecedent
        j = i - 1 if toks[i - 1].text != "," else i - 2
        np = _np_backwards(toks, j) if j >= 0 else None
        return (toks[np[0]].start, toks[np[1]].end) if np else None
    np = _np_backwards(toks, i)
    if np is None:
        return None
    first, last = np
    if (
        first >= 2
        and toks[first - 1].text == ","
        and (
            toks[first].lower in APPOSITION_OPENERS
            or not toks[first].capitalized
            or toks[first].lower in TITLE_NOUNS
        )
    ):
        outer = _name_before_apposition(toks, first - 1)
        if outer is not None:
            return outer
        if toks[first].lower in ("who", "whose", "which"):
            return None
    return toks[first].start, toks[last].end


_INTRO = frozenset(
    """
    in on at during after before but and however meanwhile later earlier yet still since
    for by last this over
    """.split()
)


def main_subject(text: str, start: int, hi: int) -> tuple[int, int] | None:
    """The subject noun phrase of a sentence's main clause (after an opening phrase)."""
    toks = tokens(text, start, hi)
    k = 0
    if toks and toks[0].lower in _INTRO:
        while k < len(toks) and toks[k].text != ",":
            k += 1
        k += 1
        if k >= len(toks):
            return None
    if k >= len(toks):
        return None
    found = np_after(text, toks[k].start, hi)
    if found is None:
        return None
    words = tokens(text, *found)
    if words and (
        words[-1].lower in SOURCE_NOUNS
        or words[-1].lower in PRONOUNS
        or any(_is_name_token(w) for w in words)
    ):
        return found
    return None


def _skip_back(toks: list[Token], i: int) -> int:
    """Index of the last token before ``i`` that is not an auxiliary, adverb or (...)."""
    while i >= 0:
        if toks[i].lower in AUXILIARIES:
            i -= 1
        elif toks[i].text == ")":
            depth = 0
            while i >= 0:
                depth += toks[i].text == ")"
                depth -= toks[i].text == "("
                i -= 1
                if depth == 0:
                    break
        else:
            break
    return i


def _name_before_apposition(toks: list[Token], comma: int) -> tuple[int, int] | None:
    """The named noun phrase before one of the (at most four) commas or dashes that
    open an apposition ending at token ``comma``."""
    seen = 0
    k = comma - 1
    while k >= 1 and seen < 4:
        if toks[k].text in (",", "-", "—", "–", "(") and k + 1 < comma:
            seen += 1
            j = _skip_back(toks, k - 1)
            np = _np_backwards(toks, j) if j >= 0 else None
            if np is not None and any(_is_name_token(t) for t in toks[np[0] : np[1] + 1]):
                return toks[np[0]].start, toks[np[1]].end
        if toks[k].lower in ("said", "says", "told") or toks[k].text in (";", ":"):
            break
        k -= 1
    return None


_LINKS = frozenset(
    """
    of for to with at from in on
    """.split()
)
_LINK_ADJECTIVES = frozenset(
    """
    close closer familiar near loyal linked connected opposed allied attached
    """.split()
)


def _np_backwards(toks: list[Token], i: int) -> tuple[int, int] | None:
    """Token range of the noun phrase ending at token ``i``, or None.

    A phrase attached by a preposition belongs to the noun before it: in "critics of
    the law" and "sources close to the Kremlin" the speakers are the critics and the
    sources, not the law or the Kremlin.
    """
    inner = _simple_np_backwards(toks, i)
    start = inner[0] if inner else i
    while inner is None and start >= 1 and toks[start - 1].lower in DETERMINERS:
        start -= 1  # "of the law": the law itself is no speaker, but the critics may be
    k = start - 1
    if k >= 1 and toks[k].lower in _LINKS:
        before = k - 1
        if before >= 1 and toks[before].lower in _LINK_ADJECTIVES:
            before -= 1
        outer = _simple_np_backwards(toks, before) if before >= 0 else None
        if outer is not None and toks[outer[1]].lower not in PRONOUNS:
            outer_head = toks[outer[1]].lower.rstrip(".")
            if outer_head in SOURCE_NOUNS or outer_head in TITLE_NOUNS:
                return outer[0], i
    return inner


def _simple_np_backwards(toks: list[Token], i: int) -> tuple[int, int] | None:
    """Token range of the noun phrase ending at token ``i``, or None."""
    last = i
    head = toks[i]
    low = head.lower
    if low in PRONOUNS:
        return i, i
    if (
        low.rstrip(".") in NOT_SOURCE_HEADS
        or low in STOPWORDS
        or low in AUXILIARIES
        or low in DETERMINERS
    ):
        return None
    if not _is_noun_like(head) and not (
        i >= 1
        and (
            toks[i - 1].lower in DETERMINERS
            or toks[i - 1].lower.endswith(("'s", "’s"))
            or _is_name_token(toks[i - 1])
        )
        and head.text[:1].isalpha()
    ):
        return None
    j = i
    lowercase_run = 0
    while j - 1 >= 0:
        prev = toks[j - 1]
        plow = prev.lower
        if prev.text in (",", ";", ":", "(", ")", '"', "“", "”", "—", "–") or plow in PRONOUNS:
            break
        if prev.text in ("-", "'", "’"):
            j -= 1
            continue
        if plow in DETERMINERS:
            j -= 1
            if plow in ("the", "a", "an"):
                break
            continue
        if plow in INSIDE_NP and j - 2 >= 0 and _is_noun_like(toks[j - 2]):
            j -= 1
            continue
        if plow in STOPWORDS:
            break
        if prev.capitalized or plow in SOURCE_NOUNS or plow.endswith(("'s", "’s")):
            lowercase_run = 0
            j -= 1
            continue
        if lowercase_run < 2 and prev.text[:1].isalpha():
            lowercase_run += 1  # an adjective: "senior US officials", "Western critics"
            j -= 1
            continue
        break
    # do not start on a dangling preposition
    while j < last and toks[j].lower in INSIDE_NP:
        j += 1
    head_low = toks[last].lower.rstrip(".")
    if not (
        any(_is_name_token(t) for t in toks[j : last + 1])
        or head_low in SOURCE_NOUNS
        or head_low in TITLE_NOUNS
        or (last > j and head_low not in STOPWORDS and head_low not in NOT_SOURCE_HEADS)
    ):
        return None
    return j, last


def np_after(text: str, start: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase that starts right after ``start`` (``said the minister``,
    ``according to Lavrov``), as ``(start, end)``, or None."""
    toks = tokens(text, start, hi)
    if not toks:
        return None
    if toks[0].lower in PRONOUNS and toks[0].lower not in ("it",):
        return toks[0].start, toks[0].end
    j = 0
    end_index = -1
    while j < len(toks):
        tok = toks[j]
        low = tok.lower
        if low in DETERMINERS and end_index < 0:
            j += 1
            continue
        if _is_noun_like(tok) or (
            end_index < 0
            and tok.text[:1].isalpha()
            and low not in STOPWORDS
            and j + 1 < len(toks)
            and _is_noun_like(toks[j + 1])
        ):
            end_index = j
            j += 1
            continue
        if tok.text in ("-", "'", "’") and end_index >= 0:
            j += 1
            continue
        if (
            low in ("of", "for", "at", "to")
            and end_index >= 0
            and j + 1 < len(toks)
            and (_is_noun_like(toks[j + 1]) or toks[j + 1].lower in DETERMINERS)
        ):
            j += 1
            continue
        break
    if end_index < 0:
        return None
    # "according to data exposed by Lavrov": the source is the agent
    rest = toks[end_index + 1 : end_index + 4]
    for k, tok in enumerate(rest):
        if tok.lower == "by" and k + 1 < len(rest):
            inner = np_after(text, tok.end, hi)
            if inner is not None:
                return inner
    head = toks[end_index].lower.rstrip(".")
    if head in NOT_SOURCE_HEADS and not any(_is_name_token(t) for t in toks[: end_index + 1]):
        return None
    return toks[0].start, toks[end_index].end


# ---------------------------------------------------------------- entities


def split_title(phrase: str) -> tuple[str, str]:
    """``Kazakh Prime Minister Askar Mamin`` -> (``Kazakh Prime Minister``, ``Askar Mamin``)."""
    words = phrase.split()
    cut = 0
    for k, word in enumerate(words):
        if word.lower().strip(",") in TITLE_NOUNS:
            cut = k + 1
    if cut >= len(words):
        return phrase, ""
    return " ".join(words[:cut]), " ".join(words[cut:])


_NAME_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Prof|Sgt|Adm|Jr|Sr|St)\.|"
    r"[A-Z]\.|[A-Z][\w'’\-]*\w)"
)
_NAME_RUN = re.compile(  # two or more capitalised words: one alone is never a person
    # (the lookahead lets the engine skip to capitals instead of trying each position)
    rf"(?=[A-Z]){_NAME_WORD}(?:[ \t]+(?:(?:de|da|van|von|al|bin|ibn|el|del|la|le|di|du|der|dos|ter)"
    rf"[ \t]+)?{_NAME_WORD})+"
)


_NOT_A_NAME = STOPWORDS | DETERMINERS | frozenset(PRONOUNS)


@dataclass
class Entity:
    """A speaker the article talks about: canonical name, kind, titles seen with it."""

    name: str
    kind: str  # "person" or "group"
    titles: set[str] = field(default_factory=set)


class EntityIndex:
    """Proper names of one article, for canonicalising and resolving mentions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._built = False
        self._by_token: dict[str, list[Entity]] = {}
        self.mentions: list[tuple[int, Entity]] = []  # (position, entity) of person names

    def _build(self) -> None:
        """Index the names on first use: many articles never need it."""
        if self._built:
            return
        self._built = True
        for match in _NAME_RUN.finditer(self.text):
            phrase = match.group().rstrip(".")
            title, name = split_title(phrase)
            words = name.split()
            if not words or words[0].lower() in _NOT_A_NAME:
                if len(words) >= 2:
                    words = words[1:]
                    name = " ".join(words)
                else:
                    continue
            if len(words) < 2 and not title:
                # a single capitalised word is a person only with a title ("President Putin")
                continue
            entity = self._add(name, title)
            self.mentions.append((match.start(), entity))

    def _add(self, name: str, title: str) -> Entity:
        last = name.split()[-1].lower()
        for entity in self._by_token.get(last, []):
            if name in entity.name or entity.name in name:
                if len(name) > len(entity.name):
                    entity.name = name
                if title:
                    entity.titles.add(title.lower())
                return entity
        entity = Entity(name, "person", {title.lower()} if title else set())
        self._by_token.setdefault(last, []).append(entity)
        return entity

    def by_name(self, name: str) -> Entity | None:
        """The person whose name ends with (or contains) ``name``'s last word."""
        self._build()
        words = name.split()
        if not words:
            return None
        candidates = self._by_token.get(words[-1].lower().removesuffix("'s").removesuffix("’s"))
        if not candidates:
            return None
        return max(candidates, key=lambda e: len(e.name))

    def by_title(self, description: str, before: int) -> Entity | None:
        """The person most recently named before ``before`` whose title fits ``description``."""
        self._build()
        words = [w for w in description.lower().split() if w not in DETERMINERS]
        if not words:
            return None
        best = None
        for position, entity in self.mentions:
            fits = any(all(w in title.split() for w in words) for title in entity.titles)
            if fits and (best is None or position < before or best[0] >= before):
                best = (position, entity)
        return best[1] if best else None

    def person_before(self, position: int) -> Entity | None:
        """The last person named before ``position``."""
        self._build()
        found = None
        for at, entity in self.mentions:
            if at >= position:
                break
            found = entity
        return found


def canonical_speaker(
    mention: str,
    position: int,
    index: EntityIndex,
    previous_person: str | None,
    previous_group: str | None,
) -> tuple[str, str]:
    """The canonical speaker for a mention, and its kind (``person`` or ``group``)."""
    words = mention.split()
    low = mention.lower()
    if low in POSSESSIVES:
        low = POSSESSIVES[low]  # "his statement that" speaks for "he"
    if low in PRONOUNS:
        if PRONOUNS[low] == "person":
            before = index.person_before(position) if previous_person is None else None
            person = previous_person or (before.name if before else None)
            if person is None and previous_group and " " not in previous_group:
                person = previous_group  # "Lavrov said ... He added": a bare surname
            return (person or mention), "person"
        return (previous_group or previous_person or mention), "group"
    if len(words) >= 2 and words[0].lower() == "the" and words[1][:1].isupper():
        return _capitalize_article(mention), "group"  # "The Kremlin", "The Kazakhs"
    title, name = split_title(mention)
    first = name.split()[0] if name else ""
    if name and _is_name_token(Token(0, 0, first, first.lower())):
        entity = index.by_name(name)
        if entity is not None:
            return entity.name, "person"
        # a proper name with no person behind it (an institution): as written
        return _capitalize_article(mention), "group"
    if title:
        entity = index.by_title(title, position)
        if entity is not None:
            return entity.name, "person"
    if words and words[-1].lower().rstrip(".") in TITLE_NOUNS and previous_person:
        return previous_person, "person"
    return _capitalize_article(mention), "group"


def _capitalize_article(phrase: str) -> str:
    if phrase[:4] in ("the ", "The "):
        return "The " + phrase[4:]
    return phrase
