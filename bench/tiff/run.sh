#!/usr/bin/env bash
# TIFF decoder comparison (prints a markdown table; not a test): the project's decoder (TiffDecoder: LZW strips in C#,
# the rest through libtiff), libtiff alone (every strip left to libtiff, as Pillow decodes) and BitMiracle.LibTiff.NET 2.4.660 on
# realistic noisy plates (bench/lib/synth_plate.py, LZW without and with the predictor), every encoding the TIFF tests
# cover (written by TiffEncoder, inside the program) and the variants the decoder tests write with tifffile (those
# tifffile encodes without imagecodecs). Pixels must be identical; times are interleaved per variant, best and median
# over ROUNDS.
# Usage: [ROUNDS=5] [BENCH_DIR=dir] bench/tiff/run.sh [plate files per predictor (default 20)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-tiff.XXXXXX)}
files=${1:-20}
bench_require_python
echo "load: $(uptime)"
sites=$(( (files + 4) / 5 ))
folders=()
for predictor in 1 2; do
  bench_plate "$work/plate-$predictor" "$sites" "$predictor"
  folder="$work/variants/plate (Pillow LZW, predictor $predictor)"
  mkdir -p "$folder"
  ls "$(bench_images "$work/plate-$predictor")"/*.tiff | head -"$files" | xargs -I{} cp {} "$folder/"
  folders+=("$folder")
done
/usr/bin/python3 - "$work/variants" <<'PY'
import os, sys
import numpy as np
import tifffile
out = sys.argv[1]
image = np.random.default_rng(11).integers(0, 65536, (150, 203), dtype=np.uint16)
for name, options in {
    "tifffile uncompressed tiles 64x64": {"tile": (64, 64)},
    "tifffile uncompressed tiles 32x48": {"tile": (32, 48)},
    "tifffile big-endian uncompressed strips of 7": {"byteorder": ">", "rowsperstrip": 7},
    "tifffile deflate+predictor strips of 5": {"compression": "zlib", "predictor": True, "rowsperstrip": 5},
    "tifffile big-endian deflate+predictor strips of 16": {"byteorder": ">", "compression": "zlib", "predictor": True, "rowsperstrip": 16},
    "tifffile big-endian deflate+predictor tiles 64x64": {"byteorder": ">", "tile": (64, 64), "compression": "zlib", "predictor": True},
    "tifffile deflate code 32946 strips of 9": {"compression": 32946, "rowsperstrip": 9},
    "tifffile two pages (first read)": {"pages": 2},
}.items():
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    pages = options.pop("pages", 1)
    byteorder = options.pop("byteorder", "<")
    with tifffile.TiffWriter(os.path.join(folder, "image.tif"), byteorder=byteorder) as writer:
        for _ in range(pages):
            writer.write(image, photometric="minisblack", **options)
PY
for folder in "$work"/variants/tifffile*; do folders+=("$folder"); done
dotnet build -c Release bench/tiff/TiffBench.csproj -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet artifacts/bin/TiffBench/release/TiffBench.dll "${ROUNDS:-5}" "${folders[@]}"
echo "load: $(uptime)"
echo "work dir: $work"
