from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from factcheck.embed import CachedEmbedder, Embedder, OnnxEmbedder, TorchEmbedder, get_embedder, model_hash
from factcheck.errors import ModelError

PARAPHRASES = [
    (
        "The earthquake killed at least 40 people in the province.",
        "At least 40 people died when the quake struck the province.",
    ),
    (
        "The central bank raised interest rates by half a point.",
        "Interest rates were increased by 0.5 percentage points by the central bank.",
    ),
    (
        "Police arrested two men after the robbery on Friday.",
        "Two men were detained by police following Friday's robbery.",
    ),
    (
        "The company said it would cut 3,000 jobs next year.",
        "The firm announced plans to eliminate 3,000 positions next year.",
    ),
]
UNRELATED = [
    (
        "The earthquake killed at least 40 people in the province.",
        "The orchestra will perform Beethoven's ninth symphony in June.",
    ),
    (
        "The central bank raised interest rates by half a point.",
        "The striker scored twice in the second half of the match.",
    ),
    (
        "Police arrested two men after the robbery on Friday.",
        "The new smartphone has a larger battery and a brighter screen.",
    ),
    (
        "The company said it would cut 3,000 jobs next year.",
        "Heavy rain is expected across the north of the country tonight.",
    ),
]
NEWS = [
    "The minister resigned on Tuesday after weeks of pressure from his own party.",
    "Rescue teams were still searching for survivors late on Sunday.",
    '"We will not back down," the union leader told reporters outside the factory.',
    "The storm knocked out power to more than 200,000 homes.",
    "Officials said the death toll was expected to rise.",
    "Shares in the company fell 12% in early trading.",
    "The president signed the bill into law on Friday.",
    "A spokesman for the ministry declined to comment.",
    "The vote is scheduled for next month.",
    "Protesters gathered in the capital for a third consecutive day.",
    "The court ruled that the law was unconstitutional.",
    "The fire started in a warehouse near the port.",
    "Inflation rose to 4.2 percent in March, the highest in a decade.",
    "The two leaders met for nearly three hours.",
    "Hospitals in the region have been overwhelmed.",
    "The airline cancelled hundreds of flights.",
    "He was pronounced dead at the scene.",
    "The agreement still needs approval from parliament.",
    "Short.",
    "",
]


@pytest.mark.parametrize(
    "texts",
    [["a b c"], ["The same sentence.", "The same sentence."], ["", "Police said nothing."], []],
)
def test_embed_fake_is_deterministic_and_normalised(fake_embedder, texts):
    first = fake_embedder.embed(texts)
    second = fake_embedder.embed(texts)
    assert first.dtype == np.float32 and first.shape == (len(texts), fake_embedder.dim)
    assert np.array_equal(first, second)
    if texts:
        assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Police arrested two men.", "Police arrested two men.", 0.999, 1.001),
        ("Police arrested two men on Friday.", "Police arrested two men on Saturday.", 0.7, 0.99),
        ("Police arrested two men.", "Rain is expected tonight in the north.", -0.01, 0.4),
    ],
)
def test_embed_fake_cosine_tracks_word_overlap(fake_embedder, a, b, low, high):
    va, vb = fake_embedder.embed([a, b])
    assert low <= float(va @ vb) <= high


def test_embed_fake_satisfies_protocol(fake_embedder):
    assert isinstance(fake_embedder, Embedder)


def test_embed_cache_returns_identical_vectors_and_counts(fake_embedder, tmp_path):
    cached = CachedEmbedder(fake_embedder, tmp_path)
    texts = ["One fact.", "Another fact.", "One fact."]
    first = cached.embed(texts)
    assert (cached.hits, cached.misses, fake_embedder.texts_embedded) == (1, 2, 2)
    second = cached.embed(texts)
    assert np.array_equal(first, second)
    assert (cached.hits, cached.misses, fake_embedder.texts_embedded) == (4, 2, 2)
    # A new object on the same folder (a later run) reuses the stored vectors.
    again = CachedEmbedder(fake_embedder, tmp_path)
    assert np.array_equal(
        again.embed(["Another fact.", "New fact."]), fake_embedder.embed(["Another fact.", "New fact."])
    )
    assert (again.hits, again.misses) == (1, 1)


def test_embed_cache_keys_on_model_id(fake_embedder, tmp_path):
    class Other(type(fake_embedder)):  # type: ignore[misc]
        model_id = "other-model"

    CachedEmbedder(fake_embedder, tmp_path).embed(["x y"])
    other = CachedEmbedder(Other(), tmp_path)
    other.embed(["x y"])
    assert (other.hits, other.misses) == (0, 1)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as con:
        assert con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 2


def test_embed_cache_empty_input(fake_embedder, tmp_path):
    cached = CachedEmbedder(fake_embedder, tmp_path)
    assert cached.embed([]).shape == (0, fake_embedder.dim)
    assert (cached.hits, cached.misses) == (0, 0)


