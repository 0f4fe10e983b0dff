"""Export the trained tagger to ONNX, fuse it for CPU inference, and quantize it to int8."""

from __future__ import annotations

from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model


def export(
    model: torch.nn.Module, fp32_path: Path, int8_path: Path, output_names: tuple[str, ...] = ("logits",)
) -> None:
    """Write `model` as fp32 ONNX (inputs input_ids, attention_mask; `output_names`) and its int8 version.

    The int8 file is first fused by onnxruntime's BERT optimizer (Attention, SkipLayerNorm, BiasGelu);
    MatMul and Attention weights are then quantized per output channel, and the word-embedding Gather,
    which dominates the size, is quantized too, so the shipped file stays around 23 MB.
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
        output_names=list(output_names),
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )
    fused_path = fp32_path.with_suffix(".fused.onnx")
    optimize_model(str(fp32_path), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(str(fused_path))
    quantize_dynamic(
        str(fused_path),
        str(int8_path),
        op_types_to_quantize=["MatMul", "Attention", "Gather"],
        per_channel=True,
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # fused ops have no inferred types
    )
