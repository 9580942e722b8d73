#!/usr/bin/env python3
"""Export a pretrained DINOv3 ViT from Hugging Face to the ONNX file the Features stage runs.

Run once, on your own machine, then put the printed path and SHA-256 into the dataset config. It needs
PyTorch >= 2.1, transformers >= 4.56 (the first release with DINOv3), onnx, and access to the gated weights
(accept the DINOv3 licence on the model page, then `huggingface-cli login` or set HF_TOKEN):

    pip install torch "transformers>=4.56" onnx            # onnxruntime too, for the optional --check
    python models/export_dinov3_hf.py --model facebook/dinov3-vitl16-pretrain-lvd1689m \
        --out models/dinov3-vitl16-224.onnx --check

Supported: the ViT backbones facebook/dinov3-vit{s16,s16plus,b16,l16}-pretrain-lvd1689m (ViT-L/16 is what the
reference pipeline uses; D = 384, 384, 768, 1024). ViT-H+/16 and ViT-7B/16 exceed protobuf's 2 GB limit, so the
exporter would move their weights to external data files that the configured SHA-256 (of the .onnx alone) does not
cover: not supported. ConvNeXt backbones have no CLS token: not supported.

What the exported graph is (what the C# FeatureExtractor checks when it opens the model):
  input  `pixel_values`  float32 (batch, 3, S, S), already ImageNet-normalised (the C# side does that exactly as the
                         reference: each channel copied to 3 planes, (x - mean) / std);
  output `pooler_output` float32 (batch, D), the CLS token after the final LayerNorm, as transformers returns it.
The batch axis is dynamic (the last batch of a plate is smaller); S is fixed (--size, default 224, the reference's
feature-path size) because:
  * the model's RoPE tables depend on S. transformers computes them with `angles.tile(2)`, which the TorchScript
    exporter turns into an If + Tile subgraph without static shapes (TensorRT rejects it, see
    docs pt-dinov3-ort.md 3.4). This script computes cos/sin once for S with the model's own code, in eval mode (no
    coordinate augmentation), and bakes them in as constants, so the graph has no RoPE subgraph at all;
  * the patch-centre coordinates are cached per size in Python (lru_cache) and would be traced as constants anyway.
Attention is exported with attn_implementation="eager" (explicit MatMul/Softmax): SDPA fails to export with some
exporter/opset combinations. The TorchScript exporter is used (dynamo=False), opset 17 by default (>= 17 has
LayerNormalization); the exporter leaves the width of pooler_output symbolic, so the script declares D afterwards.
"""

import argparse
import hashlib
import inspect
import sys

import numpy as np
import onnx
import torch


class FixedRope(torch.nn.Module):
    """Stands in for DINOv3ViTRopePositionEmbedding: returns the (cos, sin) it computed for the export size."""

    def __init__(self, cos: torch.Tensor, sin: torch.Tensor):
        super().__init__()
        self.register_buffer("cos", cos.detach().clone())
        self.register_buffer("sin", sin.detach().clone())

    def forward(self, pixel_values: torch.Tensor):
        return self.cos.to(pixel_values.dtype), self.sin.to(pixel_values.dtype)


class PoolerOutput(torch.nn.Module):
    """The backbone with a single tensor output: pooler_output (normed CLS)."""

    def __init__(self, backbone: torch.nn.Module):
        super().__init__()
        self.backbone = backbone

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.backbone(pixel_values=pixel_values).pooler_output


def load_backbone(model_id: str) -> torch.nn.Module:
    from transformers import AutoModel  # imported here so --help works without transformers

    # float() rather than a dtype argument: the argument's name changed (torch_dtype -> dtype) across releases.
    return AutoModel.from_pretrained(model_id, attn_implementation="eager").float().eval()


def freeze_rope(backbone: torch.nn.Module, size: int) -> None:
    if not hasattr(backbone, "rope_embeddings"):
        raise SystemExit(f"{type(backbone).__name__} has no rope_embeddings: not a DINOv3 ViT backbone")
    with torch.no_grad():
        cos, sin = backbone.rope_embeddings(torch.zeros(1, 3, size, size))
    backbone.rope_embeddings = FixedRope(cos, sin)


def export(wrapper: torch.nn.Module, size: int, opset: int, path: str) -> None:
    options = dict(
        input_names=["pixel_values"],
        output_names=["pooler_output"],
        dynamic_axes={"pixel_values": {0: "batch"}, "pooler_output": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False  # the default became True in PyTorch 2.9; that exporter needs onnxscript
    with torch.no_grad():
        torch.onnx.export(wrapper, (torch.zeros(2, 3, size, size),), path, **options)


def declare_width(path: str, width: int) -> None:
    graph = onnx.load(path)
    dim = graph.graph.output[0].type.tensor_type.shape.dim[1]
    dim.Clear()
    dim.dim_value = width
    onnx.checker.check_model(graph)
    onnx.save(graph, path)


def check(wrapper: torch.nn.Module, path: str, size: int) -> None:
    """Compares ONNX Runtime (CPU) with PyTorch on a full batch of 3 images and a tail batch of 1."""
    try:
        import onnxruntime
    except ImportError:
        print("--check skipped: onnxruntime is not installed")
        return
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    generator = torch.Generator().manual_seed(0)
    images = torch.randn(3, 3, size, size, generator=generator)
    with torch.no_grad():
        expected = wrapper(images).numpy()
    full = session.run(["pooler_output"], {"pixel_values": images.numpy()})[0]
    tail = session.run(["pooler_output"], {"pixel_values": images[2:].numpy()})[0]
    print(f"check: max |ORT - PyTorch| = {np.abs(full - expected).max():.2e}; "
          f"max |tail - full| for the same image = {np.abs(tail[0] - full[2]).max():.2e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="facebook/dinov3-vitl16-pretrain-lvd1689m", help="Hugging Face model id")
    parser.add_argument("--size", type=int, default=224, help="input height and width S (multiple of 16)")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (>= 17)")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--check", action="store_true", help="compare ONNX Runtime with PyTorch afterwards")
    args = parser.parse_args()
    if args.size % 16 != 0:
        parser.error("--size must be a multiple of the patch size 16")
    if args.opset < 17:
        parser.error("--opset must be at least 17")

    backbone = load_backbone(args.model)
    freeze_rope(backbone, args.size)
    wrapper = PoolerOutput(backbone).eval()
    export(wrapper, args.size, args.opset, args.out)
    declare_width(args.out, backbone.config.hidden_size)
    if args.check:
        check(wrapper, args.out, args.size)

    digest = hashlib.sha256()
    with open(args.out, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    print(f"exported {args.model} at {args.size}x{args.size} -> {args.out} (D = {backbone.config.hidden_size})")
    print(f"sha256: {digest.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