@pytest.mark.model
@pytest.mark.parametrize("backend", ["torch", "onnx"])
def test_embed_bad_model_path_is_model_error(tmp_path, backend):
    with pytest.raises(ModelError) as err:
        get_embedder(backend, model_path=str(tmp_path / "nowhere"))
    assert "nowhere" in str(err.value) and "Fix:" in str(err.value)


@pytest.mark.model
def test_embed_unknown_backend_is_model_error():
    with pytest.raises(ModelError):
        get_embedder("tensorflow")  # type: ignore[arg-type]


def test_embed_model_hash_changes_with_content(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "README.md").write_text("docs")
    before = model_hash(tmp_path)
    (tmp_path / "README.md").write_text("other docs")  # documentation does not change the model
    assert model_hash(tmp_path) == before
    (tmp_path / "config.json").write_text('{"hidden_size": 8}')
    assert model_hash(tmp_path) != before


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


@pytest.mark.model
@pytest.mark.parametrize("which", ["torch_embedder", "onnx_embedder"])
def test_embed_real_paraphrases_beat_unrelated(request, which):
    embedder = request.getfixturevalue(which)
    texts = [t for pair in PARAPHRASES + UNRELATED for t in pair]
    v = embedder.embed(texts)
    assert v.dtype == np.float32 and v.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = _cos(v[0::2], v[1::2])
    para, unrelated = sims[: len(PARAPHRASES)], sims[len(PARAPHRASES) :]
    assert para.min() > unrelated.max() + 0.2


@pytest.mark.model
def test_embed_onnx_int8_agrees_with_torch(torch_embedder, onnx_embedder):
    cos = _cos(torch_embedder.embed(NEWS), onnx_embedder.embed(NEWS))
    real = [i for i, t in enumerate(NEWS) if len(t.split()) >= 4]
    assert cos[real].min() >= 0.98
    assert cos.min() >= 0.97  # "" and one-word texts drift most (0.974 measured for "")
    assert cos.mean() >= 0.99


@pytest.mark.model
def test_embed_onnx_fp32_matches_torch_and_keeps_order(torch_embedder, model_cache_dir, onnx_embedder):
    # Batches are length-sorted inside; rows must come back in input order.
    # fp32 has no batch-dependent quantisation, so vectors match exactly.
    fp32 = OnnxEmbedder(cache_dir=model_cache_dir, quantize=False)
    together = fp32.embed(NEWS)
    one_by_one = np.stack([fp32.embed([t])[0] for t in NEWS[:5]])
    assert np.allclose(together[:5], one_by_one, atol=1e-4)
    assert _cos(together, torch_embedder.embed(NEWS)).min() >= 0.9999


@pytest.mark.model
def test_embed_onnx_int8_batch_effect_is_small(onnx_embedder):
    # Dynamic int8 picks one activation scale per batch, so a sentence's
    # vector shifts a little with its batch neighbours: bounded, not zero.
    together = onnx_embedder.embed(NEWS)
    one_by_one = np.stack([onnx_embedder.embed([t])[0] for t in NEWS[:5]])
    assert _cos(together[:5], one_by_one).min() >= 0.95


@pytest.mark.model
def test_embed_onnx_export_is_cached(onnx_embedder, model_cache_dir):
    folder = onnx_embedder.export_dir
    assert folder.parent == model_cache_dir / "onnx"
    assert {"model.onnx", "model-int8.onnx", "manifest.json"} <= {p.name for p in folder.iterdir()}
    # A second embedder on the same cache reuses the export (no new temp folders).
    again = OnnxEmbedder(cache_dir=model_cache_dir)
    assert again.ensure_export() == folder
    assert [p.name for p in (model_cache_dir / "onnx").iterdir()] == [folder.name]


@pytest.mark.model
def test_embed_real_model_ids_differ_by_backend(torch_embedder, onnx_embedder):
    assert torch_embedder.model_id.startswith("all-MiniLM-L6-v2@")
    assert torch_embedder.model_id.endswith("/torch")
    assert onnx_embedder.model_id.endswith("/onnx-int8")


@pytest.mark.model
def test_embed_real_cache_identical_vectors(onnx_embedder, tmp_path):
    cached = CachedEmbedder(onnx_embedder, tmp_path)
    first = cached.embed(NEWS[:6])
    second = cached.embed(NEWS[:6])
    assert np.array_equal(first, second)
    assert (cached.hits, cached.misses) == (6, 6)


def test_embed_torch_loads_lazily():
    # Constructing must not import the model (CLI start-up stays fast).
    embedder = TorchEmbedder()
    assert embedder._model is None


# ------------------------------- issue 12, case 4: a damaged cache heals, never fails the run


