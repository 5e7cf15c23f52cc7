"""Precision / recall / F1, shared by the evaluation modules."""

from __future__ import annotations


def prf(tp: float, n_pred: float, n_gold: float, empty: float = 0.0) -> dict[str, float]:
    """Rounded precision, recall and F1; ``empty`` is the score of a side with nothing in it.

    Coreference scoring counts an empty side as perfect (nothing claimed,
    nothing missed: ``empty=1.0``); extraction scoring counts it as zero.
    """
    p = tp / n_pred if n_pred else empty
    r = tp / n_gold if n_gold else empty
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def prf_split(correct_pred: int, n_pred: int, correct_gold: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 in percent (one decimal) when the two sides count
    matches apart: a relaxed match may join one prediction to two gold items."""
    p = correct_pred / n_pred if n_pred else 0.0
    r = correct_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f, 1)}


def confusion_scores(tp: int, fp: int, fn: int, tn: int) -> dict[str, float | int]:
    """Accuracy and the positive class's precision, recall and F1 of a 2x2 confusion matrix, with its counts."""
    n = tp + fp + fn + tn
    s = prf(tp, tp + fp, tp + fn)
    return {
        "pairs": n,
        "accuracy": round((tp + tn) / n, 4) if n else 0.0,
        "contradiction_precision": s["precision"],
        "contradiction_recall": s["recall"],
        "contradiction_f1": s["f1"],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }
