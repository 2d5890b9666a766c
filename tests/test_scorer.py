"""LinearScorer: the model's arithmetic without scikit-learn, and how models load it."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32 as sklearn_murmurhash3_32

from stance.featurize import murmurhash3_32
from stance.persist import META_FILE, MODEL_FILE, SCORER_FILE, load_model
from stance.scorer import LinearScorer, _normalize_rows_l2

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest_plugins = ["helpers_scoring"]

REPO = Path(__file__).resolve().parent.parent


def test_scorer_gives_the_estimators_probabilities_bit_for_bit(tiny_model, train_subset):
    statements = train_subset[0]
    expected = np.asarray(tiny_model.estimator.predict_proba(statements))
    scorer = LinearScorer.from_estimator(tiny_model.estimator)
    assert scorer is not None
    assert np.array_equal(scorer.predict_proba(statements), expected)


def test_bundled_model_scorer_gives_its_estimators_probabilities_bit_for_bit(default_model):
    from stance.corpus import load_corpus

    model = default_model
    assert model.scorer is not None
    statements = [s for a in load_corpus(REPO / "corpus", split="test")[:20] for s in a.statements]
    expected = np.asarray(model.estimator.predict_proba(statements))
    assert np.array_equal(model.predict_proba(statements), expected)


def test_saved_scorer_round_trips_through_its_file(tiny_model, train_subset, tmp_path):
    scorer = LinearScorer.from_estimator(tiny_model.estimator)
    scorer.save(tmp_path / "scorer.npz")
    loaded = LinearScorer.load(tmp_path / "scorer.npz")
    statements = train_subset[0][:100]
    assert loaded.labels == scorer.labels and loaded.settings == scorer.settings
    assert np.array_equal(loaded.predict_proba(statements), scorer.predict_proba(statements))


def test_model_of_another_shape_has_no_scorer(train_subset):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from stance.features import StatementFeaturizer

    statements, framings = train_subset
    pipeline = make_pipeline(StatementFeaturizer(), DictVectorizer(), LogisticRegression())
    pipeline.fit(statements, [f.primary for f in framings])
    assert LinearScorer.from_estimator(pipeline) is None


def test_saved_model_directory_holds_a_scorer_vouched_for_by_meta(tiny_model_dir):
    files = json.loads((tiny_model_dir / META_FILE).read_text(encoding="utf-8"))["files"]
    assert set(files) == {MODEL_FILE, SCORER_FILE}
    model = load_model(tiny_model_dir)
    assert model.scorer is not None


def test_loaded_model_reads_its_estimator_only_when_asked(tiny_model, tiny_model_dir):
    model = load_model(tiny_model_dir)
    assert model.__dict__.get("_estimator") is None
    assert list(model.estimator.classes_) == tiny_model.labels  # loaded now


def test_scorer_that_does_not_match_meta_is_ignored_for_the_skops_file(
    tiny_model, tiny_model_dir, train_subset, tmp_path, caplog
):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    other = LinearScorer.from_estimator(tiny_model.estimator)
    other.coef[:] = 0.0  # a stale scorer would give other probabilities
    other.save(folder / SCORER_FILE)
    with caplog.at_level(logging.WARNING):
        model = load_model(folder)
    assert model.scorer is None and "does not match meta.json" in caplog.text
    statements = train_subset[0][:50]
    assert np.array_equal(model.predict_proba(statements), tiny_model.predict_proba(statements))


def test_scoring_with_the_default_model_never_imports_scikit_learn():
    # importing scikit-learn and reading the skops file cost seconds in every process
    code = (
        "import sys\n"
        "from stance import analyze\n"
        "result = analyze('Lavrov condemned the attacks.')\n"
        "print(result.predictions[0].primary)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'skops', 'pandas'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["blame", "[]"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=30))
def test_murmurhash_is_scikit_learns(texts):
    expected = [sklearn_murmurhash3_32(text, seed=0, positive=True) for text in texts]
    assert murmurhash3_32(texts).tolist() == expected


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.integers(1, 60), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1))
def test_row_normalisation_is_scikit_learns_to_the_last_bit(rows, columns, density, seed):
    matrix = sp.random(rows, columns, density=density, format="csr", random_state=seed)
    matrix.data *= 1e3
    expected = normalize(matrix, norm="l2")
    _normalize_rows_l2(matrix)
    assert np.array_equal(matrix.toarray(), expected.toarray())
