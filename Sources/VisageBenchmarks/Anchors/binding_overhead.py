#!/usr/bin/env python3
"""Python anchor of `visage bench binding`: the same small conv net, on the same libtorch (Debian python3-torch).

Prints one JSON object of median milliseconds per iteration. The Swift side (Sources/VisageBenchmarks/
BindingOverheadBenchmark.swift) builds the identical network and protocol, so the two are comparable as a ratio.
"""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from anchor_timing import median_ms


class SmallConvNet(nn.Module):
    """conv-bn-relu-pool ×2, conv-bn-relu, global average pool, linear: the benchmark's network."""

    def __init__(self, classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(128)
        self.fc = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.bn3(self.conv3(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = SmallConvNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 10, (args.batch,))
    single = torch.randn(1, 3, args.size, args.size)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()

    def inference(batch):
        with torch.no_grad():
            model(batch)

    model.train()
    train = median_ms(train_step, args.warmup, args.iterations, args.rounds)
    model.eval()
    infer = median_ms(lambda: inference(images), args.warmup, args.iterations, args.rounds)
    infer1 = median_ms(lambda: inference(single), args.warmup, args.iterations * 4, args.rounds)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_step_ms": train,
        "inference_ms": infer,
        "inference_batch1_ms": infer1,
    }))


if __name__ == "__main__":
    main()
