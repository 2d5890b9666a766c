"""The model card: what the model is for, what it learnt from, how well it does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stance.model import FrameModel
from stance.types import FRAMES, Framing, Statement


def _confusion_table(confusion: dict[str, dict[str, int]]) -> str:
    head = "| gold \\ predicted | " + " | ".join(FRAMES) + " |"
    rule = "|---|" + "---|" * len(FRAMES)
    rows = [f"| {g} | " + " | ".join(str(confusion[g][p]) for p in FRAMES) + " |" for g in FRAMES]
    return "\n".join([head, rule, *rows])


def _per_frame_table(metrics: dict[str, Any]) -> str:
    lines = ["| frame | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for frame in FRAMES:
        m = metrics["per_frame"][frame]
        lines.append(
            f"| {frame} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{m['support']} |"
        )
    return "\n".join(lines)


def render_card(
    model: FrameModel,
    meta: dict[str, Any],
    features: dict[str, list[tuple[str, float]]],
    splits: Mapping[str, tuple[Sequence[Statement], Sequence[Framing]]],
) -> str:
    """Markdown for ``card.md``."""
    dev, test = meta["metrics"]["dev"], meta["metrics"]["test"]
    counts = {name: len(s) for name, (s, _f) in splits.items()}
    out = [
        f"# Model card: {meta['id']}",
        "",
        "Framing classifier of **stance**: gives each attributed statement of a news",
        "article a primary frame (`cooperation`, `blame`, `nationalism`, `neutral`) with a",
        "probability for each, plus secondary frames (codebook section 2).",
        "",
        "## Intended use",
        "",
        "- Researchers and analysts who want to know how statements in international news",
        "  frame relations between countries and groups; rows are meant to be aggregated",
        "  (per speaker, outlet, period), read with their probabilities, and spot-checked.",
        "- Not for judging individual people, not for moderation or any automated decision",
        "  about a person, not a fact-checker: it labels framing, not truth.",
        "",
        "## Data and domain",
        "",
        f"- Trained on the `train` split of `corpus/` ({counts['train']} statements), tuned",
        f"  on `dev` ({counts['dev']}), reported on `test` ({counts['test']}), split by",
        "  article. Corpus digest (sha256): `" + meta["corpus_digest"][:16] + "...`.",
        "- The corpus is English international-relations news written for the project",
        "  (see `corpus/DATASHEET.md`): frames are balanced there, unlike real news, where",
        "  `neutral` narration dominates. Expect more false frames on real text.",
        "",
        "## Model",
        "",
        "`StatementFeaturizer` (stemmed word n-grams of the content, cue lemma and class,",
        "kind, speaker type, negation/denial scope, quoted share, frame-lexicon counts,",
        "neighbouring statements' cues and words; hashed to 2^18 columns) -> TF-IDF ->",
        "linear SVM, calibrated (sigmoid) over 5 article-grouped folds. Grid search over grouped",
        f"5-fold cross-validation chose `{meta['best_params']}` (CV macro-F1",
        f"{meta['cv_macro_f1']:.3f}). Secondary frames: per-frame probability thresholds",
        f"tuned on dev: `{model.thresholds}`. Seed {meta['seed']}; training took",
        f"{meta['train_seconds']} s (cross-validation included).",
        "",
        "Files: `model.skops` is the scikit-learn estimator; `scorer.npz` holds the same",
        "model's arrays, which `stance score` uses without importing scikit-learn",
        "(probabilities identical to the estimator's, bit for bit); `meta.json` records",
        "both files' sha256 and the metrics below.",
        "",
        "## Metrics",
        "",
        "Framing on gold statements (codebook section 4).",
        "",
        "| split | macro-F1 | accuracy | secondary micro-F1 |",
        "|---|---|---|---|",
        f"| dev | {dev['macro_f1']:.3f} | {dev['accuracy']:.3f} | "
        f"{dev['secondary']['micro_f1']:.3f} |",
        f"| test | {test['macro_f1']:.3f} | {test['accuracy']:.3f} | "
        f"{test['secondary']['micro_f1']:.3f} |",
        "",
        "### Test, per frame",
        "",
        _per_frame_table(test),
        "",
        "### Test, confusion matrix",
        "",
        _confusion_table(test["confusion"]),
        "",
        "### Dev, per frame",
        "",
        _per_frame_table(dev),
        "",
        "### Dev, confusion matrix",
        "",
        _confusion_table(dev["confusion"]),
        "",
        "### Baselines (macro-F1, same splits)",
        "",
        "| system | dev | test |",
        "|---|---|---|",
    ]
    for name in meta["baselines"]["test"]:
        out.append(
            f"| {name} | {meta['baselines']['dev'][name]:.3f} | "
            f"{meta['baselines']['test'][name]:.3f} |"
        )
    out.append(f"| **this model** | **{dev['macro_f1']:.3f}** | **{test['macro_f1']:.3f}** |")
    ablation = meta.get("char_ngram_ablation")
    if ablation:
        out += [
            "",
            "### Do character n-grams earn their cost?",
            "",
            "Same best parameters, uncalibrated, trained on train, scored on dev.",
            "",
            "| features | dev macro-F1 | fit s | predict ms/statement | features |",
            "|---|---|---|---|---|",
        ]
        for name, row in ablation.items():
            out.append(
                f"| {name} | {row['dev_macro_f1']:.3f} | {row['fit_seconds']} | "
                f"{row['predict_ms_per_statement']} | {row['features']} |"
            )
    real = meta.get("real_text_check")
    if real:
        out += [
            "",
            "### Real text: event-coded news sentences",
            "",
            real["description"],
            "",
            "| cooperation | precision | recall | F1 | sentences |",
            "|---|---|---|---|---|",
            f"| | {real['precision']:.3f} | {real['recall']:.3f} | {real['f1']:.3f} | "
            f"{real['n']} |",
        ]
    out += ["", "## Top features per frame", ""]
    for frame in FRAMES:
        if frame in features:
            shown = ", ".join(f"`{name}` ({weight})" for name, weight in features[frame][:12])
            out.append(f"- **{frame}**: {shown}")
    out += [
        "",
        "## Caveats",
        "",
        "- Trained on one corpus written for the project by a small group of writers; its",
        "  style is more uniform than real news, so the test figure is an upper bound.",
        "- Framing is judged per statement with little context; irony, quotes of an",
        "  opponent and implicit frames are the usual errors (see the confusion matrix).",
        "- Statements come from the rule-based extractor at scoring time, from gold",
        "  annotation in these metrics: attribution errors propagate to frames.",
        "- English only.",
        "",
        "## Reproduce",
        "",
        "```",
        f"stance train corpus --out models/{meta['id']} --seed {meta['seed']}",
        f"stance evaluate corpus --split test --model models/{meta['id']}",
        "```",
        "",
        "Library versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        "",
    ]
    return "\n".join(out)
