"""StatementFeaturizer: the scikit-learn transformer contract, then its features."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import DictVectorizer, FeatureHasher
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from stance.attribution import extract_statements
from stance.features import StatementFeaturizer

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest_plugins = ["helpers_scoring"]

PARAMS = {
    "ngram_max": 3,
    "char_ngrams": True,
    "neighbours": False,
    "negation_window": 2,
    "n_features": 2**12,
}


def features_of(text: str, **params: object) -> list[dict[str, float]]:
    statements = extract_statements(text)
    return StatementFeaturizer(**params).fit(statements).transform(statements)


# ---------------------------------------------------------------- the estimator contract


def test_constructor_stores_its_parameters_unchanged():
    assert StatementFeaturizer(**PARAMS).get_params() == PARAMS


def test_constructor_sets_no_fitted_attributes():
    featurizer = StatementFeaturizer(**PARAMS)
    assert set(vars(featurizer)) == set(PARAMS)


def test_set_params_round_trips_get_params():
    featurizer = StatementFeaturizer().set_params(**PARAMS)
    assert featurizer.get_params() == PARAMS


def test_clone_copies_the_parameters_but_not_the_fit():
    fitted = StatementFeaturizer(**PARAMS).fit([])
    copy = clone(fitted)
    assert copy.get_params() == PARAMS
    assert not hasattr(copy, "lexicons_")


def test_fit_returns_the_featurizer_itself():
    featurizer = StatementFeaturizer()
    assert featurizer.fit(extract_statements("Lavrov condemned the attacks.")) is featurizer


def test_transform_before_fit_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        StatementFeaturizer().transform(extract_statements("Lavrov condemned the attacks."))


def test_attributes_learned_in_fit_end_with_an_underscore():
    featurizer = StatementFeaturizer()
    before = set(vars(featurizer))
    featurizer.fit([])
    learned = set(vars(featurizer)) - before
    assert learned
    assert all(name.endswith("_") for name in learned)


@pytest.mark.parametrize(
    "params", [{"ngram_max": 0}, {"ngram_max": -1}, {"negation_window": -1}, {"n_features": 0}]
)
def test_invalid_parameter_is_accepted_by_the_constructor_and_refused_at_fit(params):
    featurizer = StatementFeaturizer(**params)
    with pytest.raises(ValueError, match=next(iter(params))):
        featurizer.fit([])


@pytest.mark.parametrize(
    ("n_features", "params"),
    [(2**18, {}), (2**8, {}), (2**10, {"ngram_max": 3, "char_ngrams": True, "neighbours": False})],
)
def test_hashed_matrix_is_feature_hasher_of_the_dicts_cell_for_cell(
    train_subset, n_features, params
):
    # the default model relies on it: hashing in the featurizer must not change a score;
    # 2**8 columns force collisions, whose values must add up as FeatureHasher's do
    statements = train_subset[0]
    dicts = StatementFeaturizer(**params).fit([]).transform(statements)
    expected = FeatureHasher(n_features, alternate_sign=False).transform(dicts)
    hashed = StatementFeaturizer(n_features=n_features, **params).fit([]).transform(statements)
    assert hashed.shape == expected.shape == (len(statements), n_features)
    assert (hashed != expected).nnz == 0
    assert hashed.has_sorted_indices


def test_hashed_featurizer_still_names_its_features():
    statements = extract_statements("Lavrov condemned the attacks.")
    featurizer = StatementFeaturizer(n_features=2**18).fit(statements)
    [named] = featurizer.named_features(statements)
    matrix = featurizer.transform(statements)
    assert set(featurizer.feature_columns(named)) == set(matrix.indices.tolist())


def test_feature_columns_need_n_features():
    with pytest.raises(ValueError, match="n_features"):
        StatementFeaturizer().fit([]).feature_columns(["w=attack"])


def test_featurizer_works_in_a_pipeline_with_dict_vectorizer(train_subset):
    statements, framings = train_subset
    labels = [f.primary for f in framings]
    pipeline = make_pipeline(
        StatementFeaturizer(ngram_max=1),
        DictVectorizer(),
        TfidfTransformer(),
        LinearSVC(random_state=0),
    )
    pipeline.fit(statements, labels)
    predicted = pipeline.predict(statements[:20])
    assert len(predicted) == 20
    assert set(predicted) <= set(labels)


def test_featurizer_works_in_grid_search_with_grouped_folds(train_subset):
    statements, framings = train_subset
    statements, labels = statements[:150], [f.primary for f in framings[:150]]
    groups = [s.article_id for s in statements]
    pipeline = make_pipeline(
        StatementFeaturizer(), DictVectorizer(), TfidfTransformer(), LinearSVC(random_state=0)
    )
    grid = {"statementfeaturizer__ngram_max": [1, 2]}
    search = GridSearchCV(pipeline, grid, cv=GroupKFold(n_splits=3), scoring="f1_macro")
    search.fit(statements, labels, groups=groups)
    assert search.best_params_["statementfeaturizer__ngram_max"] in (1, 2)
    assert len(search.cv_results_["params"]) == 2


# ---------------------------------------------------------------- what it looks at


def test_condemned_is_an_accuse_cue():
    [features] = features_of("Lavrov condemned the attacks.")
    assert features["cue=condemn"] == features["cue_class=accuse"] == 1.0


def test_statement_without_cue_has_cue_class_none():
    [features] = features_of("The border post was closed on Monday.")
    assert features["cue_class=none"] == 1.0


def test_words_after_not_are_marked_as_in_negation_scope():
    [features] = features_of("The minister said he did not condemn the attacks.")
    assert features["negation"] == 1.0
    assert features["neg=condemn"] == features["neg=attack"] == 1.0


def test_words_before_not_are_outside_negation_scope():
    [features] = features_of("The minister said he did not condemn the attacks.")
    assert "neg=he" not in features and "neg=did" not in features


def test_negation_scope_ends_after_negation_window_words():
    [features] = features_of(
        "The minister said he did not condemn the brutal attacks.", negation_window=1
    )
    assert "neg=condemn" in features
    assert "neg=brutal" not in features and "neg=attack" not in features


def test_denied_cue_sets_the_denial_flag():
    [features] = features_of("The ministry denied the reports.")
    assert features["cue_class=deny"] == features["denial"] == 1.0


def test_non_denial_cue_has_no_denial_flag():
    [features] = features_of("The ministry confirmed the reports.")
    assert "denial" not in features


def test_frame_lexicon_words_are_counted():
    [features] = features_of("The minister praised the partnership and the alliance.")
    assert features["lexicon=cooperation"] == 2.0
    assert "lexicon=blame" not in features


def test_speaker_name_is_not_a_content_word():
    [features] = features_of("Lavrov condemned the attacks.")
    assert not any(key.startswith("w=") and "lavrov" in key for key in features)


@pytest.mark.parametrize(
    ("position", "prev_cue", "next_cue"),
    [
        (0, "start", "praise"),
        (1, "accuse", "end"),
    ],
)
def test_neighbouring_statements_give_their_cue_classes(position, prev_cue, next_cue):
    features = features_of("Lavrov condemned the attacks. The minister praised the treaty.")
    assert features[position][f"prev_cue={prev_cue}"] == 1.0
    assert features[position][f"next_cue={next_cue}"] == 1.0


def test_neighbours_off_gives_no_neighbour_features():
    features = features_of(
        "Lavrov condemned the attacks. The minister praised the treaty.", neighbours=False
    )
    assert not any(k.startswith(("prev_", "next_")) for f in features for k in f)


def test_char_ngrams_option_adds_character_ngram_features():
    [plain] = features_of("The minister praised the treaty.")
    [with_chars] = features_of("The minister praised the treaty.", char_ngrams=True)
    assert not any(key.startswith("c=") for key in plain)
    assert with_chars["c=tre"] >= 1.0 and "c=treat" in with_chars


def test_ngram_max_two_adds_word_bigrams():
    [unigrams] = features_of("The minister praised the treaty.", ngram_max=1)
    [bigrams] = features_of("The minister praised the treaty.", ngram_max=2)
    assert "w=the treati" not in unigrams
    assert bigrams["w=the treati"] == 1.0
