"""Reporting expressions: the lexicon of cues and where they occur in a sentence.

A cue is a verb of saying or thinking in any inflection (``says``, ``claimed``,
``warning``), a multiword expression (``according to``, ``in the words of``,
``told reporters``, ``quoted as saying``, ``pointed to``), a noun in
``X's statement that``, or a headline colon (``Russian Foreign Minister: ...``).
Each cue has a lemma and a class the featurizer uses (accusing, praising, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

CueClass = Literal[
    "report",
    "accuse",
    "praise",
    "distance",
    "deny",
    "think",
    "urge",
    "warn",
    "agree",
    "evidence",
    "source",
    "colon",
]
CueForm = Literal["verb", "according", "words_of", "noun", "colon"]

# lemma -> class. The classes are what a linguist would group: how the outlet
# presents the act of saying (neutral report, accusation, praise, distancing...).
VERBS: dict[str, CueClass] = {}
for _cls, _lemmas in {
    "report": """say tell state add note explain announce report declare write remark
        mention comment reply respond answer recall describe reveal disclose confirm
        acknowledge admit concede indicate observe point_out suggest tweet post testify
        brief inform reiterate repeat affirm assert stress emphasize emphasise underline
        highlight specify clarify predict estimate calculate conclude summarize summarise
        announce outline detail elaborate continue ask wonder question quip joke muse
        recount relate narrate signal signal_out proclaim pledge promise vow swear
        guarantee assure reassure concur estimate forecast project tell_reporters
        write_in""",
    "accuse": """accuse blame condemn denounce criticize criticise slam attack blast
        decry deplore lambast lambaste castigate rebuke chide fault charge allege_against
        brand label accuse_of censure assail berate scold vilify demonize demonise
        disparage ridicule mock lash_out protest complain lament bemoan grumble""",
    "praise": """praise welcome hail commend extol laud applaud thank celebrate salute
        congratulate honour honor compliment endorse support back champion tout
        acclaim""",
    "distance": "claim allege insist purport contend maintain argue",
    "deny": "deny reject dismiss refute rebut dispute contradict disavow downplay",
    "think": """believe think feel consider expect hope fear suspect doubt know
        understand assume guess reckon imagine worry""",
    "urge": """urge call_for demand appeal request implore plead press insist_on
        recommend advise propose encourage invite challenge""",
    "warn": "warn caution threaten alert",
    "evidence": """show find cite want plan decline echo liken offer vow_to call_on call
        describe see view endorse oppose propose defend seek refuse prefer discuss reveal
        talk_about order decide read name consider regard label""",
    "agree": "agree concur accept recognize recognise admit",
}.items():
    for _lemma in _lemmas.split():
        VERBS.setdefault(_lemma, _cls)  # type: ignore[arg-type]

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "understand": ("understand", "understands", "understood", "understanding"),
    "swear": ("swear", "swears", "swore", "sworn", "swearing"),
    "forecast": ("forecast", "forecasts", "forecasted", "forecasting"),
    "lambast": ("lambast", "lambasts", "lambasted", "lambasting"),
    "quip": ("quip", "quips", "quipped", "quipping"),
    "plead": ("plead", "pleads", "pleaded", "pled", "pleading"),
    "rebut": ("rebut", "rebuts", "rebutted", "rebutting"),
    "extol": ("extol", "extols", "extolled", "extolling"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "post": ("posts", "posted"),
    "back": ("backs", "backed"),
    "charge": ("charged", "charges"),
    "label": ("labels", "labelled", "labeled", "labelling", "labeling"),
    "signal": ("signals", "signalled", "signaled", "signalling", "signaling"),
    "honour": ("honours", "honoured"),
    "honor": ("honors", "honored"),
    "press": ("pressed", "presses"),
    "support": ("supports", "supported"),
    "report": ("report", "reports", "reported", "reporting"),
    "state": ("stated", "stating"),
    "continue": ("continued",),
    "maintain": ("maintains", "maintained", "maintaining"),
    "project": ("projected",),
    "detail": ("detailed",),
    "question": ("questioned",),
    "challenge": ("challenged",),
    "accept": ("accepts", "accepted"),
    "consider": ("considers", "considered"),
    "attack": ("attacked", "attacks", "attacking"),
    "hope": ("hopes", "hoped", "hoping"),
    "fear": ("fears", "feared", "fearing"),
    "doubt": ("doubts", "doubted"),
    "worry": ("worries", "worried", "worrying"),
    "guess": ("guessed",),
    "call_for": ("call for", "calls for", "called for", "calling for"),
    "point_out": ("point out", "points out", "pointed out", "pointing out"),
    "lash_out": ("lashed out at", "lashes out at", "lashing out at"),
    "insist_on": (),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "find": ("find", "finds", "found", "finding"),
    "vow_to": (),
    "call_on": ("call on", "calls on", "called on", "calling on"),
    "call": ("calls", "called", "calling"),
    "see": ("sees", "saw", "seeing"),
    "seek": ("seeks", "sought", "seeking"),
    "talk_about": ("talk about", "talks about", "talked about", "talking about"),
    "read": ("reads",),
    "name": ("named",),
    "view": ("views", "viewed"),
    "order": ("ordered",),
    "decide": ("decided",),
    "refuse": ("refuses", "refused", "refusing"),
    "accuse_of": (),
    "allege_against": (),
    "signal_out": (),
    "tell_reporters": (),
    "write_in": (),
}

# Multiword cues and their lemma/class; listed before single verbs in the alternation.
MULTIWORD: dict[str, tuple[str, CueClass, CueForm]] = {
    "according to": ("according_to", "source", "according"),
    "in the words of": ("in_the_words_of", "source", "words_of"),
    "in the view of": ("in_the_view_of", "source", "words_of"),
    "quoted as saying": ("say", "report", "verb"),
    "was quoted as saying": ("say", "report", "verb"),
    "told reporters": ("tell", "report", "verb"),
    "told journalists": ("tell", "report", "verb"),
    "told the press": ("tell", "report", "verb"),
    "pointed to": ("point_to", "report", "verb"),
    "points to": ("point_to", "report", "verb"),
    "pointing to": ("point_to", "report", "verb"),
    "made clear": ("make_clear", "report", "verb"),
    "makes clear": ("make_clear", "report", "verb"),
    "went on to say": ("say", "report", "verb"),
    "spoke of": ("speak_of", "report", "verb"),
    "speaks of": ("speak_of", "report", "verb"),
    "took aim at": ("take_aim", "accuse", "verb"),
    "put it": ("put_it", "report", "verb"),
    "puts it": ("put_it", "report", "verb"),
}

# Nouns that report speech in "X's statement that ..." / "his claim that ...".
NOUNS: dict[str, CueClass] = {
    "statement": "report",
    "remarks": "report",
    "comments": "report",
    "assertion": "distance",
    "claim": "distance",
    "claims": "distance",
    "allegation": "accuse",
    "allegations": "accuse",
    "accusation": "accuse",
    "accusations": "accuse",
    "warning": "warn",
    "view": "think",
    "belief": "think",
    "argument": "distance",
    "insistence": "distance",
    "denial": "deny",
    "promise": "report",
    "pledge": "report",
    "announcement": "report",
    "suggestion": "report",
}


def _regular_forms(lemma: str) -> tuple[str, ...]:
    word, _, particle = lemma.partition("_")
    if word.endswith("e"):
        past, ing = word + "d", word[:-1] + "ing"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        past, ing = word[:-1] + "ied", word + "ing"
    elif re.search(r"[^aeiou][aeiou][bdglmnprt]$", word) and len(word) <= 4:
        past, ing = word + word[-1] + "ed", word + word[-1] + "ing"
    else:
        past, ing = word + "ed", word + "ing"
    if word.endswith(("s", "sh", "ch", "x", "z")):
        third = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    forms = (word, third, past, ing)
    return tuple(f"{f} {particle}" for f in forms) if particle else forms


# Verbs that also take a plain noun object without reporting anything ("supports the
# plan", "questioned the driver"): they count as cues only before a clause or quote.
NEEDS_CLAUSE = frozenset(
    """back continue detail project press post charge signal maintain answer mention outline
    repeat estimate calculate forecast doubt imagine guess assume worry wonder invite
    encourage request recommend advise indicate observe honour honor celebrate thank salute
    congratulate champion tout acclaim compliment relate narrate recount brief inform
    highlight underline specify elaborate signal_out accept concur attack protest confirm
    plan offer decline echo read name order""".split()
)


TAKES_INFINITIVE = frozenset(
    "want plan decline offer vow promise pledge threaten seek refuse decide order".split()
)


@dataclass(frozen=True, slots=True)
class CueWord:
    """One inflected form of the lexicon: its lemma, class and grammatical form."""

    lemma: str
    cls: CueClass
    form: CueForm
    participle: bool  # an -ing form, which may hang off the main clause's subject

    @property
    def needs_clause(self) -> bool:
        return self.form == "verb" and self.lemma in NEEDS_CLAUSE

    @property
    def takes_infinitive(self) -> bool:
        """'wants to', 'plans to', 'declined to': the intention is the content."""
        return self.lemma in TAKES_INFINITIVE


@lru_cache(maxsize=1)
def lexicon() -> dict[str, CueWord]:
    """Every cue surface form (lower case) -> its CueWord."""
    table: dict[str, CueWord] = {}
    for lemma, cls in VERBS.items():
        forms = _IRREGULAR.get(lemma) or _regular_forms(lemma)
        for form in forms:
            table.setdefault(form, CueWord(lemma, cls, "verb", form.split()[0].endswith("ing")))
    for phrase, (lemma, cls, form) in MULTIWORD.items():
        table[phrase] = CueWord(lemma, cls, form, False)
    for noun, cls in NOUNS.items():
        table.setdefault(f"{noun} that", CueWord(noun, cls, "noun", False))
    return table


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[re.Pattern[str] | None, CueWord]]]:
    """First word of every cue form -> (pattern for the rest, entry), longest first."""
    table: dict[str, list[tuple[int, re.Pattern[str] | None, CueWord]]] = {}
    for form, word in lexicon().items():
        first, *rest = form.split()
        rest_pattern = (
            re.compile("".join(rf"\s+{re.escape(w)}" for w in rest) + r"(?![\w\-])", re.IGNORECASE)
            if rest
            else None
        )
        table.setdefault(first, []).append((len(rest), rest_pattern, word))
    return {k: [(p, w) for _, p, w in sorted(v, key=lambda e: -e[0])] for k, v in table.items()}


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, nested by shared prefix: the engine then
    tries one branch per character instead of every word at every position."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def _first_word_re() -> re.Pattern[str]:
    """A whole word (not inside a longer, hyphenated or elided one) that starts a cue."""
    return re.compile(rf"(?<![\w\-’'])(?:{_trie_pattern(_by_first_word())})(?![\w\-])")


class CueMatch(NamedTuple):
    """A cue found in the text: offsets plus what the lexicon knows about it."""

    start: int
    end: int
    word: CueWord


def cue_word(text: str) -> CueWord | None:
    """The lexicon entry for a cue's text, or None (``":"`` is the headline colon)."""
    if text.strip() == ":":
        return CueWord("colon", "colon", "colon", False)
    return lexicon().get(" ".join(text.lower().split()))


def find_cues(text: str, start: int = 0, end: int | None = None) -> list[CueMatch]:
    """Every cue in ``text[start:end]``, in order of position."""
    end = len(text) if end is None else end
    table = _by_first_word()
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    found: list[CueMatch] = []
    for match in _first_word_re().finditer(lowered, start, end):
        if found and match.start() < found[-1].end:
            continue  # a word inside the longer cue just found ("quoted" in "was quoted as")
        for rest, word in table[match.group()]:
            if rest is None:
                found.append(CueMatch(match.start(), match.end(), word))
                break
            tail = rest.match(lowered, match.end(), end)
            if tail is not None:
                found.append(CueMatch(match.start(), tail.end(), word))
                break
    return found


def cue_class(text: str | None) -> str:
    """The class of a cue's text (``"none"`` when there is no cue, ``"other"`` if unknown)."""
    if not text:
        return "none"
    word = cue_word(text)
    return word.cls if word else "other"
