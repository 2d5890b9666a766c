"""Model files: ``model.skops`` (allow-listed types only), ``meta.json``, ``card.md``,
and ``scorer.npz``.

Loading never executes a foreign object: skops reports every type a file would
create that it does not trust by default, and we accept only the project's own
classes and the scikit-learn/numpy types our pipeline is made of. Anything else
is refused by name, before anything is built.

``scorer.npz`` is the model's arithmetic as plain arrays (:mod:`stance.scorer`),
written beside ``model.skops``. When meta.json's digests show both files are the
ones saved together, scoring uses it and never imports scikit-learn; otherwise the
skops file is loaded as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

from stance.errors import ModelError
from stance.model import FrameModel
from stance.scorer import LinearScorer

log = logging.getLogger(__name__)

# Types a stance model file may contain beyond those skops trusts by default.
ALLOWED_TYPES = frozenset(
    {
        "stance.features.StatementFeaturizer",
        "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.feature_extraction._hash.FeatureHasher",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.svm._classes.LinearSVC",
        "sklearn.pipeline.Pipeline",
        "sklearn.utils._bunch.Bunch",
        "builtins.frozenset",
        "builtins.set",
        "numpy.float64",
        "numpy.int64",
        "numpy.dtype",
        "numpy.ndarray",
        "scipy.sparse._csr.csr_matrix",
        "sklearn.model_selection._split.GroupKFold",
        "sklearn.utils._metadata_requests.MetadataRequest",
    }
)

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
CARD_FILE = "card.md"
SCORER_FILE = "scorer.npz"
REPO_MODELS = Path(__file__).resolve().parent.parent / "models"
DEFAULT_NAME = "frames-default"


def save_model(model: FrameModel, directory: str | Path, *, card: str | None = None) -> Path:
    """Write ``model.skops``, ``meta.json``, ``scorer.npz`` (when the model has the
    default shape) and ``card.md`` (when given) into ``directory``."""
    import skops.io as sio

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{MODEL_FILE}.tmp"
    sio.dump(model.estimator, tmp, compression=zipfile.ZIP_DEFLATED)
    os.replace(tmp, directory / MODEL_FILE)
    meta = {
        **model.meta,
        "id": model.model_id,
        "labels": model.labels,
        "thresholds": model.thresholds,
    }
    meta.pop("files", None)
    scorer = model.scorer or LinearScorer.from_estimator(model.estimator)
    (directory / SCORER_FILE).unlink(missing_ok=True)
    if scorer is not None:
        tmp = directory / f".{SCORER_FILE}.tmp"
        scorer.save(tmp)
        os.replace(tmp, directory / SCORER_FILE)
        meta["files"] = {name: _sha256(directory / name) for name in (MODEL_FILE, SCORER_FILE)}
    (directory / META_FILE).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if card is not None:
        (directory / CARD_FILE).write_text(card, encoding="utf-8")
    return directory


def default_model_dir() -> Path:
    """Where the library looks for a model when none is given: $STANCE_MODEL, else the
    bundled ``models/frames-default``."""
    env = os.environ.get("STANCE_MODEL")
    return Path(env) if env else REPO_MODELS / DEFAULT_NAME


def load_model(path: str | Path | None = None) -> FrameModel:
    """Load a model directory (or its ``model.skops``); None means the default model.

    Raises
    ------
    ModelError
        When the directory or its files are missing, unreadable, or the file holds
        a type outside the allow-list (a tampered or foreign file).
    """
    directory = Path(path) if path is not None else default_model_dir()
    if directory.is_file():
        directory = directory.parent
    model_file, meta_file = directory / MODEL_FILE, directory / META_FILE
    if not model_file.exists():
        hint = "run `make model` (or `stance train corpus --out DIR`) to build one"
        raise ModelError(f"{model_file}: no model file; {hint}")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{meta_file}: missing; the model directory is incomplete") from None
    except json.JSONDecodeError as err:
        raise ModelError(f"{meta_file}: malformed JSON ({err.msg})") from None
    model_id = str(meta.get("id", directory.name))
    thresholds = {k: float(v) for k, v in meta.get("thresholds", {}).items()}
    scorer = _matching_scorer(directory, meta)
    if scorer is not None:  # the estimator loads only if something asks for it
        return FrameModel(None, model_id, thresholds, meta, scorer, estimator_file=model_file)
    return FrameModel(load_estimator(model_file), model_id, thresholds, meta)


def _matching_scorer(directory: Path, meta: dict[str, Any]) -> LinearScorer | None:
    """``scorer.npz`` when meta.json vouches for it and for ``model.skops``, else None."""
    digests = meta.get("files")
    scorer_file = directory / SCORER_FILE
    if not isinstance(digests, dict) or not scorer_file.exists():
        return None
    try:
        if any(digests.get(n) != _sha256(directory / n) for n in (MODEL_FILE, SCORER_FILE)):
            log.warning("%s: does not match meta.json; loading %s instead", scorer_file, MODEL_FILE)
            return None
        scorer = LinearScorer.load(scorer_file)
    except (OSError, ValueError, KeyError) as err:
        log.warning("%s: unreadable (%s); loading %s instead", scorer_file, err, MODEL_FILE)
        return None
    if list(scorer.labels) != meta.get("labels"):
        return None
    return scorer


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_estimator(model_file: Path) -> Any:
    """The estimator in a skops file, refusing any type outside ALLOWED_TYPES."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=model_file)
    except Exception as err:  # a corrupt zip, not a skops file, ...
        raise ModelError(f"{model_file}: not a readable skops model file ({err})") from None
    refused = sorted(set(untrusted) - ALLOWED_TYPES)
    if refused:
        raise ModelError(
            f"{model_file}: refused to load: it contains types outside the allow-list "
            f"({', '.join(refused)}); only stance models trained by `stance train` load"
        )
    try:
        estimator = sio.load(model_file, trusted=list(untrusted))
    except Exception as err:
        raise ModelError(f"{model_file}: could not be loaded ({err})") from None
    if not _is_frame_estimator(estimator):
        raise ModelError(
            f"{model_file}: refused: it holds a {type(estimator).__module__}."
            f"{type(estimator).__name__}, not a stance framing model"
        )
    return estimator


def _is_frame_estimator(estimator: Any) -> bool:
    """A calibrated classifier over a pipeline that starts with our featurizer."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import Pipeline

    from stance.features import StatementFeaturizer

    if not isinstance(estimator, CalibratedClassifierCV):
        return False
    fitted = getattr(estimator, "calibrated_classifiers_", None)
    if not fitted:
        return False
    pipeline = fitted[0].estimator
    return isinstance(pipeline, Pipeline) and isinstance(pipeline.steps[0][1], StatementFeaturizer)
