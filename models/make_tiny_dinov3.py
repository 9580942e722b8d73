#!/usr/bin/env python3
"""Generate a small, randomly initialised DINOv3-shaped ViT as ONNX, plus PyTorch reference outputs.

Why: the Features stage runs DINOv3 through ONNX Runtime from C#. The real checkpoints are gated and large, so the
tests use this stand-in, which has the same graph structure as Hugging Face `DINOv3ViTModel` (transformers):

* patch embedding: Conv2d(3, dim, kernel 16, stride 16); tokens = [CLS, 4 registers, patches row-major (y, then x)]
* no absolute position embedding; 2-D RoPE on the patch tokens only (CLS and registers untouched):
  head_dim/4 frequencies inv_freq = 1 / 100 ** arange(0, 1, 4/head_dim); patch centres (i + 0.5)/n mapped to [-1, 1];
  angles 2*pi*coord*inv_freq for y then x (head_dim/2 values), repeated to head_dim with cat([a, a], -1), which
  exports as a static Concat (Tensor.tile(2) traces into an If + Tile subgraph, see pt-dinov3-ort.md 3.4);
  rotate_half convention: q*cos + cat(-q2, q1)*sin
* pre-norm blocks: x + ls1 * attn(LN1(x)); x + ls2 * mlp(LN2(x)), LayerNorm eps 1e-5, LayerScale per channel,
  query/value/output biases, no key bias, MLP x4 with exact (erf) GELU
* final LayerNorm on all tokens; the output `pooler_output` is the normed CLS token.

The ONNX graph (opset 17, TorchScript exporter) has input `pixel_values` float32 (batch, 3, size, size) and output
`pooler_output` float32 (batch, dim). The batch axis is dynamic (tail batches of any size); height and width are
fixed to --size because the RoPE tables are precomputed for that size and stored as constants, as
models/export_dinov3_hf.py does for the real models. The exporter leaves the width of pooler_output symbolic, so the
script declares it afterwards (the C# side reads D from the session metadata). Regenerating with the same arguments
and the same torch/onnx versions gives byte-identical files (checked with torch 1.13, onnx 1.12).

Weights are drawn from torch.manual_seed(--seed) with scales chosen so that the CLS output depends strongly on the
image (a preprocessing mistake then shows up far above the tests' 1e-4 tolerance).

Reference file (--reference, JSON): pooler outputs computed by PyTorch for --sites sites whose (5, size, size)
float32 inputs follow the integer recipe below, so the C# tests rebuild them exactly without storing them:
    k = ((site * 5 + channel) * size + y) * size + x
    raw = ((k * 2654435761 + 12345) mod 2**32) >> 16         # a uint16 "pixel"
    value = float32(raw) / float32(65535)                   # as the TIFF loader divides by the dtype max
The sites go through the reference preprocessing (each channel copied to 3 planes, (x - mean) / std with ImageNet
mean/std in float32, true division, site-major batch order); the SHA-256 of the resulting (sites*5, 3, size, size)
float32 little-endian bytes is stored as well, so the C# preprocessing can be checked bit for bit.

Run with Debian's interpreter (torch 1.13, onnx 1.12):
    /usr/bin/python3 models/make_tiny_dinov3.py                      # the committed tiny model + reference
    /usr/bin/python3 models/make_tiny_dinov3.py --dim 384 --depth 12 --heads 6 --size 224 \
        --out /tmp/vits16-untrained.onnx --reference ''             # an untrained ViT-S/16-shaped model (bench)
"""

import argparse
import hashlib
import json
import math
import sys

import numpy as np
import onnx
import torch
from torch import nn

PATCH = 16
REGISTERS = 4
ROPE_THETA = 100.0
LN_EPS = 1e-5
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def rope_tables(grid_h: int, grid_w: int, head_dim: int):
    """cos/sin of shape (grid_h*grid_w, head_dim) for the patch tokens, computed in float32 like transformers."""
    inv_freq = 1 / ROPE_THETA ** torch.arange(0, 1, 4 / head_dim, dtype=torch.float32)
    ys = torch.arange(0.5, grid_h, dtype=torch.float32) / grid_h
    xs = torch.arange(0.5, grid_w, dtype=torch.float32) / grid_w
    grid = torch.stack(torch.meshgrid(ys, xs, indexing="ij"), dim=-1).flatten(0, 1)
    coords = 2.0 * grid - 1.0
    angles = (2 * math.pi * coords[:, :, None] * inv_freq[None, None, :]).flatten(1, 2)
    angles = torch.cat([angles, angles], dim=-1)
    return torch.cos(angles), torch.sin(angles)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(dim, dim, bias=True)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=True)
        self.o_proj = nn.Linear(dim, dim, bias=True)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, _ = x.shape
        return x.reshape(batch, tokens, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        q = self.split_heads(self.q_proj(x))
        k = self.split_heads(self.k_proj(x))
        v = self.split_heads(self.v_proj(x))
        prefix = tokens - cos.shape[0]
        q = torch.cat((q[:, :, :prefix], q[:, :, prefix:] * cos + rotate_half(q[:, :, prefix:]) * sin), dim=2)
        k = torch.cat((k[:, :, :prefix], k[:, :, prefix:] * cos + rotate_half(k[:, :, prefix:]) * sin), dim=2)
        weights = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * self.scale, dim=-1)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(batch, tokens, dim)
        return self.o_proj(out)


