"""Statement features: what a linguist would look at to tell frames apart.

:class:`StatementFeaturizer` is a scikit-learn transformer from a batch of
:class:`~stance.types.Statement` to feature dicts (for ``DictVectorizer``):
stemmed word n-grams of the content, the cue's lemma and class, the kind, the
speaker type, negation and denial scope, the share of quoted text, frame-lexicon
counts, and the neighbouring statements' cue classes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, chain, repeat
from typing import Any, NamedTuple, cast

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.cues import cue_word
from stance.lexicons import DENIAL_WORDS, FRAME_SIGNALS, NEGATORS, VAGUE_SOURCES
from stance.types import Statement

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+", re.UNICODE)
_QUOTE_MARKS = re.compile(r"[\"“”«»]|''|``")
_QUOTED = re.compile(r"[\"“«][^\"”»]*[\"”»]")
_SCOPE_OPENERS = NEGATORS | DENIAL_WORDS

try:  # the C loop behind Counter, counting straight into a dict
    from collections import _count_elements  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons

    def _count_elements(mapping: dict[str, float], names: Iterable[str]) -> None:
        for name in names:
            mapping[name] = mapping.get(name, 0) + 1


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from stance.nltk_light import snowball_module

    return snowball_module().SnowballStemmer("english")


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball stem of a lower-cased word (cached: news reuses its vocabulary)."""
    found = _STEMS.get(word)
    if found is None:
        found = str(_stemmer().stem(word))
        if len(_STEMS) < 500_000:
            _STEMS[word] = found
    return found


_SPLIT = re.compile(f"({_TOKEN.pattern})", re.UNICODE)
# the same split for ASCII text, where [^\W\d_] is [a-z] after lower-casing: most news
# is ASCII, and a range test is cheaper than a Unicode category look-up per character
_SPLIT_ASCII = re.compile(r"([a-z]+(?:'[a-z]+)?|[0-9]+)")


class _Words(NamedTuple):
    """A statement's words: absolute start offsets, lower-cased forms and stems."""

    starts: list[int]
    words: list[str]
    stems: list[str]


def _words(s: Statement) -> _Words:
    """The statement's words, minus its speaker mention (names are not frames).

    One ``split`` and an ``accumulate`` of the piece lengths give words and offsets
    without a Python step per word: this runs for every word scored.
    """
    lowered = s.span.text.lower()
    pieces = (_SPLIT_ASCII if lowered.isascii() else _SPLIT).split(lowered)
    starts = list(accumulate(map(len, pieces), initial=s.span.start))[1::2]
    words = pieces[1::2]
    mention = s.speaker_mention
    if mention is not None:
        i, j = bisect_left(starts, mention.start), bisect_left(starts, mention.end)
        del starts[i:j], words[i:j]
    cached = list(map(_STEMS.get, words))
    if None in cached:
        return _Words(starts, words, [st or stem(w) for st, w in zip(cached, words, strict=True)])
    return _Words(starts, words, cast(list[str], cached))


def stemmed_lexicons() -> dict[str, frozenset[str]]:
    """The frame signal lexicons as sets of stems."""
    return {
        frame: frozenset(stem(w.lower()) for w in words.split())
        for frame, words in FRAME_SIGNALS.items()
    }


