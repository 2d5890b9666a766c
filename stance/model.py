"""The framing classifier: a calibrated linear model over statement features.

Primary frame = the most probable of the four; secondary frames = any other
non-neutral frame whose probability clears its own threshold (tuned on dev).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stance.scorer import LinearScorer
from stance.types import FRAMES, Frame, FramePrediction, Framing, Statement

SECONDARY_FRAMES: tuple[Frame, ...] = ("cooperation", "blame", "nationalism")
HASH_FEATURES = 2**18
DEFAULT_GRID: dict[str, list[Any]] = {
    "linearsvc__C": [0.1, 0.3, 1.0],
    "statementfeaturizer__ngram_max": [1, 2],
}


def make_pipeline(
    *, c: float = 0.3, ngram_max: int = 2, char_ngrams: bool = False, seed: int = 0
) -> Any:
    """Featurizer (hashed) -> TF-IDF -> linear SVM (calibrated by the caller).

    The featurizer hashes its features itself, cell for cell what ``FeatureHasher``
    would make of its dicts but without building a name per word, and the model file
    needs no vocabulary (DictVectorizer's was the slowest step of scoring).

    A linear SVM fits the sparse n-gram space as well as logistic regression here
    (model card) in a tenth of the time, which keeps a full training run under a minute.
    """
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.pipeline import make_pipeline as sk_pipeline
    from sklearn.svm import LinearSVC

    from stance.features import StatementFeaturizer

    return sk_pipeline(
        StatementFeaturizer(ngram_max=ngram_max, char_ngrams=char_ngrams, n_features=HASH_FEATURES),
        TfidfTransformer(sublinear_tf=True),
        LinearSVC(C=c, class_weight="balanced", random_state=seed),
    )


def group_splits(groups: Sequence[str], n_splits: int = 5) -> list[tuple[Any, Any]]:
    """Cross-validation folds that keep every article's statements together."""
    from sklearn.model_selection import GroupKFold

    n = min(n_splits, len(set(groups)))
    dummy = np.zeros(len(groups))
    return list(GroupKFold(n_splits=n).split(dummy, groups=list(groups)))


@dataclass
class FrameModel:
    """A trained framing model: the calibrated estimator plus labels and thresholds.

    ``scorer``, when there is one, does the estimator's arithmetic without
    scikit-learn; a model loaded for scoring (``estimator=None``) then reads its
    estimator from ``estimator_file`` only when something asks for it.
    """

    estimator: Any = field(repr=False)  # a property, set up below the class
    model_id: str
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    scorer: LinearScorer | None = field(default=None, repr=False)
    estimator_file: Path | None = None

    @property
    def labels(self) -> list[str]:
        if self.scorer is not None:
            return list(self.scorer.labels)
        return [str(c) for c in self.estimator.classes_]

    def predict_proba(self, statements: Sequence[Statement]) -> np.ndarray:
        """Probabilities (rows: statements; columns: ``labels``), in one batch."""
        if not statements:
            return np.zeros((0, len(self.labels)))
        if self.scorer is not None:
            return self.scorer.predict_proba(statements)
        return np.asarray(self.estimator.predict_proba(list(statements)))

    def predict(self, statements: Sequence[Statement]) -> list[FramePrediction]:
        """Frames for a batch of statements (one call to the classifier for all of them).

        Examples
        --------
        >>> from stance import extract_statements, load_model
        >>> model = load_model()
        >>> [p.primary for p in model.predict(extract_statements(
        ...     "The two ministers signed a friendship treaty and praised their partnership."))]
        ['cooperation']
        """
        probabilities = self.predict_proba(statements)
        labels = self.labels
        cuts = [(f, self.thresholds.get(f, 1.01)) for f in SECONDARY_FRAMES if f in labels]
        out = []
        # plain floats from one tolist(): numpy scalars cost more than the arithmetic
        for row, best in zip(
            probabilities.tolist(), probabilities.argmax(axis=1).tolist(), strict=True
        ):
            scores = dict(zip(labels, [round(p, 4) for p in row], strict=True))
            primary = labels[best]
            secondary = tuple(f for f, cut in cuts if f != primary and scores[f] >= cut)
            out.append(FramePrediction(primary, secondary, scores))
        return out


def _load_estimator(self: FrameModel) -> Any:
    if self.__dict__.get("_estimator") is None and self.estimator_file is not None:
        from stance.persist import load_estimator

        self.__dict__["_estimator"] = load_estimator(self.estimator_file)
    return self.__dict__.get("_estimator")


def _set_estimator(self: FrameModel, value: Any) -> None:
    self.__dict__["_estimator"] = value


# the dataclass __init__ assigns through the setter; reading loads on first use
FrameModel.estimator = property(
    _load_estimator, _set_estimator, doc="The scikit-learn estimator (loaded on first use)."
)


def tune_thresholds(
    probabilities: np.ndarray,
    labels: Sequence[str],
    primaries: Sequence[str],
    gold: Sequence[Framing],
) -> dict[str, float]:
    """Per-frame secondary thresholds maximising that frame's F1 on held-out statements."""
    thresholds: dict[str, float] = {}
    for frame in SECONDARY_FRAMES:
        if frame not in labels:
            continue
        column = probabilities[:, list(labels).index(frame)]
        truth = np.array([frame in g.secondary for g in gold])
        eligible = np.array([p != frame for p in primaries])
        best = (0.0, 0.5)
        for t in np.arange(0.05, 0.95, 0.025):
            guess = (column >= t) & eligible
            tp = int((guess & truth).sum())
            fp = int((guess & ~truth).sum())
            fn = int((~guess & truth).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best[0]:
                best = (f1, float(round(t, 3)))
        thresholds[frame] = best[1]
    return thresholds


@dataclass
class TrainReport:
    """What training found: the chosen parameters and the cross-validation scores."""

    best_params: dict[str, Any]
    cv_macro_f1: float
    cv_results: list[dict[str, Any]]
    seconds: float


def fit_frame_model(
    statements: Sequence[Statement],
    framings: Sequence[Framing],
    *,
    dev: tuple[Sequence[Statement], Sequence[Framing]] | None = None,
    seed: int = 0,
    grid: dict[str, list[Any]] | None = None,
    model_id: str = "frames",
) -> tuple[FrameModel, TrainReport]:
    """Train: grouped grid search, then a calibrated model, then dev-tuned thresholds.

    Statements are grouped by article in every cross-validation split, so no
    article is on both sides of a fold. A fixed ``seed`` gives the same model.
    """
    from sklearn.calibration import CalibratedClassifierCV

    started = time.perf_counter()
    x = list(statements)
    y = np.array([f.primary for f in framings])
    groups = [s.article_id for s in x]
    folds = group_splits(groups)
    results = grid_search(x, y, folds, grid or DEFAULT_GRID, seed=seed)
    best_result = max(results, key=lambda r: r["mean_f1"])  # the first of equals, as sklearn
    best = dict(best_result["params"])
    base = make_pipeline(seed=seed)
    base.set_params(**best)
    calibrated = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)
    calibrated.fit(x, y)
    model = FrameModel(
        calibrated, model_id=model_id, scorer=LinearScorer.from_estimator(calibrated)
    )
    if dev is not None and len(dev[0]):
        probabilities = model.predict_proba(dev[0])
        primaries = [model.labels[i] for i in probabilities.argmax(axis=1)]
        model.thresholds = tune_thresholds(probabilities, model.labels, primaries, dev[1])
    else:
        model.thresholds = {f: 0.35 for f in SECONDARY_FRAMES}
    rounded = [
        {"params": r["params"], "mean_f1": round(r["mean_f1"], 4), "std_f1": round(r["std_f1"], 4)}
        for r in results
    ]
    report = TrainReport(
        best,
        round(best_result["mean_f1"], 4),
        rounded,
        round(time.perf_counter() - started, 2),
    )
    return model, report


_FEATURIZER = "statementfeaturizer__"


def grid_search(
    statements: Sequence[Statement],
    y: np.ndarray,
    folds: list[tuple[Any, Any]],
    grid: dict[str, list[Any]],
    *,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Macro-F1 over ``folds`` for every point of ``grid``, in ``ParameterGrid`` order.

    The same as ``GridSearchCV`` over the whole pipeline, but statements are
    featurized once per featurizer setting, not once per fit: featurizing needs no
    training data (folds keep articles whole, so neighbours are the same either way)
    and was most of a training run.
    """
    from sklearn.model_selection import GridSearchCV, ParameterGrid

    by_params: dict[str, dict[str, Any]] = {}
    featurizer_grid = {k: v for k, v in grid.items() if k.startswith(_FEATURIZER)}
    rest = {k: v for k, v in grid.items() if not k.startswith(_FEATURIZER)}
    for setting in ParameterGrid(featurizer_grid):
        pipeline = make_pipeline(seed=seed)
        pipeline.set_params(**setting)
        features = pipeline[0].fit(statements).transform(statements)
        search = GridSearchCV(pipeline[1:], rest, cv=folds, scoring="f1_macro", refit=False)
        search.fit(features, y)
        for params, mean, std in zip(
            search.cv_results_["params"],
            search.cv_results_["mean_test_score"],
            search.cv_results_["std_test_score"],
            strict=True,
        ):
            merged = {**params, **setting}
            by_params[repr(sorted(merged.items()))] = {
                "params": merged,
                "mean_f1": float(mean),
                "std_f1": float(std),
            }
    return [by_params[repr(sorted(p.items()))] for p in ParameterGrid(grid)]


def majority_labels(train: Sequence[Framing], n: int) -> list[str]:
    """Baseline: the most frequent training frame for every statement."""
    counts: dict[str, int] = {}
    for f in train:
        counts[f.primary] = counts.get(f.primary, 0) + 1
    top = max(FRAMES, key=lambda f: counts.get(f, 0))
    return [top] * n
