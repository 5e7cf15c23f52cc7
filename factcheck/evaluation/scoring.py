"""Precision / recall / F1, shared by the evaluation modules."""

from __future__ import annotations


def prf(tp: int, n_pred: int, n_gold: int, empty: float = 0.0) -> dict[str, float]:
    """Rounded precision, recall and F1; ``empty`` is the score of a side with nothing in it.

    Coreference scoring counts an empty side as perfect (nothing claimed,
    nothing missed: ``empty=1.0``); extraction scoring counts it as zero.
    """
    p = tp / n_pred if n_pred else empty
    r = tp / n_gold if n_gold else empty
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
