"""Training and evaluation runs: corpus -> model directory with card; gold -> metrics."""

from __future__ import annotations

import datetime as dt
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.attribution import extract_statements
from stance.baselines import Baselines
from stance.card import render_card
from stance.corpus import corpus_digest, load_corpus
from stance.evaluate import attribution_metrics, framing_metrics, match_to_gold
from stance.model import FrameModel, fit_frame_model, make_pipeline
from stance.persist import save_model
from stance.types import AnnotatedArticle, Framing, Statement


def _flatten(articles: Sequence[AnnotatedArticle]) -> tuple[list[Statement], list[Framing]]:
    statements = [s for a in articles for s in a.statements]
    framings = [f for a in articles for f in a.framings]
    return statements, framings


def library_versions() -> dict[str, str]:
    """Versions that decide whether a model file can be read back identically."""
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for name in ("stance", "scikit-learn", "numpy", "scipy", "nltk", "skops", "joblib"):
        try:
            out[name] = version(name)
        except Exception:
            out[name] = "unknown"
    return out


def framing_report(
    model: FrameModel, statements: Sequence[Statement], framings: Sequence[Framing]
) -> dict[str, Any]:
    """Framing metrics of ``model`` on gold statements (codebook §4)."""
    predictions = model.predict(statements)
    return framing_metrics(
        [f.primary for f in framings],
        [p.primary for p in predictions],
        [f.secondary for f in framings],
        [p.secondary for p in predictions],
    )


def top_features(
    model: FrameModel, statements: Sequence[Statement], k: int = 15
) -> dict[str, list[tuple[str, float]]]:
    """The k features with the largest positive weight for each frame.

    Hashed columns keep no names, so the training statements' feature names are
    hashed again to label them (on a collision, the most frequent name wins).
    """
    from collections import Counter

    pipeline = model.estimator.calibrated_classifiers_[0].estimator
    featurizer = pipeline.named_steps["statementfeaturizer"]
    classifier = pipeline.named_steps["linearsvc"]
    frequency: Counter[str] = Counter()
    for features in featurizer.named_features(statements):
        frequency.update(features.keys())
    names_sorted = [name for name, _ in frequency.most_common()]
    columns = featurizer.feature_columns(names_sorted)
    names: dict[int, str] = {}
    for name, column in zip(names_sorted, columns, strict=True):
        names.setdefault(int(column), name)
    out = {}
    for row, label in zip(classifier.coef_, classifier.classes_, strict=True):
        order = [i for i in row.argsort()[::-1] if int(i) in names][:k]
        out[str(label)] = [(names[int(i)], round(float(row[i]), 3)) for i in order]
    return out


def _char_ngram_ablation(
    best: dict[str, Any],
    train: tuple[list[Statement], list[Framing]],
    dev: tuple[list[Statement], list[Framing]],
    seed: int,
) -> dict[str, Any]:
    """Does adding character n-grams earn its cost? Dev macro-F1 and fit time, both ways."""
    out = {}
    for flag in (False, True):
        pipeline = make_pipeline(seed=seed, char_ngrams=flag)
        pipeline.set_params(**best)
        started = time.perf_counter()
        pipeline.fit(train[0], [f.primary for f in train[1]])
        fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        predicted = [str(p) for p in pipeline.predict(dev[0])]
        predict_seconds = time.perf_counter() - started
        metrics = framing_metrics([f.primary for f in dev[1]], predicted)
        out["with char n-grams" if flag else "words only"] = {
            "dev_macro_f1": metrics["macro_f1"],
            "fit_seconds": round(fit_seconds, 2),
            "predict_ms_per_statement": round(1000 * predict_seconds / max(1, len(dev[0])), 3),
            "features": len(
                {
                    name
                    for f in pipeline.named_steps["statementfeaturizer"].named_features(train[0])
                    for name in f
                }
            ),
        }
    return out


def real_text_check(model: FrameModel, path: str | Path) -> dict[str, Any]:
    """Cooperation P/R/F1 on event-coded real news sentences (``{"id", "text",
    "cooperation"}`` JSONL): a sentence counts as cooperation when its statements'
    mean probability is highest for ``cooperation``."""
    import json

    from stance.articles import make_article

    gold: list[bool] = []
    guessed: list[bool] = []
    with Path(path).open(encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream if line.strip()]
    articles = [make_article(str(r["id"]), r["text"]) for r in records]
    statements = [extract_statements(a) for a in articles]
    probabilities = model.predict_proba([s for group in statements for s in group])
    labels = model.labels
    at = 0
    for record, group in zip(records, statements, strict=True):
        if not group:
            continue
        mean = probabilities[at : at + len(group)].mean(axis=0)
        at += len(group)
        gold.append(bool(record["cooperation"]))
        guessed.append(labels[int(mean.argmax())] == "cooperation")
    tp = sum(g and p for g, p in zip(gold, guessed, strict=True))
    p = tp / max(1, sum(guessed))
    r = tp / max(1, sum(gold))
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "description": f"`{Path(path).name}`: {len(gold)} real news sentences coded "
        "cooperation or not (CAMEO quad classes); the model's primary frame, averaged over "
        "a sentence's statements, against that coding. The mapping is approximate.",
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "n": len(gold),
    }


