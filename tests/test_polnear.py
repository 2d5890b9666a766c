"""End to end: extract PolNeAR dev and score it with the shared attribution scorer."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from stance.cli import cli

PAIR_PARTIAL_F1_FLOOR = 0.63


def as_fraction(value: float) -> float:
    """The scorer's F1 as a fraction, whether it reports 0.65 or 65.0."""
    return value / 100 if value > 1 else value


@pytest.fixture(scope="module")
def polnear_dev(shared):
    path = shared / "data" / "polnear" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


@pytest.fixture(scope="module")
def scores(shared, polnear_dev, tmp_path_factory):
    system = tmp_path_factory.mktemp("polnear") / "system.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(polnear_dev), "-o", str(system)])
    assert result.exit_code == 0, result.stderr
    scorer = shared / "tools" / "score_attribution.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not found")
    done = subprocess.run(
        ["python3", str(scorer), "--json", str(polnear_dev), str(system)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_every_dev_document_gets_statements(scores):
    meta = scores["_meta"]
    assert meta["system_docs_matched"] == meta["gold_docs"] > 0


@pytest.mark.slow
def test_pair_partial_f1_on_polnear_dev_is_at_least_the_floor(scores):
    f1 = as_fraction(scores["pair"]["partial"]["f1"])
    assert f1 >= PAIR_PARTIAL_F1_FLOOR, f"pair partial F1 {f1:.3f} < {PAIR_PARTIAL_F1_FLOOR}"
