"""Statement features: what a linguist would look at to tell frames apart.

Stemmed word n-grams of the content, the cue's lemma and class, the kind, the
speaker type, negation and denial scope, the share of quoted text, frame-lexicon
counts, and the neighbouring statements' cue classes; as named feature dicts, or
as the hashed sparse matrix ``FeatureHasher`` would make of them.

Plain functions over :class:`FeatureSettings`, importing no scikit-learn (which
costs seconds per process): scoring needs only these and numpy.
:class:`stance.features.StatementFeaturizer` is the scikit-learn transformer over them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import is_
from typing import Any, NamedTuple, cast

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
    # most words are in no lexicon: drop their misses before flattening the frames
    _count_elements(hits, chain.from_iterable(filter(None, map(index.get, stems))))
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


@dataclass(frozen=True)
class FeatureSettings:
    """What to extract (the transformer's parameters but ``n_features``)."""

    ngram_max: int = 2
    char_ngrams: bool = False
    neighbours: bool = True
    negation_window: int = 4


class Parts(NamedTuple):
    """One statement's features before they are named or hashed.

    ``named`` holds the few features named per statement; the many word features
    stay as stems, so the hashed path looks their columns up by stem instead of
    building and hashing a name for each.
    """

    named: dict[str, float]
    content: list[str]  # content stems: the ``w=`` n-grams
    sentence: list[str]  # the whole span's stems: ``s=`` unigrams
    chars: str | None  # the content's words, for character n-grams


def feature_parts(
    statements: Sequence[Statement],
    settings: FeatureSettings,
    lexicons: dict[str, frozenset[str]],
) -> list[Parts]:
    """The features of each statement of a batch (neighbours: same article, index +-1)."""
    # each statement's words are tokenised and stemmed once, then shared with
    # its neighbours' features
    words = {(s.article_id, s.index): _words(s) for s in statements}
    cues = {key: cue_features(_cue_text(s)) for key, s in zip(words, statements, strict=True)}
    index = _lexicon_index(lexicons)
    lexicon_hits = {key: _lexicon_hits(ws.stems, index) for key, ws in words.items()}
    return [_statement_parts(s, settings, words, cues, lexicon_hits, index) for s in statements]


def _statement_parts(
    s: Statement,
    settings: FeatureSettings,
    words: dict[tuple[str, int], _Words],
    cues: dict[tuple[str, int], tuple[str, str]],
    lexicon_hits: dict[tuple[str, int], dict[str, int]],
    index: dict[str, tuple[str, ...]],
) -> Parts:
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
    _scopes(span.words[i:j], stems, cls, settings.negation_window, out)
    for frame, hits in _lexicon_hits(stems, index).items():
        out[f"lexicon={frame}"] = float(hits)
    if _QUOTE_MARKS.search(s.span.text):  # no mark, no quotation: most statements
        out["has_quote"] = 1.0
        quoted = sum(len(q) for q in _QUOTED.findall(s.span.text))
        if quoted:
            out["quoted_share"] = round(quoted / max(1, len(s.span.text)), 3)
    if settings.neighbours:
        for offset, side in ((-1, "prev"), (1, "next")):
            other = (s.article_id, s.index + offset)
            if other not in words:
                out[f"{side}_cue={'start' if offset < 0 else 'end'}"] = 1.0
                continue
            out[f"{side}_cue={cues[other][1]}"] = 1.0
            for frame, hits in lexicon_hits[other].items():
                out[f"{side}_lexicon={frame}"] = float(hits)
    chars = " ".join(span.words[i:j]) if settings.char_ngrams else None
    # the whole sentence too: the cue verb and its subject's wording carry frames
    return Parts(out, stems, span.stems, chars)


def _scopes(
    words: list[str], stems: list[str], cue_class: str, window: int, out: dict[str, float]
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
            scope = window
            continue
        if scope:
            key = f"neg={st}"
            out[key] = out.get(key, 0.0) + 1.0
            scope -= 1


def named_features(parts: Parts, settings: FeatureSettings) -> dict[str, float]:
    """One statement's features by name (for ``DictVectorizer``, and for reading a model)."""
    out = dict(parts.named)
    _count_elements(out, map("w=".__add__, parts.content))
    for n in range(2, settings.ngram_max + 1):
        _count_elements(out, map("w=".__add__, map(" ".join, _grams(parts.content, n))))
    _count_elements(out, map("s=".__add__, parts.sentence))
    if parts.chars is not None:
        _count_elements(out, _char_grams(parts.chars))
    return out


def hashed_features(parts: Sequence[Parts], settings: FeatureSettings, n_features: int) -> Any:
    """The CSR matrix ``FeatureHasher(n_features, alternate_sign=False)`` makes of the
    statements' named features, cell for cell.

    Word columns are cached by stem (no name built on a hit) and looked up for the
    whole batch at once; each row keeps its entries in the same order as one built
    row by row, so duplicate cells add up in the same order.
    """
    import numpy as np
    import scipy.sparse as sp

    cache = _column_cache(n_features)
    named = [p.named for p in parts]
    # per group: the columns of all statements' entries, and each statement's count
    groups = [
        (_columns(cache.named, _flat(named), "", n_features), [len(d) for d in named]),
        _group(cache.words, [p.content for p in parts], "w=", n_features),
    ]
    for n in range(2, settings.ngram_max + 1):
        grams = [list(_grams(p.content, n)) for p in parts]
        groups.append(_group(cache.grams, grams, "w=", n_features))
    groups.append(_group(cache.sentence, [p.sentence for p in parts], "s=", n_features))
    if settings.char_ngrams:
        chars = [list(_char_grams(p.chars or "")) for p in parts]
        groups.append(_group(cache.named, chars, "", n_features))
    statements = np.arange(len(parts))
    rows = np.concatenate([np.repeat(statements, counts) for _, counts in groups])
    columns = np.concatenate([np.array(found, dtype=np.int32) for found, _ in groups])
    named_values = list(chain.from_iterable(d.values() for d in named))
    values = np.ones(len(columns))
    values[: len(named_values)] = named_values
    matrix = sp.coo_matrix((values, (rows, columns)), shape=(len(parts), n_features)).tocsr()
    matrix.sum_duplicates()  # tocsr keeps each row's order: cells add up as FeatureHasher's
    return matrix


def _group(
    cache: dict[Any, int], keys: list[list[Any]], prefix: str, n_features: int
) -> tuple[list[int], list[int]]:
    return _columns(cache, _flat(keys), prefix, n_features), [len(k) for k in keys]


def _flat(lists: Iterable[Iterable[Any]]) -> list[Any]:
    return list(chain.from_iterable(lists))


def _grams(stems: list[str], n: int) -> Iterator[tuple[str, ...]]:
    if n == 2:  # the default: one slice, no generator
        return zip(stems, stems[1:])  # noqa: B905  (the second is one shorter)
    return zip(*(stems[k:] for k in range(n)), strict=False)


def _char_grams(lowered: str) -> Iterator[str]:
    for n in (3, 4, 5):
        for k in range(len(lowered) - n + 1):
            yield f"c={lowered[k : k + n]}"


# ---------------------------------------------------------------- hashed columns


def hashed_columns(names: Sequence[str], n_features: int) -> list[int]:
    """The columns ``FeatureHasher(n_features, alternate_sign=False)`` gives ``names``:
    their signed 32-bit MurmurHash3 (UTF-8, seed 0), folded the same way."""
    import numpy as np

    h = murmurhash3_32(names).astype(np.int64)
    h[h >= 2**31] -= 2**32
    # abs(-2**31) would overflow in FeatureHasher's C code; this is its own rule for it
    overflow = (2**31 - 1 - (n_features - 1)) % n_features
    return np.where(h == -(2**31), overflow, np.abs(h) % n_features).tolist()


def murmurhash3_32(names: Sequence[str]) -> Any:
    """MurmurHash3 x86 32-bit (seed 0) of each name's UTF-8 bytes, as unsigned ints.

    ``sklearn.utils.murmurhash3_32``, for a batch of names at once in numpy: one pass
    per 4-byte block position over all of them, so new vocabulary costs microseconds
    and scoring needs no scikit-learn import.
    """
    import numpy as np

    joined = "".join(names)
    if joined.isascii():  # one encode for the batch: byte lengths are character lengths
        raw, lengths = joined.encode("ascii"), np.fromiter(map(len, names), np.int64, len(names))
    else:
        data = [name.encode("utf-8") for name in names]
        raw, lengths = b"".join(data), np.fromiter(map(len, data), np.int64, len(data))
    blocks = lengths // 4
    width = int(blocks.max(initial=0)) + 1  # room for the tail block of the longest
    # each name's bytes in a row of 4 * width, zero after its end, read as uint32 blocks
    starts = np.cumsum(lengths) - lengths
    span = np.arange(4 * width)
    buffer = np.frombuffer(raw + bytes(4 * width), dtype=np.uint8)
    matrix = buffer[starts[:, np.newaxis] + span]
    matrix[span >= lengths[:, np.newaxis]] = 0
    words = matrix.view("<u4").astype(np.uint32)  # uint32 arithmetic wraps mod 2**32
    c1, c2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)

    def rotl(x: Any, r: int) -> Any:
        return (x << np.uint32(r)) | (x >> np.uint32(32 - r))

    def mix(k: Any) -> Any:
        return rotl(k * c1, 15) * c2

    h = np.zeros(len(names), dtype=np.uint32)
    for position in range(width - 1):
        stepped = rotl(h ^ mix(words[:, position]), 13) * np.uint32(5) + np.uint32(0xE6546B64)
        h = np.where(blocks > position, stepped, h)
    h ^= mix(words[np.arange(len(names)), blocks])  # the tail's bytes, zero-padded
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


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


def _columns(cache: dict[Any, int], keys: list[Any], prefix: str, n_features: int) -> list[int]:
    """Columns of ``keys`` (stems, stem tuples or names), hashing only the new ones."""
    if len(cache) > _CACHE_LIMIT:  # bounded memory on endless vocabularies
        cache.clear()
    found = list(map(cache.get, keys))
    if None not in found:
        return cast(list[int], found)
    missing = list(dict.fromkeys(compress(keys, map(is_, found, repeat(None)))))
    names = [prefix + (key if isinstance(key, str) else " ".join(key)) for key in missing]
    cache.update(zip(missing, hashed_columns(names, n_features), strict=True))
    return list(map(cache.__getitem__, keys))


def _cue_text(s: Statement) -> str | None:
    return s.cue.text if s.cue else None
