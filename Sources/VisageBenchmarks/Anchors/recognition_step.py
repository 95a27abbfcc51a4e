#!/usr/bin/env python3
"""Python anchor of `visage bench recognition`: MobileFaceNet + ArcFace on the same libtorch (Debian python3-torch).

The network mirrors Visage's MobileFaceNet layer for layer (insightface arcface_torch's `get_mbf`: blocks
(1, 4, 6, 2), scale 2, GDC head; 2,059,520 parameters at 512-D, asserted below) and the head computes the same
ArcFace logits as Sources/Visage/Losses/MarginSoftmax.swift. Prints one JSON object of median milliseconds per
iteration; the Swift side (Sources/VisageBenchmarks/RecognitionBenchmark.swift) times the same protocol.
"""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from anchor_timing import median_ms

MOBILEFACENET_512_PARAMETERS = 2_059_520


class ConvBlock(nn.Module):
    """Conv (no bias) → BN → per-channel PReLU, or without the PReLU when linear."""

    def __init__(self, in_c, out_c, kernel=1, stride=1, padding=0, groups=1, linear=False):
        super().__init__()
        parts = [nn.Conv2d(in_c, out_c, kernel, stride, padding, groups=groups, bias=False), nn.BatchNorm2d(out_c)]
        if not linear:
            parts.append(nn.PReLU(out_c))
        self.layers = nn.Sequential(*parts)

    def forward(self, x):
        return self.layers(x)


class DepthWise(nn.Module):
    """1×1 expansion → 3×3 depthwise with stride → linear 1×1 projection, plus the input when residual."""

    def __init__(self, in_c, out_c, groups, stride, residual=False):
        super().__init__()
        self.residual = residual
        self.layers = nn.Sequential(
            ConvBlock(in_c, groups, 1),
            ConvBlock(groups, groups, 3, stride, 1, groups=groups),
            ConvBlock(groups, out_c, 1, linear=True))

    def forward(self, x):
        return x + self.layers(x) if self.residual else self.layers(x)


class Residual(nn.Module):
    """A stack of residual stride-1 DepthWise blocks."""

    def __init__(self, channels, blocks, groups):
        super().__init__()
        self.layers = nn.Sequential(*[DepthWise(channels, channels, groups, 1, residual=True) for _ in range(blocks)])

    def forward(self, x):
        return self.layers(x)


class GDC(nn.Module):
    """7×7 depthwise linear block → flatten → linear (no bias) → BN1d."""

    def __init__(self, embedding_size):
        super().__init__()
        self.layers = nn.Sequential(
            ConvBlock(512, 512, 7, groups=512, linear=True),
            nn.Flatten(),
            nn.Linear(512, embedding_size, bias=False),
            nn.BatchNorm1d(embedding_size))

    def forward(self, x):
        return self.layers(x)


class MobileFaceNet(nn.Module):
    """arcface_torch's get_mbf: blocks (1, 4, 6, 2), scale 2."""

    def __init__(self, embedding_size=512, blocks=(1, 4, 6, 2), scale=2):
        super().__init__()
        narrow, wide = 64 * scale, 128 * scale
        layers = [ConvBlock(3, narrow, 3, 2, 1)]
        if blocks[0] == 1:
            layers.append(ConvBlock(narrow, narrow, 3, 1, 1, groups=64))
        else:
            layers.append(Residual(narrow, blocks[0], 128))
        layers += [
            DepthWise(narrow, narrow, 128, 2),
            Residual(narrow, blocks[1], 128),
            DepthWise(narrow, wide, 256, 2),
            Residual(wide, blocks[2], 256),
            DepthWise(wide, wide, 512, 2),
            Residual(wide, blocks[3], 256),
        ]
        self.layers = nn.ModuleList(layers)
        self.conv_sep = ConvBlock(wide, 512, 1)
        self.features = GDC(embedding_size)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.features(self.conv_sep(x))


class ArcFace(nn.Module):
    """MarginSoftmax with MarginKind.arcFace(scale: 64, margin: 0.5): same formula and fallback."""

    def __init__(self, embedding_size, classes, scale=64.0, margin=0.5):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(classes, embedding_size) * 0.01)
        self.scale, self.margin = scale, margin

    def loss(self, embeddings, labels):
        cosine = (F.normalize(embeddings) @ F.normalize(self.weight).t()).clamp(-1, 1)
        index = labels.view(-1, 1)
        target = cosine.gather(1, index)
        sine = (1 - target.square()).clamp(min=1e-12).sqrt()
        shifted = target * math.cos(self.margin) - sine * math.sin(self.margin)
        fallback = target - math.sin(math.pi - self.margin) * self.margin
        margin_target = torch.where(target > math.cos(math.pi - self.margin), shifted, fallback)
        logits = cosine.scatter(1, index, margin_target) * self.scale
        return F.cross_entropy(logits, labels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--train-batch", type=int, default=64)
    parser.add_argument("--inference-batch", type=int, default=256)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--embedding-size", type=int, default=512)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = MobileFaceNet(args.embedding_size)
    if args.embedding_size == 512:
        count = sum(p.numel() for p in model.parameters())
        assert count == MOBILEFACENET_512_PARAMETERS, f"MobileFaceNet has {count} parameters"
    head = ArcFace(args.embedding_size, args.classes)
    optimizer = torch.optim.SGD(list(model.parameters()) + list(head.parameters()), lr=0.01, momentum=0.9,
                                weight_decay=5e-4)
    images = torch.randn(args.train_batch, 3, 112, 112)
    labels = torch.randint(0, args.classes, (args.train_batch,))
    faces = torch.randn(args.inference_batch, 3, 112, 112)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        head.loss(model(images), labels).backward()
        optimizer.step()

    model.train()
    head.train()
    train = median_ms(train_step, args.warmup, args.iterations, args.rounds)

    model.eval()
    with torch.no_grad():
        nchw = median_ms(lambda: model(faces), args.warmup, args.iterations, args.rounds)
        model.to(memory_format=torch.channels_last)
        faces_last = faces.contiguous(memory_format=torch.channels_last)
        channels_last = median_ms(lambda: model(faces_last), args.warmup, args.iterations, args.rounds)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_step_ms": train,
        "inference_nchw_ms": nchw,
        "inference_channels_last_ms": channels_last,
    }))


if __name__ == "__main__":
    main()
