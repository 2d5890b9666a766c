"""FrameModel: one prediction per statement, frames from probabilities, one call per batch."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from stance.articles import make_article
from stance.model import SECONDARY_FRAMES, fit_frame_model, tune_thresholds
from stance.score import score_articles, score_paths
from stance.types import FRAMES, Framing

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import ARTICLES, TINY_GRID  # noqa: E402


@pytest.fixture(scope="module")
def predictions(tiny_model, train_subset):
    statements, _ = train_subset
    return tiny_model.predict(statements[:80])


def test_predict_returns_one_prediction_per_statement(tiny_model, train_subset):
    statements, _ = train_subset
    assert len(tiny_model.predict(statements[:37])) == 37


def test_predict_on_no_statements_returns_no_predictions(tiny_model):
    assert tiny_model.predict([]) == []


def test_scores_cover_the_four_frames(predictions):
    assert all(set(p.scores) == set(FRAMES) for p in predictions)


def test_scores_sum_to_one(predictions):
    for p in predictions:
        assert sum(p.scores.values()) == pytest.approx(1.0, abs=1e-3)


def test_primary_is_the_most_probable_frame(predictions):
    for p in predictions:
        assert p.scores[p.primary] == max(p.scores.values())


def test_predicted_frames_are_the_four_frames(predictions):
    assert {p.primary for p in predictions} <= set(FRAMES)


def test_secondary_never_holds_the_primary_or_neutral(tiny_model, train_subset):
    statements, _ = train_subset
    eager = dataclasses.replace(tiny_model, thresholds=dict.fromkeys(SECONDARY_FRAMES, 0.0))
    predictions = eager.predict(statements[:80])
    assert any(p.secondary for p in predictions)  # every threshold is cleared
    for p in predictions:
        assert p.primary not in p.secondary
        assert "neutral" not in p.secondary


def test_secondary_frame_needs_its_threshold(tiny_model, train_subset):
    statements, _ = train_subset
    strict = dataclasses.replace(tiny_model, thresholds=dict.fromkeys(SECONDARY_FRAMES, 1.0))
    assert not any(p.secondary for p in strict.predict(statements[:80]))


def test_without_dev_set_thresholds_default_to_0_35(tiny_model):
    assert tiny_model.thresholds == dict.fromkeys(SECONDARY_FRAMES, 0.35)


def test_same_seed_trains_the_same_model(tiny_model, train_subset):
    again, _ = fit_frame_model(*train_subset, seed=0, grid=TINY_GRID)
    statements, _ = train_subset
    np.testing.assert_array_equal(
        again.predict_proba(statements), tiny_model.predict_proba(statements)
    )


def test_score_articles_calls_predict_once_for_a_batch_of_articles(tiny_model):
    articles = [
        make_article(p.stem, p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))
    ]
    with mock.patch.object(tiny_model, "predict", wraps=tiny_model.predict) as predict:
        rows = score_articles(articles, tiny_model)
    assert predict.call_count == 1
    [statements] = predict.call_args.args
    assert len(statements) == sum(len(r) for r in rows) > len(articles)


def test_score_paths_calls_predict_once_per_batch_size_articles(tiny_model):
    paths = sorted(ARTICLES.glob("*.txt"))
    with mock.patch.object(tiny_model, "predict", wraps=tiny_model.predict) as predict:
        list(score_paths(paths, model=tiny_model, batch_size=3))
    assert len(paths) == 4
    assert predict.call_count == 2


def test_tune_thresholds_picks_thresholds_between_zero_and_one():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(4), size=60)
    labels = ["blame", "cooperation", "nationalism", "neutral"]
    primaries = [labels[i] for i in probabilities.argmax(axis=1)]
    gold = [
        Framing("neutral", tuple(f for f in SECONDARY_FRAMES if rng.random() < 0.3))
        for _ in range(60)
    ]
    thresholds = tune_thresholds(probabilities, labels, primaries, gold)
    assert set(thresholds) == set(SECONDARY_FRAMES)
    assert all(0.0 < t < 1.0 for t in thresholds.values())


def test_tune_thresholds_separates_a_cleanly_separable_frame():
    labels = ["blame", "cooperation", "nationalism", "neutral"]
    # cooperation is secondary where its probability is 0.42, never where it is 0.12
    probabilities = np.array([[0.48, 0.42, 0.05, 0.05]] * 5 + [[0.78, 0.12, 0.05, 0.05]] * 5)
    gold = [Framing("blame", ("cooperation",))] * 5 + [Framing("blame")] * 5
    thresholds = tune_thresholds(probabilities, labels, ["blame"] * 10, gold)
    assert 0.12 < thresholds["cooperation"] <= 0.42


def test_grid_search_scores_every_point_as_gridsearchcv_over_the_pipeline(train_subset):
    from sklearn.model_selection import GridSearchCV

    from stance.model import grid_search, group_splits, make_pipeline

    statements, framings = train_subset
    y = np.array([f.primary for f in framings])
    folds = group_splits([s.article_id for s in statements], n_splits=3)
    grid = {"linearsvc__C": [0.1, 1.0], "statementfeaturizer__ngram_max": [1, 2]}
    reference = GridSearchCV(make_pipeline(), grid, cv=folds, scoring="f1_macro", refit=False)
    reference.fit(statements, y)
    ours = grid_search(statements, y, folds, grid)
    assert [r["params"] for r in ours] == reference.cv_results_["params"]
    assert [r["mean_f1"] for r in ours] == pytest.approx(
        list(reference.cv_results_["mean_test_score"]), abs=1e-12
    )