class Block(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attention = Attention(dim, heads)
        self.layer_scale1 = nn.Parameter(torch.ones(dim))
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.up_proj = nn.Linear(dim, 4 * dim)
        self.down_proj = nn.Linear(4 * dim, dim)
        self.layer_scale2 = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        x = x + self.layer_scale1 * self.attention(self.norm1(x), cos, sin)
        mlp = self.down_proj(nn.functional.gelu(self.up_proj(self.norm2(x))))
        return x + self.layer_scale2 * mlp


class TinyDinov3(nn.Module):
    def __init__(self, dim: int, depth: int, heads: int, size: int):
        super().__init__()
        if dim % heads != 0 or (dim // heads) % 4 != 0:
            raise ValueError("dim / heads must be a multiple of 4 for 2-D RoPE")
        if size % PATCH != 0:
            raise ValueError(f"size must be a multiple of {PATCH}")
        self.size = size
        self.dim = dim
        self.patch_embeddings = nn.Conv2d(3, dim, kernel_size=PATCH, stride=PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.register_tokens = nn.Parameter(torch.zeros(1, REGISTERS, dim))
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)
        cos, sin = rope_tables(size // PATCH, size // PATCH, dim // heads)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        batch = pixel_values.shape[0]
        patches = self.patch_embeddings(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat(
            (self.cls_token.expand(batch, -1, -1), self.register_tokens.expand(batch, -1, -1), patches), dim=1)
        for block in self.blocks:
            x = block(x, self.rope_cos, self.rope_sin)
        return self.norm(x)[:, 0, :]


def initialise(model: TinyDinov3, seed: int) -> None:
    """Seeded weights with O(1) activations: fan-in scaled matrices, visible biases, LayerScale well above zero."""
    generator = torch.Generator().manual_seed(seed)

    def normal(tensor: torch.Tensor, std: float, mean: float = 0.0) -> None:
        with torch.no_grad():
            tensor.copy_(torch.randn(tensor.shape, generator=generator) * std + mean)

    for name, parameter in model.named_parameters():
        if name.endswith("layer_scale1") or name.endswith("layer_scale2"):
            normal(parameter, 0.1, 0.5)
        elif "norm" in name and name.endswith("weight"):
            normal(parameter, 0.1, 1.0)
        elif name.endswith("bias"):
            normal(parameter, 0.1)
        elif name in ("cls_token", "register_tokens"):
            normal(parameter, 0.5)
        else:
            fan_in = parameter[0].numel()
            normal(parameter, 1.0 / math.sqrt(fan_in))


def reference_sites(sites: int, size: int) -> np.ndarray:
    k = np.arange(sites * 5 * size * size, dtype=np.uint64)
    raw = ((k * np.uint64(2654435761) + np.uint64(12345)) & np.uint64(0xFFFFFFFF)) >> np.uint64(16)
    return (raw.astype(np.float32) / np.float32(65535)).reshape(sites, 5, size, size)


def preprocess(sites: torch.Tensor) -> torch.Tensor:
    """The MorphoCLIP rule: each channel to 3 identical planes, site-major batch, (x - mean) / std in float32."""
    count, channels, size, _ = sites.shape
    planes = torch.cat([site.unsqueeze(1).expand(channels, 3, size, size).clone() for site in sites], dim=0)
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float32)[None, :, None, None]
    std = torch.tensor(IMAGENET_STD, dtype=torch.float32)[None, :, None, None]
    return (planes - mean) / std


def export(model: TinyDinov3, path: str) -> None:
    dummy = torch.zeros(2, 3, model.size, model.size)
    torch.onnx.export(
        model, (dummy,), path,
        input_names=["pixel_values"], output_names=["pooler_output"],
        dynamic_axes={"pixel_values": {0: "batch"}, "pooler_output": {0: "batch"}},
        opset_version=17, do_constant_folding=True)
    # The exporter's shape inference leaves the width of pooler_output symbolic (the traced shapes depend on the
    # dynamic batch); declare it, because the C# side reads the feature width from the session metadata.
    graph = onnx.load(path)
    width = graph.graph.output[0].type.tensor_type.shape.dim[1]
    width.Clear()
    width.dim_value = model.dim
    onnx.checker.check_model(graph)
    onnx.save(graph, path)


def sha256_of(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--size", type=int, default=64, help="fixed input height and width (multiple of 16)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sites", type=int, default=3, help="sites in the reference file")
    parser.add_argument("--out", default="models/tiny-dinov3.onnx")
    parser.add_argument("--reference", default="models/tiny-dinov3.reference.json",
                        help="reference JSON to write; empty to skip")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = TinyDinov3(args.dim, args.depth, args.heads, args.size).eval()
    initialise(model, args.seed)
    export(model, args.out)
    digest = sha256_of(args.out)

    if args.reference:
        sites = torch.from_numpy(reference_sites(args.sites, args.size))
        pixels = preprocess(sites)
        with torch.no_grad():
            pooler = model(pixels)
        reference = {
            "model": args.out.replace("\\", "/").split("/")[-1],
            "onnx_sha256": digest,
            "generator": {"dim": args.dim, "depth": args.depth, "heads": args.heads, "size": args.size,
                          "seed": args.seed, "torch": torch.__version__},
            "input_recipe": "k = ((site*5 + channel)*size + y)*size + x; "
                            "raw = ((k*2654435761 + 12345) mod 2^32) >> 16; value = float32(raw) / 65535f",
            "sites": args.sites,
            "size": args.size,
            "preprocessed_sha256": hashlib.sha256(pixels.numpy().astype("<f4").tobytes()).hexdigest(),
            # float32 values as decimal strings that round-trip exactly ("%.9g"), row i*5 + c = site i, channel c+1.
            "pooler_output": [[float("%.9g" % value) for value in row] for row in pooler.numpy().tolist()],
        }
        with open(args.reference, "w", encoding="utf-8", newline="\n") as handle:
            json.dump(reference, handle, indent=1)
            handle.write("\n")

    print(f"{args.out}: sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