def _sqlite_cache_with(fake, folder: Path, n: int = 3000) -> list[str]:
    """A real cache database of ``n`` vectors, checkpointed into the main file."""
    import sqlite3

    texts = [f"sentence number {i} about the harbour bridge" for i in range(n)]
    cached = CachedEmbedder(fake, folder)
    cached.embed(texts)
    con = sqlite3.connect(folder / "embeddings.sqlite3")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return texts


@pytest.mark.parametrize("damage", ["junk", "truncated", "zero-filled header"])
def test_embed_cache_damaged_sqlite_is_set_aside(fake_embedder, tmp_path, caplog, damage):
    db = tmp_path / "embeddings.sqlite3"
    texts = _sqlite_cache_with(fake_embedder, tmp_path)
    data = db.read_bytes()
    if damage == "junk":
        db.write_bytes(b"this is not a database at all\n" * 100)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    else:
        db.write_bytes(b"\0" * 100 + data[100:])
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        cached = CachedEmbedder(fake_embedder, tmp_path)
        got = cached.embed(texts)
    assert np.allclose(got, fake_embedder.embed(texts))  # right vectors all the same
    assert "embedding cache" in caplog.text and "moved aside to embeddings.sqlite3.damaged-" in caplog.text
    assert list(tmp_path.glob("embeddings.sqlite3.damaged-*"))
    # The fresh cache works: a second call does no model work.
    before = fake_embedder.texts_embedded
    again = CachedEmbedder(fake_embedder, tmp_path)
    again.embed(texts[:10])
    assert fake_embedder.texts_embedded == before and again.hits == 10


def test_embed_cache_read_only_database_runs_without_it(fake_embedder, tmp_path, monkeypatch, caplog):
    import sqlite3

    _sqlite_cache_with(fake_embedder, tmp_path, n=5)
    db = tmp_path / "embeddings.sqlite3"
    # A real read-only connection: SQLite itself refuses the write, as it does in a read-only folder.
    monkeypatch.setattr(CachedEmbedder, "_connect", lambda self: sqlite3.connect(f"file:{db}?mode=ro", uri=True))
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        cached = CachedEmbedder(fake_embedder, tmp_path)
        got = cached.embed(["sentence number 1 about the harbour bridge", "a text never seen before"])
    assert np.allclose(
        got, fake_embedder.embed(["sentence number 1 about the harbour bridge", "a text never seen before"])
    )
    assert cached.hits == 1 and cached.misses == 1 and not cached.enabled
    assert "readonly" in caplog.text and "running without it" in caplog.text
    assert not list(tmp_path.glob("*.damaged-*"))  # not damaged: nothing is moved


def test_embed_cache_folder_unusable_runs_without_it(fake_embedder, tmp_path, caplog):
    wall = tmp_path / "wall"
    wall.write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        cached = CachedEmbedder(fake_embedder, wall / "deeper")  # a file two levels up: cannot be made
        got = cached.embed(["one text"])
    assert got.shape == (1, fake_embedder.dim) and not cached.enabled
    assert "cannot be used" in caplog.text


@pytest.mark.model
def test_embed_onnx_damaged_export_is_set_aside_and_made_again(onnx_embedder, tmp_path, monkeypatch, caplog):
    """A truncated model file in the cached export: set aside, exported again, vectors right."""
    import shutil

    import factcheck.embed as embed

    good = onnx_embedder.ensure_export()
    exports = []

    def export_copy(model_path, target):  # the real export takes ~20 s: copy the session's instead
        exports.append(target)
        for name in ("model.onnx", "model-int8.onnx"):
            shutil.copy(good / name, target / name)

    monkeypatch.setattr(embed, "export_onnx", export_copy)
    damaged = OnnxEmbedder(cache_dir=tmp_path)
    shutil.copytree(good, damaged.export_dir)
    (damaged.export_dir / "model-int8.onnx").write_bytes(b"truncated")
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        got = damaged.embed(["The council approved the budget."])
    assert np.allclose(got, onnx_embedder.embed(["The council approved the budget."]), atol=1e-6)
    assert len(exports) == 1 and "ONNX export" in caplog.text and "moved aside" in caplog.text
    assert list((tmp_path / "onnx").glob("*.damaged-*"))
    # A manifest that is junk: the same.
    (damaged.export_dir / "manifest.json").write_text("{junk", encoding="utf-8")
    OnnxEmbedder(cache_dir=tmp_path).embed(["x"])
    assert len(exports) == 2


@pytest.mark.model
def test_embed_torch_load_prints_no_progress_bar(capfd):
    """Issue 12, case 8: `check -q --backend torch` printed transformers' "Loading weights" bar."""
    from transformers.utils import logging as hf_logging

    hf_logging.enable_progress_bar()  # as in a fresh process (an earlier test may have turned it off)
    TorchEmbedder().embed(["The council met on Monday."])
    err = capfd.readouterr().err
    assert "Loading weights" not in err and "it/s" not in err, err
