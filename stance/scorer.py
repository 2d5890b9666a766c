"""The default model's arithmetic in numpy alone, for scoring.

Importing scikit-learn and loading a skops file take 3-4 s per process (scipy.stats,
pandas and every estimator module come with them): more than scoring a thousand
articles, paid again by every worker. A trained model of the default shape (hashed
featurizer -> TF-IDF -> linear SVM -> sigmoid calibration) is a few arrays, so
:class:`LinearScorer` keeps those arrays and does what those estimators' predict
methods do, operation for operation. ``model.skops`` stays the model; this is a
derived copy (``scorer.npz``, no pickles) that ``load_model`` checks against it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stance.featurize import FeatureSettings, feature_parts, hashed_features
from stance.types import Statement

FORMAT = "stance-linear-scorer/1"


@dataclass(frozen=True)
class LinearScorer:
    """Probabilities per frame from hashed features, TF-IDF, linear scores and sigmoids."""

    labels: tuple[str, ...]
    settings: FeatureSettings
    n_features: int
    lexicons: dict[str, frozenset[str]]
    sublinear_tf: bool
    idf: np.ndarray | None  # (n_features,)
    norm: str | None
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    sigmoid: np.ndarray  # (n_labels, 2): a, b of each label's calibrator

    @classmethod
    def from_estimator(cls, estimator: Any) -> LinearScorer | None:
        """The scorer of a trained ``fit_frame_model`` estimator; None for any other shape."""
        fitted = getattr(estimator, "calibrated_classifiers_", None)
        if not fitted or len(fitted) != 1 or fitted[0].method != "sigmoid":
            return None
        calibrated = fitted[0]
        steps = [type(step).__name__ for _, step in getattr(calibrated.estimator, "steps", [])]
        if steps != ["StatementFeaturizer", "TfidfTransformer", "LinearSVC"]:
            return None
        featurizer, tfidf, svm = (step for _, step in calibrated.estimator.steps)
        labels = tuple(str(c) for c in estimator.classes_)
        if (
            featurizer.hashed_width is None
            or len(labels) < 3  # binary calibration differs
            or tuple(str(c) for c in svm.classes_) != labels
            or tuple(str(c) for c in calibrated.classes) != labels
        ):
            return None
        return cls(
            labels=labels,
            settings=featurizer.settings,
            n_features=int(featurizer.hashed_width),
            lexicons=dict(featurizer.lexicons_),
            sublinear_tf=bool(tfidf.sublinear_tf),
            idf=np.asarray(tfidf.idf_, dtype=np.float64) if tfidf.use_idf else None,
            norm=tfidf.norm,
            coef=np.ascontiguousarray(svm.coef_, dtype=np.float64),
            intercept=np.asarray(svm.intercept_, dtype=np.float64),
            sigmoid=np.array([[c.a_, c.b_] for c in calibrated.calibrators], dtype=np.float64),
        )

    def predict_proba(self, statements: Sequence[Statement]) -> np.ndarray:
        """Rows: statements; columns: ``labels``. What the estimator's predict_proba gives."""
        return self._calibrated(self._decision(self._tfidf(self.features(statements))))

    def features(self, statements: Sequence[Statement]) -> Any:
        """The hashed feature matrix of a batch (the featurizer step of the pipeline)."""
        parts = feature_parts(statements, self.settings, self.lexicons)
        return hashed_features(parts, self.settings, self.n_features)

    def _tfidf(self, x: Any) -> Any:
        # TfidfTransformer.transform: log-scaled counts, times idf, rows to unit length
        if self.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        if self.idf is not None:
            x.data *= self.idf[x.indices]
        if self.norm == "l2":
            _normalize_rows_l2(x)
        elif self.norm is not None:
            raise ValueError(f"unsupported TF-IDF norm {self.norm!r}")
        return x

    def _decision(self, x: Any) -> np.ndarray:
        # LinearSVC.decision_function
        return np.asarray(x @ self.coef.T) + self.intercept

    def _calibrated(self, decision: np.ndarray) -> np.ndarray:
        # _CalibratedClassifier.predict_proba, sigmoid, more than two classes
        from scipy.special import expit

        proba = np.zeros(decision.shape)
        for k, (a, b) in enumerate(self.sigmoid.tolist()):
            proba[:, k] = expit(-(a * decision[:, k] + b))
        denominator = np.sum(proba, axis=1)[:, np.newaxis]
        uniform = np.full_like(proba, 1 / len(self.labels))
        proba = np.divide(proba, denominator, out=uniform, where=denominator != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def save(self, path: str | Path) -> None:
        """Write the arrays and settings as one ``.npz`` (no pickled objects)."""
        header = {
            "format": FORMAT,
            "labels": list(self.labels),
            "settings": vars(self.settings),
            "n_features": self.n_features,
            "lexicons": {frame: sorted(stems) for frame, stems in self.lexicons.items()},
            "sublinear_tf": self.sublinear_tf,
            "norm": self.norm,
        }
        arrays: dict[str, Any] = {
            "header": np.array(json.dumps(header)),
            "coef": self.coef,
            "intercept": self.intercept,
            "sigmoid": self.sigmoid,
        }
        if self.idf is not None:
            arrays["idf"] = self.idf
        with open(path, "wb") as out:
            np.savez_compressed(out, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> LinearScorer:
        """Read a ``save``d scorer; ValueError when the file is not one."""
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if header.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            scorer = cls(
                labels=tuple(header["labels"]),
                settings=FeatureSettings(**header["settings"]),
                n_features=int(header["n_features"]),
                lexicons={f: frozenset(stems) for f, stems in header["lexicons"].items()},
                sublinear_tf=bool(header["sublinear_tf"]),
                idf=data["idf"] if "idf" in data.files else None,
                norm=header["norm"],
                coef=data["coef"],
                intercept=data["intercept"],
                sigmoid=data["sigmoid"],
            )
        n_labels = len(scorer.labels)
        if (
            scorer.coef.shape != (n_labels, scorer.n_features)
            or scorer.intercept.shape != (n_labels,)
            or scorer.sigmoid.shape != (n_labels, 2)
            or (scorer.idf is not None and scorer.idf.shape != (scorer.n_features,))
        ):
            raise ValueError("array shapes do not fit the labels and n_features")
        return scorer


def _normalize_rows_l2(x: Any) -> None:
    """Each CSR row divided by its Euclidean norm, in place; empty rows left alone.

    The squares are added in each row's own order, one position of all rows at a
    time, so every norm is the one scikit-learn's sequential C loop computes, to the
    last bit (a vectorised sum would add in another order).
    """
    lengths = np.diff(x.indptr)
    starts = x.indptr[:-1]
    squares = x.data * x.data
    sums = np.zeros(len(lengths))
    for k in range(int(lengths.max(initial=0))):
        rows = np.flatnonzero(lengths > k)
        sums[rows] += squares[starts[rows] + k]
    norms = np.sqrt(sums)
    norms[sums == 0.0] = 1.0
    x.data /= np.repeat(norms, lengths)
