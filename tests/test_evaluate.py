"""Codebook section 4 metrics by hand, then `evaluate_model` and `stance evaluate` on the corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import stance.persist
from stance.cli import cli
from stance.corpus import load_corpus
from stance.evaluate import (
    attribution_metrics,
    framing_metrics,
    head_name,
    secondary_metrics,
    speakers_match,
)
from stance.training import evaluate_model
from stance.types import Article, Statement

sys.path.insert(0, str(Path(__file__).parent))  # helpers_scoring: tests load in importlib mode
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

from helpers_scoring import CORPUS, cached_load_model, flatten, json_lines  # noqa: E402

PREDICTION_FIELDS = {"article", "start", "end", "gold", "frame", "secondary", "scores"}
TEXT = 'Lavrov said the talks were "very productive" and useful. Shoigu agreed.'
ARTICLE = Article("a", TEXT)


def statement(
    content: str,
    *,
    speaker: str | None = "Sergei Lavrov",
    mention: str | None = "Lavrov",
    index: int = 0,
) -> Statement:
    """A statement of TEXT whose content is the first occurrence of ``content``."""
    start = TEXT.index(content)
    content_span = ARTICLE.span(start, start + len(content))
    mention_span = (
        ARTICLE.span(TEXT.index(mention), TEXT.index(mention) + len(mention)) if mention else None
    )
    return Statement(
        "a",
        index,
        "indirect",
        ARTICLE.span(0, content_span.end),
        content_span,
        speaker=speaker,
        speaker_mention=mention_span,
    )


def attribution(system: list[Statement], gold: list[Statement]) -> dict:
    return attribution_metrics({"a": TEXT}, system, gold)


GOLD = statement('the talks were "very productive" and useful.')


# ---------------------------------------------------------------- framing


@pytest.fixture(scope="module")
def small_framing():
    gold = ["cooperation", "cooperation", "blame", "neutral"]
    predicted = ["cooperation", "blame", "blame", "neutral"]
    return framing_metrics(gold, predicted)


def test_framing_per_frame_precision_recall_f1(small_framing):
    per = small_framing["per_frame"]
    assert (per["cooperation"]["precision"], per["cooperation"]["recall"]) == (1.0, 0.5)
    assert (per["blame"]["precision"], per["blame"]["recall"]) == (0.5, 1.0)
    assert per["cooperation"]["f1"] == per["blame"]["f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_framing_macro_f1_averages_all_four_frames(small_framing):
    # cooperation 2/3, blame 2/3, nationalism 0 (never gold, never predicted), neutral 1
    assert small_framing["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 0 + 1) / 4, abs=1e-4)


def test_framing_accuracy(small_framing):
    assert small_framing["accuracy"] == 0.75


def test_framing_confusion_rows_are_gold_columns_predicted(small_framing):
    confusion = small_framing["confusion"]
    assert confusion["cooperation"] == {
        "cooperation": 1,
        "blame": 1,
        "nationalism": 0,
        "neutral": 0,
    }
    assert sum(sum(row.values()) for row in confusion.values()) == 4


def test_framing_metrics_include_secondary_when_given():
    out = framing_metrics(["blame"], ["blame"], [["nationalism"]], [["nationalism"]])
    assert out["secondary"]["micro_f1"] == 1.0


def test_secondary_metrics_micro_f1_over_non_neutral_frames():
    gold = [["blame"], [], ["nationalism"]]
    predicted = [["blame", "nationalism"], [], []]
    out = secondary_metrics(gold, predicted)
    assert (out["micro"]["precision"], out["micro"]["recall"], out["micro_f1"]) == (0.5, 0.5, 0.5)
    assert out["per_frame"]["blame"]["f1"] == 1.0
    assert out["per_frame"]["nationalism"]["f1"] == 0.0
    assert set(out["per_frame"]) == {"cooperation", "blame", "nationalism"}


# ---------------------------------------------------------------- attribution


def test_identical_content_matches_exactly_and_by_overlap():
    out = attribution([GOLD], [GOLD])["content"]
    assert out["exact"]["f1"] == out["overlap"]["f1"] == 1.0


def test_partly_overlapping_content_matches_only_by_overlap():
    out = attribution([statement("the talks were")], [GOLD])["content"]
    assert out["exact"]["f1"] == 0.0
    assert out["overlap"]["f1"] == 1.0


def test_exact_match_ignores_surrounding_quotes_and_punctuation():
    system = statement('the talks were "very productive" and useful')  # no full stop
    assert attribution([system], [GOLD])["content"]["exact"]["f1"] == 1.0


def test_disjoint_content_does_not_match_even_by_overlap():
    out = attribution([statement("Shoigu agreed.", index=1)], [GOLD])["content"]
    assert out["overlap"]["precision"] == out["overlap"]["recall"] == 0.0


def test_pair_needs_the_same_speaker():
    system = statement(GOLD.content.text, speaker="Sergei Shoigu")
    out = attribution([system], [GOLD])
    assert out["content"]["exact"]["f1"] == 1.0
    assert out["pair"]["exact"]["f1"] == 0.0


def test_pair_matches_a_speaker_by_head_name():
    system = statement(GOLD.content.text, speaker="Lavrov")
    assert attribution([system], [GOLD])["pair"]["exact"]["f1"] == 1.0


def test_source_needs_the_same_mention_span():
    system = statement(GOLD.content.text, mention="Shoigu")
    out = attribution([system], [GOLD])["source"]
    assert out["exact"]["f1"] == out["overlap"]["f1"] == 0.0


def test_statements_without_a_speaker_are_not_counted():
    narration = statement(GOLD.content.text, speaker=None, mention=None)
    out = attribution([narration], [narration])["content"]["exact"]
    assert (out["n_system"], out["n_gold"]) == (0, 0)


def test_extra_system_statement_lowers_precision_not_recall():
    extra = statement("Shoigu agreed.", speaker="Sergei Shoigu", mention="Shoigu", index=1)
    out = attribution([GOLD, extra], [GOLD])["content"]["exact"]
    assert (out["precision"], out["recall"]) == (0.5, 1.0)


@pytest.mark.parametrize(
    ("system", "gold", "same"),
    [
        ("Lavrov", "Sergei Lavrov", True),
        ("lavrov", "Sergei Lavrov", True),
        ("Mr. Lavrov", "Sergei Lavrov", True),
        ("Foreign Minister Sergei Lavrov", "Sergei Lavrov", True),
        ("Sergei Shoigu", "Sergei Lavrov", False),
        (None, "Sergei Lavrov", False),
        ("Sergei Lavrov", None, False),
    ],
)
def test_speakers_match_by_head_name(system, gold, same):
    assert speakers_match(system, gold) is same


def test_head_name_is_the_last_capitalised_word():
    assert head_name("Sergei Lavrov") == "lavrov"


# ---------------------------------------------------------------- whole runs


@pytest.fixture(scope="module")
def test_split():
    return load_corpus(CORPUS, split="test")


@pytest.fixture(scope="module")
def evaluation(tiny_model, test_split):
    return evaluate_model(tiny_model, test_split)


def test_evaluate_model_reports_framing_attribution_and_end_to_end(evaluation):
    assert {"framing", "attribution", "end_to_end"} <= set(evaluation)
    assert 0.0 <= evaluation["framing"]["macro_f1"] <= 1.0
    assert set(evaluation["attribution"]) == {"content", "source", "pair"}


def test_evaluate_model_gives_one_prediction_per_gold_statement(evaluation, test_split):
    statements, _ = flatten(test_split)
    assert evaluation["statements"] == len(evaluation["predictions"]) == len(statements)


def test_evaluate_model_predictions_carry_gold_and_model_frames(evaluation, test_split):
    _, framings = flatten(test_split)
    assert all(set(row) == PREDICTION_FIELDS for row in evaluation["predictions"])
    assert [row["gold"] for row in evaluation["predictions"]] == [f.primary for f in framings]


@pytest.fixture(scope="module")
def cli_evaluation(tiny_model_dir, tmp_path_factory):
    """`stance evaluate corpus --split test --json --predictions FILE`, run once."""
    predictions = tmp_path_factory.mktemp("evaluate") / "predictions.jsonl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stance.persist, "load_model", cached_load_model)
        result = CliRunner().invoke(
            cli,
            [
                "evaluate",
                str(CORPUS),
                "--split",
                "test",
                "--model",
                str(tiny_model_dir),
                "--json",
                "--predictions",
                str(predictions),
            ],
        )
    return result, predictions


def test_cli_evaluate_json_prints_the_metrics(cli_evaluation, test_split):
    result, _ = cli_evaluation
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert {"framing", "attribution", "end_to_end"} <= set(metrics)
    assert metrics["articles"] == len(test_split)
    assert "predictions" not in metrics


def test_cli_evaluate_json_matches_the_library(cli_evaluation, evaluation):
    result, _ = cli_evaluation
    metrics = json.loads(result.stdout)
    assert metrics["framing"] == evaluation["framing"]
    assert metrics["end_to_end"] == evaluation["end_to_end"]


def test_cli_evaluate_writes_one_prediction_row_per_gold_statement(cli_evaluation, test_split):
    result, predictions = cli_evaluation
    rows = json_lines(predictions.read_text(encoding="utf-8"))
    statements, _ = flatten(test_split)
    assert all(set(row) == PREDICTION_FIELDS for row in rows)
    assert [(r["article"], r["start"], r["end"]) for r in rows] == [
        (s.article_id, s.span.start, s.span.end) for s in statements
    ]
    assert "predictions" in result.stderr


def test_cli_evaluate_prints_a_readable_report_without_json(score_cli, tiny_model_dir):
    result = score_cli("evaluate", CORPUS, "--split", "test", "--model", tiny_model_dir)
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "confusion" in result.stdout


def test_cli_evaluate_reads_an_exported_interchange_file(
    score_cli, tiny_model_dir, tmp_path, cli_evaluation
):
    gold = tmp_path / "gold.jsonl"
    exported = score_cli("corpus", "export", CORPUS, "--split", "test", "-o", gold)
    assert exported.exit_code == 0, exported.output
    result = score_cli("evaluate", gold, "--model", tiny_model_dir, "--json")
    assert result.exit_code == 0, result.output
    from_directory = json.loads(cli_evaluation[0].stdout)
    assert json.loads(result.stdout) == from_directory


def test_cli_evaluate_refuses_split_on_an_interchange_file(score_cli, tiny_model_dir, tmp_path):
    gold = tmp_path / "dev.jsonl"
    score_cli("corpus", "export", CORPUS, "--split", "dev", "-o", gold)
    result = score_cli("evaluate", gold, "--split", "test", "--model", tiny_model_dir, "--json")
    assert result.exit_code != 0
    assert "--split" in result.stderr


def test_cli_evaluate_with_a_missing_model_fails_in_one_line(score_cli, tmp_path):
    result = score_cli("evaluate", CORPUS, "--split", "test", "--model", tmp_path / "none")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "model.skops" in result.stderr
