#!/usr/bin/env python3
"""Python anchor of `visage bench loader`: aligned face images per second into normalized NCHW batches.

The pipeline Python face-recognition code uses: PIL decodes, NumPy converts and normalizes ((x/255 − 0.5)/0.5),
batches are stacked into a torch tensor. Measured twice — in one process, and through torch's DataLoader with
worker processes — and both printed as JSON, so the Swift loader is compared against the faster of the two.
"""
import argparse
import json
import os
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


def load(path: str) -> np.ndarray:
    with Image.open(path) as image:
        array = np.asarray(image.convert("RGB"), dtype=np.float32)
    return ((array / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


class Faces(Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        return torch.from_numpy(load(self.paths[index]))


def single_process(paths, batch: int) -> float:
    start = time.perf_counter()
    for offset in range(0, len(paths), batch):
        torch.from_numpy(np.stack([load(p) for p in paths[offset:offset + batch]]))
    return len(paths) / (time.perf_counter() - start)


def data_loader(paths, batch: int, workers: int) -> float:
    loader = DataLoader(Faces(paths), batch_size=batch, num_workers=workers, shuffle=False)
    start = time.perf_counter()
    for _ in loader:
        pass
    return len(paths) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", help="an ImageFolder of aligned faces")
    parser.add_argument("--images", type=int, default=4096)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    paths = list_images(args.root, args.images)
    single_process(paths[: args.batch], args.batch)  # warm the file cache
    print(json.dumps({
        "images": len(paths),
        "single_process_images_per_s": single_process(paths, args.batch),
        "dataloader_images_per_s": data_loader(paths, args.batch, args.workers),
        "workers": args.workers,
    }))


if __name__ == "__main__":
    main()