@dataclass
class TrainingRun:
    """Where the model went and what it scored."""

    directory: Path
    model: FrameModel
    meta: dict[str, Any]


def train_model(
    corpus: str | Path,
    out: str | Path,
    *,
    seed: int = 0,
    grid: dict[str, list[Any]] | None = None,
    ablation: bool = True,
    real_text: str | Path | None = None,
) -> TrainingRun:
    """Train on the corpus's train split, tune on dev, report dev and test, save.

    Writes ``model.skops``, ``meta.json`` and ``card.md`` into ``out``.
    """
    corpus = Path(corpus)
    out = Path(out)
    started = time.perf_counter()
    splits = {name: _flatten(load_corpus(corpus, split=name)) for name in ("train", "dev", "test")}
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    model_id = f"frames-{created.date().isoformat()}"
    model, report = fit_frame_model(
        *splits["train"], dev=splits["dev"], seed=seed, grid=grid, model_id=model_id
    )
    train_seconds = round(time.perf_counter() - started, 2)
    metrics: dict[str, Any] = {}
    baselines: dict[str, Any] = {}
    fitted_baselines = Baselines(*splits["train"], seed=seed)
    for name in ("dev", "test"):
        statements, framings = splits[name]
        metrics[name] = framing_report(model, statements, framings)
        gold = [f.primary for f in framings]
        baselines[name] = {
            label: framing_metrics(gold, predicted)["macro_f1"]
            for label, predicted in fitted_baselines.predict(statements).items()
        }
    meta: dict[str, Any] = {
        "id": model_id,
        "created": created.isoformat(),
        "seed": seed,
        "corpus": str(corpus),
        "corpus_digest": corpus_digest(corpus),
        "training_statements": len(splits["train"][0]),
        "best_params": report.best_params,
        "cv_macro_f1": report.cv_macro_f1,
        "cv_results": report.cv_results,
        "train_seconds": train_seconds,
        "versions": library_versions(),
        "metrics": metrics,
        "baselines": baselines,
    }
    if ablation:
        meta["char_ngram_ablation"] = _char_ngram_ablation(
            report.best_params, splits["train"], splits["dev"], seed
        )
    if real_text is not None and Path(real_text).exists():
        meta["real_text_check"] = real_text_check(model, real_text)
    model.meta = meta
    card = render_card(model, meta, top_features(model, splits["train"][0]), splits)
    save_model(model, out, card=card)
    return TrainingRun(out, model, meta)


def evaluate_model(model: FrameModel, gold: Sequence[AnnotatedArticle]) -> dict[str, Any]:
    """Framing on gold statements, attribution of extracted statements, and end to end."""
    statements, framings = _flatten(gold)
    predictions = model.predict(statements)
    framing = framing_metrics(
        [f.primary for f in framings],
        [p.primary for p in predictions],
        [f.secondary for f in framings],
        [p.secondary for p in predictions],
    )
    extracted = [s for a in gold for s in extract_statements(a.article)]
    texts = {a.article.id: a.article.text for a in gold}
    attribution = attribution_metrics(texts, extracted, statements)
    matched = match_to_gold(extracted, statements)
    end_to_end_predictions = model.predict(extracted)
    e2e_gold = [framings[g].primary for g in sorted(matched)]
    e2e_pred = [end_to_end_predictions[matched[g]].primary for g in sorted(matched)]
    end_to_end: dict[str, Any] = framing_metrics(e2e_gold, e2e_pred) if e2e_gold else {"n": 0}
    end_to_end["gold_statements_matched"] = f"{len(matched)}/{len(statements)}"
    return {
        "model": model.model_id,
        "articles": len(gold),
        "statements": len(statements),
        "framing": framing,
        "attribution": attribution,
        "end_to_end": end_to_end,
        "predictions": [
            {
                "article": s.article_id,
                "start": s.span.start,
                "end": s.span.end,
                "gold": f.primary,
                "frame": p.primary,
                "secondary": list(p.secondary),
                "scores": p.scores,
            }
            for s, f, p in zip(statements, framings, predictions, strict=True)
        ],
    }
