"""The scikit-learn face of the statement features (:mod:`stance.featurize`).

:class:`StatementFeaturizer` is a transformer from a batch of
:class:`~stance.types.Statement` to feature dicts (for ``DictVectorizer``), or
with ``n_features`` to the hashed sparse matrix ``FeatureHasher`` would make of
them; it works in ``Pipeline``, ``clone`` and ``GridSearchCV``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.featurize import (
    FeatureSettings,
    Parts,
    feature_parts,
    hashed_columns,
    hashed_features,
    named_features,
    stemmed_lexicons,
)
from stance.types import Statement


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
        dicts, cell for cell, faster: word columns are cached by stem.

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
        if self.hashed_width is not None and self.hashed_width < 1:
            raise ValueError(f"n_features must be >= 1 or None, got {self.hashed_width}")
        self.lexicons_ = stemmed_lexicons()
        return self

    @property
    def settings(self) -> FeatureSettings:
        """The parameters the feature functions take."""
        return FeatureSettings(
            self.ngram_max, self.char_ngrams, self.neighbours, self.negation_window
        )

    @property
    def hashed_width(self) -> int | None:
        """``n_features`` (model files saved before it existed load without it)."""
        return getattr(self, "n_features", None)

    def transform(self, statements: Sequence[Statement]) -> Any:
        """Feature dicts, or their hashed sparse matrix when ``n_features`` is set."""
        parts = self._parts(statements)
        if self.hashed_width is None:
            return [named_features(p, self.settings) for p in parts]
        return hashed_features(parts, self.settings, self.hashed_width)

    def named_features(self, statements: Sequence[Statement]) -> list[dict[str, float]]:
        """Feature dicts whatever ``n_features`` is: names, for reading a model."""
        return [named_features(p, self.settings) for p in self._parts(statements)]

    def feature_columns(self, names: Iterable[str]) -> list[int]:
        """The hashed column of each feature name (needs ``n_features``)."""
        if self.hashed_width is None:
            raise ValueError("feature_columns needs n_features")
        return hashed_columns(list(names), self.hashed_width)

    def _parts(self, statements: Sequence[Statement]) -> list[Parts]:
        check_is_fitted(self, "lexicons_")
        return feature_parts(statements, self.settings, self.lexicons_)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
