"""The int8 ONNX export of MiniLM stays close to the float model (real model, no download)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import Int8MiniLMEmbedder, MiniLMEmbedder, for_background
from assistant.sentences import sentence_spans

pytestmark = pytest.mark.integration
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_e8fa8a199500442e.txt"


def test_int8_vectors_match_the_float_model(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    text = SEED.read_text(encoding="utf-8")
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    int8 = Int8MiniLMEmbedder(tmp_path / "models")
    exact, quantized = minilm.embed(sentences), int8.embed(sentences)
    cosines = (exact * quantized).sum(axis=1)
    assert cosines.min() > 0.95 and cosines.mean() > 0.98
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1.0, atol=1e-3)
    assert int8.count_tokens(sentences) == minilm.count_tokens(sentences)
    # The question ranks the same best sentence with either model.
    query = "Does TTP operate in Afghanistan?"
    best = int(np.argmax(exact @ minilm.embed([query])[0]))
    assert best == int(np.argmax(quantized @ int8.embed([query])[0]))
    # A text's vector barely depends on the batch it was embedded in (activations are
    # quantized with one scale per batch, so only that much changes).
    alone = np.stack([int8.embed([s])[0] for s in sentences[:6]])
    assert ((alone * quantized[:6]).sum(axis=1)).min() > 0.98
    # Embedded each on its own, a text's vector depends on nothing else (stored sentence
    # vectors and those made at question time are the same).
    assert np.array_equal(int8.embed_each(sentences[:6]), alone)
    assert np.array_equal(int8.embed_each(sentences[5::-1])[::-1], alone)
    # Many are shared out to one-thread sessions: still the vectors each makes alone.
    many = (sentences * 3)[:40]
    assert np.array_equal(int8.embed_each(many), np.stack([int8.embed([s])[0] for s in many]))


def test_int8_export_is_made_once_and_reused(tmp_path: Path) -> None:
    first = Int8MiniLMEmbedder(tmp_path / "models")
    first.load()
    exported = tmp_path / "models" / "all-MiniLM-L6-v2.int8.onnx"
    stamp = exported.stat().st_mtime_ns
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [exported.name]
    second = Int8MiniLMEmbedder(tmp_path / "models")
    second.load()
    assert exported.stat().st_mtime_ns == stamp
    # The service embeds uploads on a one-thread session of the same export: same vectors.
    background = for_background(second, threads=1)
    assert background is not second and for_background(second, threads=1) is background
    texts = ["Does TTP operate in Afghanistan?", "The ports reopened in May after the floods."]
    assert np.allclose(background.embed(texts), second.embed(texts), atol=1e-5)
    assert exported.stat().st_mtime_ns == stamp
    assert second.loaded
