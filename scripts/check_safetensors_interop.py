#!/usr/bin/env python3
"""Safetensors interoperability between Visage's Torch layer (Swift) and PyTorch.

Needs only PyTorch (Debian's python3-torch); the safetensors format is read and written here with struct and
json so the check does not depend on the `safetensors` package.

    check_safetensors_interop.py write DIR   # PyTorch writes reference models, inputs and outputs into DIR
    check_safetensors_interop.py check DIR   # PyTorch loads what Swift wrote into DIR and checks it

Models (the Swift test builds the same architectures; state-dict keys must match exactly, loaded strictly):
  convnet   Sequential(Conv2d(1,4,3,padding=1), BatchNorm2d(4), PReLU(4), Flatten(), Linear(64,3)), input [2,1,4,4]
  upsampler Sequential(ConvTranspose2d(2,4,3,stride=2,padding=1,output_padding=1), GroupNorm(2,4), ReLU(),
            Flatten(), LayerNorm(256)), input [2,2,4,4]
  attention MultiheadAttention(8, 2, batch_first=True), query [2,5,8], key and value [2,3,8]
For each model M: M.safetensors holds the state dict, M-io.safetensors the inputs and the eval-mode "output".
dtypes.safetensors holds one tensor of every supported dtype with fixed values (see expected_dtypes) and
metadata {"producer": ..., "note": ...}.

`check` also requires what Visage's writer promises beyond the format: the header padded to 8 bytes and every
non-empty tensor aligned to its element size. (This script's own writer orders tensors by key, so the files it
writes exercise unaligned reads on the Swift side.)

Exit status 0 and "OK ..." on success, 1 with a message on failure.
"""

import json
import struct
import sys

import torch
import torch.nn as nn

DTYPE_NAMES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.int64: "I64", torch.int32: "I32",
    torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}
DTYPES = {name: dtype for dtype, name in DTYPE_NAMES.items()}
NOTE = 'quote " backslash \\ newline \n unicode é'


def save_file(tensors, path, metadata=None):
    """Writes `tensors` as the safetensors format specifies: u64 LE header size, JSON header, packed data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for key in sorted(tensors):
        tensor = tensors[key].detach().contiguous()
        raw = bytes(tensor.reshape(-1).view(torch.uint8).tolist()) if tensor.numel() else b""
        header[key] = {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for chunk in chunks:
            file.write(chunk)


def load_file(path):
    """Reads a safetensors file, checking the layout rules; returns (tensors, metadata)."""
    with open(path, "rb") as file:
        data = file.read()
    (size,) = struct.unpack("<Q", data[:8])
    if 8 + size > len(data):
        raise ValueError(f"{path}: header length {size} beyond file")
    if (8 + size) % 8:
        raise ValueError(f"{path}: header not padded to a multiple of 8 bytes")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    body = data[8 + size:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    cursor = 0
    for key, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
        begin, end = entry["data_offsets"]
        if begin != cursor:
            raise ValueError(f"{path}: tensor {key} starts at {begin}, expected {cursor}")
        cursor = end
        dtype = DTYPES[entry["dtype"]]
        element = torch.empty((), dtype=dtype).element_size()
        if end > begin and begin % element:
            raise ValueError(f"{path}: tensor {key} is not aligned to its element size")
        shape = entry["shape"]
        if end == begin:
            tensors[key] = torch.empty(shape, dtype=dtype)
        else:
            tensors[key] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(shape).clone()
    if cursor != len(body):
        raise ValueError(f"{path}: {len(body) - cursor} trailing bytes")
    return tensors, metadata


def build(name):
    if name == "convnet":
        return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.PReLU(4), nn.Flatten(),
                             nn.Linear(64, 3))
    if name == "upsampler":
        return nn.Sequential(nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1), nn.GroupNorm(2, 4),
                             nn.ReLU(), nn.Flatten(), nn.LayerNorm(256))
    if name == "attention":
        return nn.MultiheadAttention(8, 2, batch_first=True)
    raise ValueError(name)


def run(name, model, io):
    with torch.no_grad():
        if name == "attention":
            return model(io["query"], io["key"], io["value"], need_weights=False)[0]
        return model(io["input"])


def inputs(name):
    if name == "convnet":
        return {"input": torch.randn(2, 1, 4, 4)}
    if name == "upsampler":
        return {"input": torch.randn(2, 2, 4, 4)}
    return {"query": torch.randn(2, 5, 8), "key": torch.randn(2, 3, 8), "value": torch.randn(2, 3, 8)}


def expected_dtypes():
    return {
        "f64": (torch.arange(6, dtype=torch.float64) * 0.5).reshape(2, 3),
        "f32": (torch.arange(6, dtype=torch.float32) * 0.5).reshape(3, 2),
        "f16": torch.tensor([0.5, -1.25, 2.0], dtype=torch.float16),
        "i64": torch.tensor([-3, 0, 2 ** 40], dtype=torch.int64),
        "i32": torch.tensor([-7, 7], dtype=torch.int32),
        "i16": torch.tensor([-300, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.5, dtype=torch.float32),
        "empty": torch.zeros(0, 4, dtype=torch.float32),
    }


MODELS = ["convnet", "upsampler", "attention"]


def write(folder):
    torch.manual_seed(0)
    for name in MODELS:
        model = build(name)
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.uniform_(-1, 1)
        if name == "convnet":
            model.train()
            with torch.no_grad():
                for _ in range(3):
                    model(torch.randn(8, 1, 4, 4) * 2 + 0.5)  # moves BatchNorm's running statistics
        model.eval()
        io = inputs(name)
        io["output"] = run(name, model, io)
        save_file(model.state_dict(), f"{folder}/{name}.safetensors", {"format": "pt"})
        save_file(io, f"{folder}/{name}-io.safetensors")
    save_file(expected_dtypes(), f"{folder}/dtypes.safetensors", {"producer": "python", "note": NOTE})
    print(f"OK wrote {', '.join(MODELS)} and dtypes to {folder}")


def check(folder):
    try:
        return check_files(folder)
    except (ValueError, KeyError, OSError) as error:
        print(f"FAILED\n{error}")
        return 1


def check_files(folder):
    failures = []
    for name in MODELS:
        model = build(name)
        state, _ = load_file(f"{folder}/{name}.safetensors")
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as error:
            failures.append(f"{name}: {error}")
            continue
        model.eval()
        io, _ = load_file(f"{folder}/{name}-io.safetensors")
        output = run(name, model, io)
        if output.shape != io["output"].shape or not torch.allclose(output, io["output"], atol=1e-5, rtol=1e-4):
            difference = (output - io["output"]).abs().max().item() if output.shape == io["output"].shape else None
            failures.append(f"{name}: PyTorch output differs from Swift's (max difference {difference})")
    tensors, metadata = load_file(f"{folder}/dtypes.safetensors")
    if metadata != {"producer": "swift", "note": NOTE}:
        failures.append(f"dtypes: metadata {metadata!r}")
    for key, expected in expected_dtypes().items():
        actual = tensors.get(key)
        if actual is None or actual.dtype != expected.dtype or actual.shape != expected.shape \
                or not torch.equal(actual, expected):
            failures.append(f"dtypes: {key} is {actual!r}, expected {expected!r}")
    if set(tensors) != set(expected_dtypes()):
        failures.append(f"dtypes: keys {sorted(tensors)}")
    if failures:
        print("FAILED\n" + "\n".join(failures))
        return 1
    print(f"OK PyTorch loaded {', '.join(MODELS)} strictly, reproduced Swift's outputs, read all dtypes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2]))
