"""Model files: a round trip predicts identically; foreign or broken files are refused."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import skops.io as sio
from sklearn.ensemble import RandomForestClassifier

from stance.errors import ModelError
from stance.persist import CARD_FILE, META_FILE, MODEL_FILE, load_model, save_model

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import Tripwire  # noqa: E402


@pytest.fixture(scope="module")
def reloaded(tiny_model_dir):
    return load_model(tiny_model_dir)


@pytest.fixture
def foreign_dir(tmp_path, tiny_model_dir):
    """A model directory with a genuine meta.json; the test writes its model.skops."""
    folder = tmp_path / "foreign"
    folder.mkdir()
    shutil.copyfile(tiny_model_dir / META_FILE, folder / META_FILE)
    return folder


def one_line_error(path) -> str:
    with pytest.raises(ModelError) as caught:
        load_model(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_save_writes_model_meta_and_card(tiny_model_dir):
    assert {p.name for p in tiny_model_dir.iterdir()} >= {MODEL_FILE, META_FILE, CARD_FILE}


def test_round_trip_through_disk_predicts_identical_probabilities(
    tiny_model, reloaded, train_subset
):
    statements, _ = train_subset
    np.testing.assert_array_equal(
        reloaded.predict_proba(statements), tiny_model.predict_proba(statements)
    )


def test_round_trip_keeps_id_labels_and_thresholds(tiny_model, reloaded):
    assert (reloaded.model_id, reloaded.labels, reloaded.thresholds) == (
        tiny_model.model_id,
        tiny_model.labels,
        tiny_model.thresholds,
    )


def test_meta_json_records_id_labels_and_thresholds(tiny_model, tiny_model_dir):
    meta = json.loads((tiny_model_dir / META_FILE).read_text(encoding="utf-8"))
    assert meta["id"] == tiny_model.model_id
    assert meta["labels"] == tiny_model.labels
    assert meta["thresholds"] == tiny_model.thresholds


def test_load_model_accepts_the_model_file_itself(tiny_model, reloaded, tiny_model_dir):
    assert load_model(tiny_model_dir / MODEL_FILE).model_id == tiny_model.model_id


def test_save_model_into_a_new_nested_directory(tiny_model, tmp_path):
    folder = save_model(tiny_model, tmp_path / "a" / "b")
    assert (folder / MODEL_FILE).is_file() and not list(folder.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("payload", "type_name"),
    [
        (os.system, "posix.system" if os.name == "posix" else "nt.system"),
        (Tripwire(), "helpers_scoring.Tripwire"),
        ({"estimator": Tripwire()}, "helpers_scoring.Tripwire"),
    ],
    ids=["os.system", "tripwire", "tripwire-in-a-dict"],
)
def test_file_with_a_type_outside_the_allow_list_is_refused_by_name(
    foreign_dir, payload, type_name
):
    sio.dump(payload, foreign_dir / MODEL_FILE)
    message = one_line_error(foreign_dir)
    assert "refused" in message and type_name in message
    assert str(foreign_dir / MODEL_FILE) in message


def test_refused_file_is_never_built(foreign_dir):
    sio.dump({"estimator": Tripwire()}, foreign_dir / MODEL_FILE)
    Tripwire.rebuilt.clear()
    with mock.patch("skops.io.load", wraps=sio.load) as skops_load, pytest.raises(ModelError):
        load_model(foreign_dir)
    skops_load.assert_not_called()
    assert Tripwire.rebuilt == []


def test_tripwire_payload_fires_when_trusted(tmp_path):
    # the control for the test above: loading this file for real does rebuild it
    sio.dump({"estimator": Tripwire()}, tmp_path / MODEL_FILE)
    Tripwire.rebuilt.clear()
    sio.load(tmp_path / MODEL_FILE, trusted=["helpers_scoring.Tripwire"])
    assert Tripwire.rebuilt == [{"armed": True}]


@pytest.mark.parametrize(
    "payload",
    [RandomForestClassifier(n_estimators=2), {"estimator": "not a model"}],
    ids=["random-forest", "dict"],
)
def test_file_holding_a_foreign_but_skops_trusted_object_is_refused(foreign_dir, payload):
    # skops trusts these by default, so the allow-list alone would let them through
    sio.dump(payload, foreign_dir / MODEL_FILE)
    message = one_line_error(foreign_dir)
    assert type(payload).__name__ in message and "refused" in message


def test_missing_directory_gives_a_one_line_error_naming_the_model_file(tmp_path):
    missing = tmp_path / "no-such-model"
    message = one_line_error(missing)
    assert str(missing / MODEL_FILE) in message


def test_missing_meta_json_gives_a_one_line_error_naming_it(tmp_path, tiny_model_dir):
    shutil.copyfile(tiny_model_dir / MODEL_FILE, tmp_path / MODEL_FILE)
    message = one_line_error(tmp_path)
    assert str(tmp_path / META_FILE) in message and "missing" in message


def test_malformed_meta_json_gives_a_one_line_error_naming_it(foreign_dir, tiny_model_dir):
    shutil.copyfile(tiny_model_dir / MODEL_FILE, foreign_dir / MODEL_FILE)
    (foreign_dir / META_FILE).write_text("{not json", encoding="utf-8")
    message = one_line_error(foreign_dir)
    assert str(foreign_dir / META_FILE) in message and "malformed" in message


def test_corrupt_model_file_gives_a_one_line_error_naming_it(foreign_dir):
    (foreign_dir / MODEL_FILE).write_bytes(np.random.default_rng(0).bytes(4096))
    message = one_line_error(foreign_dir)
    assert str(foreign_dir / MODEL_FILE) in message and "not a readable" in message


def test_truncated_model_file_gives_a_one_line_error_naming_it(foreign_dir, tiny_model_dir):
    data = (tiny_model_dir / MODEL_FILE).read_bytes()
    (foreign_dir / MODEL_FILE).write_bytes(data[: len(data) // 2])
    message = one_line_error(foreign_dir)
    assert str(foreign_dir / MODEL_FILE) in message
