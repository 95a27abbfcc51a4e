"""Timing shared by the Python anchor scripts, the counterpart of Visage's BenchmarkTiming."""

import statistics
import time


def median_ms(body, warmup: int, iterations: int, rounds: int) -> float:
    """Median milliseconds per call of `body` over `rounds` rounds of `iterations` calls, after `warmup` calls."""
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(iterations):
            body()
        samples.append((time.perf_counter() - start) * 1000 / iterations)
    return statistics.median(samples)


def median_ms_for(body, seconds: float, rounds: int) -> float:
    """Median milliseconds per call of `body` over `rounds` rounds, each as many calls as fit in about `seconds`
    judging by one warm-up call (BenchmarkTiming.medianMilliseconds(secondsPerRound:rounds:))."""
    start = time.perf_counter()
    body()
    warmup = time.perf_counter() - start
    iterations = max(1, int(seconds / max(warmup, 1e-6)))
    return median_ms(body, 0, iterations, rounds)
