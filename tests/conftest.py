"""Shared fixtures: a deterministic fake embedder, and the real ones once per session."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Property tests: a fixed, modest number of examples, derandomised so CI runs
# the same cases every time (a failure reproduces), and no example database
# written into the work tree. HYPOTHESIS_PROFILE=thorough explores more.
settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


# ------------------------------------------------ the ``model`` marker, enforced
# A test that loads the spaCy parser (or the real MiniLM embedder) is slow and
# needs the model packages: it must say so with ``@pytest.mark.model``, so
# ``-m "not model"`` gives a fast run that never loads one. get_nlp and the
# real embedders are wrapped here, before any test module imports them, to see
# which tests use them; an unmarked one fails with the fix.
import factcheck.embed as _embed_module  # noqa: E402
import factcheck.nlp as _nlp_module  # noqa: E402

_loaded: list[str] = []


def _watch(fn, what: str):
    def wrapper(*args, **kwargs):
        _loaded.append(what)
        return fn(*args, **kwargs)

    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    wrapper.cache_clear = getattr(fn, "cache_clear", lambda: None)  # type: ignore[attr-defined]
    return wrapper


_nlp_module.get_nlp = _watch(_nlp_module.get_nlp, "the spaCy parser")
_embed_module.get_embedder = _watch(_embed_module.get_embedder, "a real embedding model")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    _loaded.clear()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if _loaded and item.get_closest_marker("model") is None:
        what = sorted(set(_loaded))
        _loaded.clear()
        outcome.force_exception(
            pytest.fail.Exception(
                f"{item.nodeid} uses {' and '.join(what)} but is not marked: add @pytest.mark.model "
                "(or pytestmark = pytest.mark.model for the module)",
                pytrace=False,
            )
        )


_WORD = re.compile(r"\w+")


class FakeEmbedder:
    """Bag of words hashed into 64 dims, L2-normalised.

    Identical sentences get cosine 1, sentences sharing most words a high
    cosine, unrelated ones a low one. Counts its calls and texts so tests can
    see whether a cache did model work.
    """

    model_id = "fake-bow-64"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            h = int.from_bytes(hashlib.sha1(word.encode("utf-8")).digest()[:4], "big")
            v[h % self.dim] += 1.0
        norm = np.linalg.norm(v)
        if norm == 0:  # no words: a fixed unit vector, so rows stay normalised
            v[0] = 1.0
            return v
        return v / norm

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vector(t) for t in texts]).astype(np.float32)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session cache folder so tests never touch ~/.cache."""
    return tmp_path_factory.mktemp("factcheck-cache")


@pytest.fixture(scope="session")
def torch_embedder():
    """The real MiniLM (sentence-transformers), loaded once per session."""
    from factcheck.embed import TorchEmbedder

    return TorchEmbedder()


@pytest.fixture(scope="session")
def onnx_embedder(model_cache_dir: Path):
    """The real MiniLM as int8 ONNX; exported once per session (~10-30 s)."""
    from factcheck.embed import OnnxEmbedder

    embedder = OnnxEmbedder(cache_dir=model_cache_dir)
    embedder.ensure_export()
    return embedder
