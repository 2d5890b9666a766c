"""Baselines the shipped model must beat, measured on the same split (model card)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.featurize import _TOKEN, stem, stemmed_lexicons
from stance.model import majority_labels
from stance.types import Framing, Statement


def keyword_rule(statements: Sequence[Statement]) -> list[str]:
    """The frame whose signal lexicon has the most hits in the content; none -> neutral."""
    lexicons = stemmed_lexicons()
    out = []
    for s in statements:
        stems = [stem(w.lower()) for w in _TOKEN.findall(s.content.text)]
        hits = {f: sum(st in lex for st in stems) for f, lex in lexicons.items()}
        frame, best = max(hits.items(), key=lambda kv: kv[1])
        out.append(frame if best > 0 else "neutral")
    return out


def content_tfidf_lr(train: Sequence[Statement], train_y: Sequence[str], seed: int = 0) -> Any:
    """TF-IDF of the content words + logistic regression, nothing else."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced", random_state=seed),
    )
    pipeline.fit([s.content.text for s in train], list(train_y))
    return pipeline


class Baselines:
    """The baselines, fitted once on the training split, for any number of splits."""

    def __init__(
        self, train: Sequence[Statement], train_framings: Sequence[Framing], *, seed: int = 0
    ) -> None:
        self.train_framings = list(train_framings)
        self.tfidf = content_tfidf_lr(train, [f.primary for f in train_framings], seed)

    def predict(self, evaluated: Sequence[Statement]) -> dict[str, list[str]]:
        """Predictions of every baseline for ``evaluated``."""
        return {
            "majority class": majority_labels(self.train_framings, len(evaluated)),
            "keyword lexicon rule": keyword_rule(evaluated),
            "TF-IDF + logistic regression (content only)": [
                str(p) for p in self.tfidf.predict([s.content.text for s in evaluated])
            ],
        }
