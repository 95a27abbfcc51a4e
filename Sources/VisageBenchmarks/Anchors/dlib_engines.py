"""Python anchor of `visage bench engines`: dlib's own face pipeline timed on the same inputs as Visage's.

Prints one JSON line: descriptors/s at batch 1 and batch B (dlib's compute_face_descriptor on ready 150×150
chips), photos/s of dlib's CNN (MMOD) and HOG detectors (no upsampling), and photos/s of the whole
photo → template pipeline (CNN detector, 5-point model, chip, descriptor of every face found).

Run through `visage bench engines`, or directly:
    .venv-reference/bin/python Sources/VisageBenchmarks/Anchors/dlib_engines.py --chips CHIPS --photos PHOTOS --weights W [--batch 64]
"""
import argparse
import json
import time
from pathlib import Path

import dlib
import numpy as np
from PIL import Image


def rate(function, items, seconds):
    """Items per second of `function(items)` repeated for at least `seconds` after one warm-up call."""
    function(items)
    count, start = 0, time.perf_counter()
    while True:
        function(items)
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count * len(items) / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chips", required=True)
    parser.add_argument("--photos", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=3)
    args = parser.parse_args()
    weights = Path(args.weights)
    facerec = dlib.face_recognition_model_v1(str(weights / "dlib_face_recognition_resnet_model_v1.dat"))
    cnn = dlib.cnn_face_detection_model_v1(str(weights / "mmod_human_face_detector.dat"))
    hog = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(weights / "shape_predictor_5_face_landmarks.dat"))
    load = lambda folder: [np.array(Image.open(p).convert("RGB")) for p in sorted(Path(folder).glob("*.png"))]
    chips, photos = load(args.chips), load(args.photos)
    batch = (chips * (args.batch // len(chips) + 1))[: args.batch]

    def pipeline(images):
        for image in images:
            for detection in cnn(image, 0):
                facerec.compute_face_descriptor(image, predictor(image, detection.rect))

    result = {
        "dlib": dlib.__version__,
        "descriptor_batch1": rate(lambda items: [facerec.compute_face_descriptor(c) for c in items], chips[:8],
                                  args.seconds),
        "descriptor_batched": rate(lambda items: facerec.compute_face_descriptor(items), batch, args.seconds),
        "detect_cnn": rate(lambda items: [cnn(p, 0) for p in items], photos, args.seconds),
        "detect_hog": rate(lambda items: [hog(p, 0) for p in items], photos, args.seconds),
        "pipeline": rate(pipeline, photos, args.seconds),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
