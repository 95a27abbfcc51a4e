#!/usr/bin/env python3
"""Python anchor of `visage bench roofline`: the bridge-distillation student on the same libtorch (Debian python3-torch).

The network mirrors Sources/Visage/Models/Backbones/BridgeStudent.swift layer for layer, with the same state names
(`convs.0` … `convs.9`, `norms.0` … `norms.9`, `fc1`, `fc2`, `fc3`; 214,864 parameters at 128-D, asserted below):
ten bias-free convolutions each followed by BN and ReLU, two skip connections added before the ReLU, three 2×2
ceil-mode max pools, global average pooling and three fully connected layers. It runs as PyTorch users run it:
evaluation mode, no_grad, batch norm not folded, NCHW and channels-last. Prints one JSON object of faces/s,
`nchw_<side>x<batch>` and `channels_last_<side>x<batch>`; the Swift side is
Sources/VisageBenchmarks/Roofline/RooflineBenchmark.swift. With --check FILE (a safetensors file of a Visage student's
state plus `input` and `output` tensors) it loads that state instead, runs the input in evaluation mode and prints the
largest difference from Visage's output: the mirror's layer-for-layer check.
"""
import argparse
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

from anchor_timing import median_ms_for

STUDENT_128_PARAMETERS = 214_864
WIDTHS = [16, 32, 16, 32, 64, 32, 64, 96, 48, 128]
KERNELS = [3, 3, 1, 3, 3, 1, 3, 3, 1, 3]


class BridgeStudent(nn.Module):
    """BridgeStudent.swift's network: conv1 → pool; conv2–4 with skip 2→4 → pool; conv5–7 with skip 5→7 → pool;
    conv8–10 → global average pool; fc1 → ReLU → fc2 → ReLU → fc3."""

    def __init__(self, embedding_size=128):
        super().__init__()
        convs, channels = [], 3
        for width, kernel in zip(WIDTHS, KERNELS):
            convs.append(nn.Conv2d(channels, width, kernel, padding=kernel // 2, bias=False))
            channels = width
        self.convs = nn.ModuleList(convs)
        self.norms = nn.ModuleList([nn.BatchNorm2d(width) for width in WIDTHS])
        self.fc1 = nn.Linear(channels, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, embedding_size)
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def normalized(self, index, h):
        return self.norms[index](self.convs[index](h))

    def unit(self, index, h):
        return F.relu(self.normalized(index, h))

    @staticmethod
    def pool(h):
        return F.max_pool2d(h, 2, ceil_mode=True)

    def forward(self, x):
        h = self.pool(self.unit(0, x))
        skip1 = self.unit(1, h)
        h = self.pool(F.relu(skip1 + self.normalized(3, self.unit(2, skip1))))
        skip2 = self.unit(4, h)
        h = self.pool(F.relu(skip2 + self.normalized(6, self.unit(5, skip2))))
        h = self.unit(9, self.unit(8, self.unit(7, h))).mean([2, 3])
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(h)))))


def read_safetensors(path):
    """The float32 and int64 tensors of a safetensors file (8-byte little-endian header length, JSON header, data)."""
    with open(path, "rb") as file:
        data = file.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": torch.float32, "I64": torch.int64}[entry["dtype"]]
        start, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + start:8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=dtype).reshape(entry["shape"])
    return tensors


def check(path) -> None:
    """Prints the largest difference between the mirror's output and Visage's for Visage's weights and input."""
    tensors = read_safetensors(path)
    inputs, expected = tensors.pop("input"), tensors.pop("output")
    model = BridgeStudent(expected.shape[1]).eval()
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [key for key in missing if not key.endswith("num_batches_tracked")]
    assert not missing and not unexpected, f"state names differ: missing {missing}, unexpected {unexpected}"
    with torch.no_grad():
        output = model(inputs)
    print(json.dumps({"max_abs_difference": (output - expected).abs().max().item(),
                      "output_max_abs": expected.abs().max().item()}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sizes", default="16,32")
    parser.add_argument("--batches", default="1,256")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--check", help="safetensors file of a Visage student's state, input and output")
    args = parser.parse_args()
    if args.check:
        check(args.check)
        return

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = BridgeStudent().eval()
    count = sum(p.numel() for p in model.parameters())
    assert count == STUDENT_128_PARAMETERS, f"BridgeStudent has {count} parameters"
    sizes = [int(s) for s in args.sizes.split(",")]
    batches = [int(b) for b in args.batches.split(",")]
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": count}
    with torch.no_grad():
        for layout in ("nchw", "channels_last"):
            if layout == "channels_last":
                model.to(memory_format=torch.channels_last)
            for size in sizes:
                for batch in batches:
                    faces = torch.randn(batch, 3, size, size)
                    if layout == "channels_last":
                        faces = faces.contiguous(memory_format=torch.channels_last)
                    ms = median_ms_for(lambda: model(faces), args.seconds, args.rounds)
                    result[f"{layout}_{size}x{batch}"] = batch * 1000 / ms
    print(json.dumps(result))


if __name__ == "__main__":
    main()
