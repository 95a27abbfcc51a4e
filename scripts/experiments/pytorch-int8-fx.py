#!/usr/bin/env python3
"""PyTorch's own int8 inference of the networks `visage bench precision` mirrors, for issue 21's notes
(docs/experiments/precision.md): FX graph-mode post-training quantization with `get_default_qconfig_mapping("onednn")`
on the same libtorch (Debian's python3-torch), calibrated on random faces (speed does not depend on the values), timed
in NCHW and channels-last. Run from the repository root with glibc keeping freed memory, as Visage does:

    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647 /usr/bin/python3 scripts/experiments/pytorch-int8-fx.py \
        --network mobilefacenet --batch 64

--network student (the 16×16 bridge student) or mobilefacenet; --engine onednn (Visage's) or qnnpack, the build's
other quantized engine; prints faces/s per layout, fp32 and int8; --profile adds libtorch's profile of the int8
network (the operators by self time, µs a call) at that batch, channels-last.
"""
import argparse
import sys
import time
import warnings

import torch
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

sys.path.insert(0, "Sources/VisageBenchmarks/Anchors")
from bridge_student import BridgeStudent  # noqa: E402
from recognition_step import MobileFaceNet  # noqa: E402


def faces_per_second(model, faces, seconds=2.0):
    with torch.no_grad():
        model(faces)
        runs, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            model(faces)
            runs += 1
        return runs * faces.shape[0] / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--network", choices=["student", "mobilefacenet"], default="student")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--engine", choices=["onednn", "qnnpack"], default="onednn")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    torch.backends.quantized.engine = args.engine
    torch.manual_seed(0)
    model, side = (BridgeStudent(), 16) if args.network == "student" else (MobileFaceNet(), 112)
    model.eval()
    faces = torch.randn(args.batch, 3, side, side)
    prepared = prepare_fx(model, get_default_qconfig_mapping(args.engine), (faces,))
    with torch.no_grad():
        for _ in range(4):
            prepared(torch.randn(16, 3, side, side))
    quantized = convert_fx(prepared)
    for layout in ("nchw", "channels_last"):
        x = faces if layout == "nchw" else faces.contiguous(memory_format=torch.channels_last)
        fp32 = model.to(memory_format=torch.channels_last) if layout == "channels_last" else model
        print(f"{args.network} {args.engine} batch {args.batch} {layout}: fp32 {faces_per_second(fp32, x):.1f} faces/s, "
              f"int8 {faces_per_second(quantized, x):.1f} faces/s")
    if args.profile:
        with torch.no_grad(), torch.autograd.profiler.profile() as profile:
            for _ in range(100):
                quantized(x)
        print(profile.key_averages().table(sort_by="self_cpu_time_total", row_limit=8))


if __name__ == "__main__":
    main()