def _lexicon_index(lexicons: dict[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """Stem -> the frames whose lexicon holds it."""
    index: dict[str, tuple[str, ...]] = {}
    for frame, stems in lexicons.items():
        for st in stems:
            index[st] = (*index.get(st, ()), frame)
    return index


def _lexicon_hits(stems: list[str], index: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Hits per frame lexicon: one look-up per word, whatever the number of frames."""
    hits: dict[str, int] = {}
    _count_elements(hits, chain.from_iterable(map(index.get, stems, repeat(()))))
    return hits


def speaker_type(statement: Statement) -> str:
    """none / pronoun / vague / group / person, from the speaker and its mention."""
    if not statement.speaker:
        return "none"
    mention = (statement.speaker_mention.text if statement.speaker_mention else "").lower()
    if mention in ("he", "she", "they", "it", "we", "i"):
        return "pronoun"
    words = statement.speaker.lower().split()
    if words and (words[-1] in VAGUE_SOURCES or words[0] in VAGUE_SOURCES):
        return "vague"
    if (
        statement.speaker[:1].isupper()
        and len(words) >= 2
        and not statement.speaker.startswith("The ")
    ):
        return "person"
    return "group"


def cue_features(cue_text: str | None) -> tuple[str, str]:
    """(lemma, class) of a cue, ``("none", "none")`` when there is none."""
    if not cue_text:
        return "none", "none"
    word = cue_word(cue_text)
    if word is None:
        return cue_text.lower(), "other"
    return word.lemma, word.cls


class _Parts(NamedTuple):
    """One statement's features before they are named or hashed.

    ``named`` holds the few features named per statement; the many word features
    stay as stems, so the hashed path can look their columns up without building
    a name for each (what most of the featurizing time went on).
    """

    named: dict[str, float]
    content: list[str]  # content stems: the ``w=`` n-grams
    sentence: list[str]  # the whole span's stems: ``s=`` unigrams
    chars: str | None  # the content's words, for character n-grams


class StatementFeaturizer(TransformerMixin, BaseEstimator):
    """Features of statements; fit only loads the lexicons.

    Parameters
    ----------
    ngram_max : int
        Longest word n-gram of the content (1 = unigrams only).
    char_ngrams : bool
        Add character 3-5-grams of the content (measured in the model card).
    neighbours : bool
        Add the cue classes and frame-lexicon counts of the previous and next
        statements of the same article: frames run in paragraphs.
    negation_window : int
        How many words after a negator or denial cue are marked as in its scope.
    n_features : int or None
        None: ``transform`` gives one feature dict per statement (for
        ``DictVectorizer`` or ``FeatureHasher``). An int: it gives the sparse matrix
        ``FeatureHasher(n_features, alternate_sign=False)`` would make of those
        dicts, cell for cell, several times faster: word columns are cached by stem.

    Examples
    --------
    >>> from stance.attribution import extract_statements
    >>> statements = extract_statements("Lavrov condemned the attacks.")
    >>> features = StatementFeaturizer().fit(statements).transform(statements)
    >>> features[0]["cue_class=accuse"], features[0]["kind=indirect"]
    (1.0, 1.0)
    >>> StatementFeaturizer(n_features=2**10).fit(statements).transform(statements).shape
    (1, 1024)
    """

    def __init__(
        self,
        *,
        ngram_max: int = 2,
        char_ngrams: bool = False,
        neighbours: bool = True,
        negation_window: int = 4,
        n_features: int | None = None,
    ) -> None:
        self.ngram_max = ngram_max
        self.char_ngrams = char_ngrams
        self.neighbours = neighbours
        self.negation_window = negation_window
        self.n_features = n_features

    def fit(self, statements: Sequence[Statement], y: object = None) -> StatementFeaturizer:
        if self.ngram_max < 1:
            raise ValueError(f"ngram_max must be >= 1, got {self.ngram_max}")
        if self.negation_window < 0:
            raise ValueError(f"negation_window must be >= 0, got {self.negation_window}")
        if self._n_features is not None and self._n_features < 1:
            raise ValueError(f"n_features must be >= 1 or None, got {self._n_features}")
        self.lexicons_ = stemmed_lexicons()
        return self

    @property
    def _n_features(self) -> int | None:
        # model files saved before the parameter existed load without the attribute
        return getattr(self, "n_features", None)

    def transform(self, statements: Sequence[Statement]) -> Any:
        """Feature dicts, or their hashed sparse matrix when ``n_features`` is set."""
        parts = self._parts(statements)
        if self._n_features is None:
            return [self._as_dict(p) for p in parts]
        return self._as_matrix(parts, self._n_features)

    def named_features(self, statements: Sequence[Statement]) -> list[dict[str, float]]:
        """Feature dicts whatever ``n_features`` is: names, for reading a model."""
        return [self._as_dict(p) for p in self._parts(statements)]

    def feature_columns(self, names: Iterable[str]) -> list[int]:
        """The hashed column of each feature name (needs ``n_features``)."""
        if self._n_features is None:
            raise ValueError("feature_columns needs n_features")
        return [hashed_column(name, self._n_features) for name in names]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _parts(self, statements: Sequence[Statement]) -> list[_Parts]:
        check_is_fitted(self, "lexicons_")
        # each statement's words are tokenised and stemmed once, then shared with
        # its neighbours' features
        words = {(s.article_id, s.index): _words(s) for s in statements}
        cues = {key: cue_features(_cue_text(s)) for key, s in zip(words, statements, strict=True)}
        index = _lexicon_index(self.lexicons_)
        lexicon_hits = {key: _lexicon_hits(ws.stems, index) for key, ws in words.items()}
        return [self._statement_parts(s, words, cues, lexicon_hits, index) for s in statements]

    def _statement_parts(
        self,
        s: Statement,
        words: dict[tuple[str, int], _Words],
        cues: dict[tuple[str, int], tuple[str, str]],
        lexicon_hits: dict[tuple[str, int], dict[str, int]],
        index: dict[str, tuple[str, ...]],
    ) -> _Parts:
        out: dict[str, float] = {}
        key = (s.article_id, s.index)
        lemma, cls = cues[key]
        out[f"cue={lemma}"] = 1.0
        out[f"cue_class={cls}"] = 1.0
        out[f"kind={s.kind}"] = 1.0
        out[f"speaker={speaker_type(s)}"] = 1.0
        span = words[key]
        i = bisect_left(span.starts, s.content.start)
        j = bisect_left(span.starts, s.content.end)
        stems = span.stems[i:j]
        self._scopes(span.words[i:j], stems, cls, out)
        for frame, hits in _lexicon_hits(stems, index).items():
            out[f"lexicon={frame}"] = float(hits)
        if _QUOTE_MARKS.search(s.span.text):  # no mark, no quotation: most statements
            out["has_quote"] = 1.0
            quoted = sum(len(q) for q in _QUOTED.findall(s.span.text))
            if quoted:
                out["quoted_share"] = round(quoted / max(1, len(s.span.text)), 3)
        if self.neighbours:
            for offset, side in ((-1, "prev"), (1, "next")):
                other = (s.article_id, s.index + offset)
                if other not in words:
                    out[f"{side}_cue={'start' if offset < 0 else 'end'}"] = 1.0
                    continue
                out[f"{side}_cue={cues[other][1]}"] = 1.0
                for frame, hits in lexicon_hits[other].items():
                    out[f"{side}_lexicon={frame}"] = float(hits)
        chars = " ".join(span.words[i:j]) if self.char_ngrams else None
        # the whole sentence too: the cue verb and its subject's wording carry frames
        return _Parts(out, stems, span.stems, chars)

    def _as_dict(self, parts: _Parts) -> dict[str, float]:
        out = dict(parts.named)
        _count_elements(out, map("w=".__add__, parts.content))
        for n in range(2, self.ngram_max + 1):
            _count_elements(out, map("w=".__add__, map(" ".join, _grams(parts.content, n))))
        _count_elements(out, map("s=".__add__, parts.sentence))
        if parts.chars is not None:
            _count_elements(out, _char_grams(parts.chars))
        return out

    def _as_matrix(self, parts: Sequence[_Parts], n_features: int) -> Any:
        import numpy as np
        import scipy.sparse as sp

        cache = _column_cache(n_features)
        words, grams, sentence, named = cache.words, cache.grams, cache.sentence, cache.named
        columns: list[int] = []
        values: list[float] = []
        indptr = [0]
        for p in parts:
            columns += _columns(named, p.named, "", n_features)
            values += p.named.values()
            start = len(columns)
            columns += _columns(words, p.content, "w=", n_features)
            for n in range(2, self.ngram_max + 1):
                columns += _columns(grams, list(_grams(p.content, n)), "w=", n_features)
            columns += _columns(sentence, p.sentence, "s=", n_features)
            if p.chars is not None:
                columns += _columns(named, list(_char_grams(p.chars)), "", n_features)
            values += repeat(1.0, len(columns) - start)
            indptr.append(len(columns))
        matrix = sp.csr_matrix(
            (
                np.array(values, dtype=np.float64),
                np.array(columns, dtype=np.int32),
                np.array(indptr, dtype=np.int32),
            ),
            shape=(len(parts), n_features),
        )
        matrix.sum_duplicates()  # counts, and sorted columns, as FeatureHasher's
        return matrix

    def _scopes(
        self, words: list[str], stems: list[str], cue_class: str, out: dict[str, float]
    ) -> None:
        # negation and denial scope: the words right after a negator are marked, so
        # "did not condemn" differs from "condemned" (codebook: denials).
        if cue_class == "deny":
            out["denial"] = 1.0
        if _SCOPE_OPENERS.isdisjoint(words):
            return
        scope = 0
        for word, st in zip(words, stems, strict=True):
            if word in NEGATORS or word in DENIAL_WORDS:
                out["negation"] = out.get("negation", 0.0) + 1.0
                scope = self.negation_window
                continue
            if scope:
                key = f"neg={st}"
                out[key] = out.get(key, 0.0) + 1.0
                scope -= 1


def _grams(stems: list[str], n: int) -> Iterator[tuple[str, ...]]:
    return zip(*(stems[k:] for k in range(n)), strict=False)


def _char_grams(lowered: str) -> Iterator[str]:
    for n in (3, 4, 5):
        for k in range(len(lowered) - n + 1):
            yield f"c={lowered[k : k + n]}"


# ---------------------------------------------------------------- hashed columns


def hashed_column(name: str, n_features: int) -> int:
    """The column ``FeatureHasher(n_features, alternate_sign=False)`` gives ``name``.

    Its signed 32-bit MurmurHash3 of the UTF-8 name, seed 0, folded the same way
    (tests check it against FeatureHasher itself).
    """
    from sklearn.utils import murmurhash3_32

    h = int(murmurhash3_32(name, seed=0))
    if h == -(2**31):  # abs() would overflow in FeatureHasher's C code: its own rule
        return (2**31 - 1 - (n_features - 1)) % n_features
    return abs(h) % n_features


class _ColumnCache(NamedTuple):
    """Columns already hashed, by what they are made from (no name built on a hit)."""

    words: dict[Any, int]  # stem -> column of "w=" + stem
    grams: dict[Any, int]  # stems tuple -> column of "w=" + " ".join(stems)
    sentence: dict[Any, int]  # stem -> column of "s=" + stem
    named: dict[Any, int]  # any other name -> its column


_CACHES: dict[int, _ColumnCache] = {}
_CACHE_LIMIT = 1_000_000


def _column_cache(n_features: int) -> _ColumnCache:
    cache = _CACHES.get(n_features)
    if cache is None:
        cache = _CACHES[n_features] = _ColumnCache({}, {}, {}, {})
    return cache


def _columns(cache: dict[Any, int], keys: Iterable[Any], prefix: str, n_features: int) -> list[int]:
    """Columns of ``keys`` (stems, stem tuples or names), hashing only the new ones."""
    keys = keys if isinstance(keys, list) else list(keys)
    found = list(map(cache.get, keys))
    if None not in found:
        return cast(list[int], found)
    if len(cache) > _CACHE_LIMIT:  # bounded memory on endless vocabularies
        cache.clear()
    for k, (key, column) in enumerate(zip(keys, found, strict=True)):
        if column is None:
            name = prefix + (key if isinstance(key, str) else " ".join(key))
            found[k] = cache[key] = hashed_column(name, n_features)
    return cast(list[int], found)


def _cue_text(s: Statement) -> str | None:
    return s.cue.text if s.cue else None
