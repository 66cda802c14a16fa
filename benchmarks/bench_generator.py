"""Generator speed and memory: ours against the seed's per-signal loop, measured in the same run.

Run: ``python benchmarks/bench_generator.py [--n-samples 10000]``. Peak memory is numpy's allocations
as seen by ``tracemalloc``; the ratio compares it with the size of the returned arrays.
"""

import argparse
import time
import tracemalloc

import numpy as np

from skdenoise import CyclicSignalGenerator


def seed_loop(n_samples, rng, K=512, B=2):
    """The seed's generator: legacy numpy RNG (its np.random.* calls), one signal at a time, float64."""
    functions = [lambda x: np.cos(0.1 * x), lambda x: np.cos(x), lambda x: np.cos(3 * x)]
    x = np.arange(K * B) * 2 * np.pi / K
    grid = np.repeat(np.tile(x, (1, 1))[np.newaxis], n_samples, axis=0)
    noise = rng.normal(0, 0.4, grid.shape)
    coef = rng.uniform(-2, 2, (n_samples, len(functions)))
    coef = np.where(np.abs(coef) < 0.1, 0, coef)
    for i in range(n_samples):
        total = np.zeros((1, K * B))
        for j, function in enumerate(functions):
            total += coef[i, j] * function(grid[i])
        grid[i] = total
    clean, noisy = grid, grid + noise
    for a in (clean, noisy):
        a -= a.min(axis=2, keepdims=True)
        a /= a.max(axis=2, keepdims=True) + 1e-5
    return noisy, clean


def measure(make, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    noisy, clean = make()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), peak, noisy.nbytes + clean.nbytes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n = args.n_samples
    rows = {
        "seed loop (float64)": measure(lambda: seed_loop(n, np.random.RandomState(0)), args.repeats),
        "CyclicSignalGenerator (float32)": measure(
            lambda: CyclicSignalGenerator(random_state=0).generate(n), args.repeats),
        "CyclicSignalGenerator (float64)": measure(
            lambda: CyclicSignalGenerator(dtype=np.float64, random_state=0).generate(n), args.repeats),
    }
    base = rows["seed loop (float64)"][0]
    print(f"{n} signals x 1024 samples, best of {args.repeats}")
    print(f"{'generator':34s} {'time s':>8s} {'speed-up':>9s} {'peak MiB':>9s} {'peak/output':>12s}")
    for name, (seconds, peak, out) in rows.items():
        print(f"{name:34s} {seconds:8.3f} {base / seconds:8.2f}x {peak / 2**20:9.1f} {peak / out:12.2f}")


if __name__ == "__main__":
    main()
