#!/usr/bin/env python3
"""Python anchor of `visage bench loader`: aligned face images per second into normalized NCHW batches.

The pipeline Python face-recognition code uses: PIL decodes, NumPy converts, flips (the usual random horizontal
flip, p = 0.5) and normalizes ((x/255 − 0.5)/0.5), batches are stacked into a torch tensor. Measured in one
process, and through torch's DataLoader with worker processes; both are printed as one JSON object (images per
second, median of the rounds). The Swift side (Sources/VisageBenchmarks/LoaderThroughputBenchmark.swift) passes
the same file list with --list, so both read the same images.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

EXTENSIONS = (".jpg", ".jpeg", ".png", ".pgm", ".ppm")


def list_images(root: str, limit: int):
    paths = []
    for identity in sorted(os.listdir(root)):
        folder = os.path.join(root, identity)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.lower().endswith(EXTENSIONS):
                paths.append(os.path.join(folder, name))
    return paths[:limit]


def load(path: str, flip: bool) -> np.ndarray:
    with Image.open(path) as image:
        array = np.asarray(image.convert("RGB"), dtype=np.float32)
    if flip:
        array = array[:, ::-1]
    return ((array / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


class Faces(Dataset):
    def __init__(self, paths, flips):
        self.paths = paths
        self.flips = flips

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        return torch.from_numpy(load(self.paths[index], self.flips[index]))


def single_process(paths, flips, batch: int) -> float:
    start = time.perf_counter()
    for offset in range(0, len(paths), batch):
        end = offset + batch
        torch.from_numpy(np.stack([load(p, f) for p, f in zip(paths[offset:end], flips[offset:end])]))
    return len(paths) / (time.perf_counter() - start)


def data_loader(paths, flips, batch: int, workers: int) -> float:
    loader = DataLoader(Faces(paths, flips), batch_size=batch, num_workers=workers, shuffle=False)
    start = time.perf_counter()
    for _ in loader:
        pass
    return len(paths) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", help="an ImageFolder of aligned faces (or give --list)")
    parser.add_argument("--list", help="a file of image paths, one a line, used instead of scanning root")
    parser.add_argument("--images", type=int, default=4096)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.list:
        with open(args.list) as file:
            paths = [line.rstrip("\n") for line in file if line.strip()][: args.images]
    elif args.root:
        paths = list_images(args.root, args.images)
    else:
        parser.error("give an ImageFolder root or --list")
    torch.set_num_threads(1)
    flips = np.random.default_rng(0).random(len(paths)) < 0.5
    for path in paths:  # warm the file cache
        with open(path, "rb") as file:
            file.read()
    print(json.dumps({
        "images": len(paths),
        "single_process_images_per_s": statistics.median(
            single_process(paths, flips, args.batch) for _ in range(args.rounds)),
        "dataloader_images_per_s": statistics.median(
            data_loader(paths, flips, args.batch, args.workers) for _ in range(args.rounds)),
        "workers": args.workers,
    }))


if __name__ == "__main__":
    main()
