#!/usr/bin/python3
"""Noisy CPJUMP1-like plate for the benches: 16-bit 1080x1080 LZW TIFFs whose size matches the real bucket's mean.

The cpg0000 images average 2,469,900 bytes, more than a raw 1080x1080 16-bit plane (2,332,800): Phenix images are
shot-noise limited and LZW barely compresses them. Each channel file here is Poisson photon noise over a smooth
background with bright cells, plus Gaussian read noise. One level knob (background counts; read noise follows it)
is calibrated on the first site so the mean file size hits --target-bytes; --predictor 2 needs more noise for the
same size, which the calibration finds. Writes <out>/rRRcCCfFFp01-chNsk1fk1fl1.tiff for channels 1-5 of --sites
sites (9 per well, wells A01, A02, ...) and prints the mean file size. Deterministic for a given --seed.
"""
import argparse
import io
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image, TiffImagePlugin

SIZE = 1080
CHANNELS = 5
REAL_MEAN_BYTES = 2_469_900  # cpg0000-jump-pilot/source_4 images: 7,481,514,441,972 bytes / 3,029,017 TIFFs


def site_names(sites):
    wells = [(row, col) for row in range(1, 17) for col in range(1, 25)]
    return [f"r{wells[i // 9][0]:02d}c{wells[i // 9][1]:02d}f{i % 9 + 1:02d}" for i in range(sites)]


def render(site_index, channel, level, seed):
    """One channel image: cells shared by the site's channels, channel-specific brightness, shot + read noise."""
    cells = np.random.default_rng([seed, site_index])
    noise = np.random.default_rng([seed, site_index, channel])
    y = np.arange(SIZE, dtype=np.float64)[:, None]
    x = np.arange(SIZE, dtype=np.float64)[None, :]
    relative = 1.0 + 0.15 * np.sin((x + 7 * channel) / 360.0) + 0.10 * np.cos(y / 270.0)
    for _ in range(int(cells.integers(20, 40))):
        cx, cy = cells.uniform(0, SIZE, 2)
        radius = cells.uniform(15, 45) * (0.6 if channel == 5 else 1.0)
        peak = cells.uniform(0.3, 1.5) / (1 + 0.2 * channel)
        reach = int(radius * 3)
        y0, y1 = max(0, int(cy) - reach), min(SIZE, int(cy) + reach)
        x0, x1 = max(0, int(cx) - reach), min(SIZE, int(cx) + reach)
        if y0 >= y1 or x0 >= x1:
            continue
        d2 = (x[:, x0:x1] - cx) ** 2 + (y[y0:y1, :] - cy) ** 2
        relative[y0:y1, x0:x1] += peak * np.exp(-d2 / (2 * radius * radius))
    brightness = level * (0.8 + 0.1 * channel)
    counts = noise.poisson(np.minimum(relative * brightness, 60000.0))
    read = noise.normal(0.0, 3.0 + level / 100.0, counts.shape)
    return np.clip(np.rint(counts + read + 100.0), 0, 65535).astype("<u2")


def encode(pixels, predictor):
    info = TiffImagePlugin.ImageFileDirectory_v2()
    if predictor == 2:
        info[317] = 2
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="I;16").save(buffer, format="TIFF", compression="tiff_lzw", tiffinfo=info)
    return buffer.getvalue()


def mean_size(level, predictor, seed):
    return np.mean([len(encode(render(0, channel, level, seed), predictor)) for channel in range(1, CHANNELS + 1)])


def calibrate(target, predictor, seed):
    """Bisects the level (log scale) until the first site's mean file size is within 1% of the target."""
    low, high = 1000.0, 60000.0
    for _ in range(10):
        level = (low * high) ** 0.5
        size = mean_size(level, predictor, seed)
        if abs(size - target) / target < 0.01:
            break
        low, high = (level, high) if size < target else (low, level)
    return level


def write_site(job):
    out, index, name, level, predictor, seed = job
    sizes = []
    for channel in range(1, CHANNELS + 1):
        data = encode(render(index, channel, level, seed), predictor)
        path = os.path.join(out, f"{name}p01-ch{channel}sk1fk1fl1.tiff")
        with open(path + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(path + ".tmp", path)
        sizes.append(len(data))
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="the plate's Images/ folder")
    parser.add_argument("--sites", type=int, required=True)
    parser.add_argument("--predictor", type=int, choices=(1, 2), default=1)
    parser.add_argument("--target-bytes", type=int, default=REAL_MEAN_BYTES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    level = calibrate(args.target_bytes, args.predictor, args.seed)
    jobs = [(args.out, i, name, level, args.predictor, args.seed) for i, name in enumerate(site_names(args.sites))]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        sizes = [size for site in pool.map(write_site, jobs) for size in site]
    mean = sum(sizes) / len(sizes)
    print(f"synthesised {args.sites} sites x {CHANNELS} channels, LZW predictor {args.predictor}, level {level:.0f}: "
          f"mean file {mean:,.0f} bytes ({mean / args.target_bytes:.3f}x the target {args.target_bytes:,}; "
          f"raw plane {SIZE * SIZE * 2:,}), min {min(sizes):,}, max {max(sizes):,}")


if __name__ == "__main__":
    sys.exit(main())
