#!/usr/bin/python3
"""The Python reference's tensor stage, for the benches: per site, each of channels 1-5 read with Pillow
(np.array(Image.open(...)), uint16), cast to float32 and divided by 65535, stacked to (5,H,W), resized with
torch.nn.functional.interpolate(mode="bilinear", align_corners=False) to SxS and torch.save'd as a bare tensor to
<out>/<barcode>/rRRcCCfFF.pt, as the reference's load_site_as_tensor + tensor cache does. Sites run on --threads
threads (Pillow's decoder and torch release the GIL), each torch op single-threaded so the cores are shared alike.
Prints the wall time of the site loop (imports excluded) as "reference: N sites in T s".
"""
import argparse
import io
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

PATTERN = re.compile(r"^(r\d{2}c\d{2}f\d{2})p\d{2}-ch(\d)sk1fk1fl1\.tiff?$")


def load_channel(path):
    # Decoded from the bytes, not the path: Pillow's libtiff decoder closes the file descriptor it was given, and
    # with two threads that races with the other thread's open file (EBADF).
    with open(path, "rb") as handle:
        pixels = np.array(Image.open(io.BytesIO(handle.read())))
    if pixels.ndim != 2:
        raise ValueError(f"Expected a single-channel image at {path}")
    image = pixels.astype(np.float32)
    image /= np.iinfo(pixels.dtype).max
    return image


def build_site(job):
    key, paths, size, out = job
    site = torch.from_numpy(np.stack([load_channel(paths[channel]) for channel in range(1, 6)]))
    resized = F.interpolate(site.unsqueeze(0), size=(size, size), mode="bilinear", align_corners=False).squeeze(0).contiguous()
    torch.save(resized, os.path.join(out, f"{key}.pt"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images", help="a plate's Images/ folder")
    parser.add_argument("out", help="the tensors folder of the plate (<tensors>/<barcode>)")
    parser.add_argument("--size", type=int, default=384)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    sites = {}
    for name in sorted(os.listdir(args.images)):
        match = PATTERN.match(name)
        if match and 1 <= int(match.group(2)) <= 5:
            sites.setdefault(match.group(1), {})[int(match.group(2))] = os.path.join(args.images, name)
    complete = [(key, paths, args.size, args.out) for key, paths in sorted(sites.items()) if len(paths) == 5]
    os.makedirs(args.out, exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        list(pool.map(build_site, complete))
    print(f"reference: {len(complete)} sites in {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    sys.exit(main())
