"""Codebook §4 metrics, returned as plain values (never printed).

* Framing, on gold statements: macro-F1 over the four frames, per-frame P/R/F1,
  a confusion matrix, and secondary frames as multi-label F1 over the three
  non-neutral frames.
* Attribution, extracted vs gold statements that have a speaker: content spans,
  source spans and content+speaker pairs, each with exact and overlap matching.
* End to end: the frames of extracted statements matched to gold ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stance.types import FRAMES, Statement

NON_NEUTRAL = ("cooperation", "blame", "nationalism")
_TRIM = " \t\r\n\u00a0\"“”'‘’.,;:!?()[]—–"
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "prof", "the", "a", "an"}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1 from counts (0 when undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n_gold}


def framing_metrics(
    gold: Sequence[str],
    predicted: Sequence[str],
    gold_secondary: Sequence[Sequence[str]] | None = None,
    predicted_secondary: Sequence[Sequence[str]] | None = None,
) -> dict[str, object]:
    """Macro-F1, per-frame P/R/F1, confusion matrix (rows gold, columns predicted)."""
    per_frame = {}
    for frame in FRAMES:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == frame)
        per_frame[frame] = prf(
            tp, sum(p == frame for p in predicted), sum(g == frame for g in gold)
        )
    macro = sum(m["f1"] for m in per_frame.values()) / len(FRAMES)
    confusion: dict[str, dict[str, int]] = {g: {p: 0 for p in FRAMES} for g in FRAMES}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))
    out: dict[str, object] = {
        "n": len(gold),
        "macro_f1": round(macro, 4),
        "accuracy": round(accuracy, 4),
        "per_frame": per_frame,
        "confusion": confusion,
    }
    if gold_secondary is not None and predicted_secondary is not None:
        out["secondary"] = secondary_metrics(gold_secondary, predicted_secondary)
    return out


def secondary_metrics(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> dict[str, object]:
    """Multi-label F1 (micro and per frame) of secondary frames over the non-neutral ones."""
    per = {}
    tp_all = pred_all = gold_all = 0
    for frame in NON_NEUTRAL:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if frame in g and frame in p)
        n_pred = sum(frame in p for p in predicted)
        n_gold = sum(frame in g for g in gold)
        per[frame] = prf(tp, n_pred, n_gold)
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + n_pred, gold_all + n_gold
    micro = prf(tp_all, pred_all, gold_all)
    return {"micro_f1": micro["f1"], "micro": micro, "per_frame": per}


# ---------------------------------------------------------------- attribution


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def head_name(name: str | None) -> str | None:
    """The last capitalised word of a name phrase (``Sergei Lavrov`` -> ``lavrov``)."""
    if not name:
        return None
    name = re.split(r",|;|\s[—–-]\s|\(", name)[0]
    head = None
    for word in re.findall(r"[^\W\d_][\w'’.\-]*", name):
        word = re.sub(r"['’]s?$", "", word).strip(".-")
        if word and word[0].isupper() and word.lower() not in _HONORIFICS:
            head = word.lower()
    return head or name.strip().lower()


def speakers_match(system: str | None, gold: str | None) -> bool:
    """Codebook §4: same entity by head name, case-insensitively."""
    if not system or not gold:
        return False
    return system.strip().lower() == gold.strip().lower() or head_name(system) == head_name(gold)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def attribution_metrics(
    text_by_article: dict[str, str],
    system: Sequence[Statement],
    gold: Sequence[Statement],
) -> dict[str, dict[str, dict[str, float]]]:
    """Content, source and pair P/R/F1 with exact and overlap matching (codebook §4).

    Only statements with a speaker count, on both sides. Overlap matching needs one
    shared character; a system statement recalls at most one gold statement.
    """
    sys_att = [s for s in system if s.speaker]
    gold_att = [g for g in gold if g.speaker]
    by_article: dict[str, list[Statement]] = {}
    for g in gold_att:
        by_article.setdefault(g.article_id, []).append(g)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for role in ("content", "source", "pair"):
        rows[role] = {}
        for mode in ("exact", "overlap"):
            tp_sys = 0
            recalled: set[tuple[str, int]] = set()
            n_sys = 0
            for s in sys_att:
                if role == "source" and s.speaker_mention is None:
                    continue
                n_sys += 1
                text = text_by_article.get(s.article_id, "")
                best: tuple[int, Statement] | None = None
                for g in by_article.get(s.article_id, []):
                    if not _role_match(role, mode, text, s, g):
                        continue
                    shared = _overlap(
                        (s.content.start, s.content.end), (g.content.start, g.content.end)
                    )
                    if best is None or shared > best[0]:
                        best = (shared, g)
                if best is not None:
                    tp_sys += 1
                    recalled.add((best[1].article_id, best[1].index))
            n_gold = sum(1 for g in gold_att if role != "source" or g.speaker_mention is not None)
            p = tp_sys / n_sys if n_sys else 0.0
            r = len(recalled) / n_gold if n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            rows[role][mode] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "n_system": n_sys,
                "n_gold": n_gold,
            }
    return rows


def _role_match(role: str, mode: str, text: str, s: Statement, g: Statement) -> bool:
    content_ok = _spans_match(
        mode, text, (s.content.start, s.content.end), (g.content.start, g.content.end)
    )
    if role == "content":
        return content_ok
    if role == "source":
        if s.speaker_mention is None or g.speaker_mention is None or not content_ok:
            return False
        return _spans_match(
            mode,
            text,
            (s.speaker_mention.start, s.speaker_mention.end),
            (g.speaker_mention.start, g.speaker_mention.end),
        )
    return content_ok and speakers_match(s.speaker, g.speaker)


def _spans_match(mode: str, text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    if mode == "exact":
        return _trimmed(text, *a) == _trimmed(text, *b)
    return _overlap(a, b) > 0


def match_to_gold(system: Sequence[Statement], gold: Sequence[Statement]) -> dict[int, int]:
    """For each gold statement (by position), the system statement overlapping it most."""
    out: dict[int, int] = {}
    by_article: dict[str, list[tuple[int, Statement]]] = {}
    for si, s in enumerate(system):
        by_article.setdefault(s.article_id, []).append((si, s))
    for gi, g in enumerate(gold):
        best = (0, -1)
        for si, s in by_article.get(g.article_id, []):
            shared = _overlap((s.span.start, s.span.end), (g.span.start, g.span.end))
            if shared > best[0]:
                best = (shared, si)
        if best[1] >= 0:
            out[gi] = best[1]
    return out
