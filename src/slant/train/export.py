"""Export the trained tagger to ONNX and quantize it to int8 (per-channel weights, int8 word embeddings)."""

from __future__ import annotations

from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic


def export(model: torch.nn.Module, fp32_path: Path, int8_path: Path) -> None:
    """Write `model` as fp32 ONNX (inputs input_ids, attention_mask; output logits) and its int8 version.

    MatMul weights are quantized per output channel; the word-embedding Gather, which dominates the
    size, is quantized too, so the shipped file stays around 23 MB.
    """
    fp32_path.parent.mkdir(parents=True, exist_ok=True)
    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    model.eval()
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32_path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(
        str(fp32_path),
        str(int8_path),
        op_types_to_quantize=["MatMul", "Gather"],
        per_channel=True,
        weight_type=QuantType.QInt8,
    )
