"""How often ``noise="auto"`` reads the noise's colour right, on synthetic recordings of seven kinds.

Run: ``python benchmarks/bench_noise_kind.py`` (about a minute; no network is trained).

Each kind of signal (slow and fast sines, steps, random walks, an autoregressive process of coefficient 0.9,
chirps, decaying pulses) at five layouts (100 x 256, 30 x 1,000 and single recordings of 600, 5,000 and
30,000 samples), with white or pink noise at 0.1, 0.3 and 1 times the signals' deviation
(``default_rng(0)``). Each cell counts what :func:`skdenoise.noise.estimate_noise_level` with ``"auto"``
concluded over that kind's 15 draws: read white / read pink / level not told (white floor not flat, pink not
taken). A signal whose own spectrum falls as 1/f under weak white noise is read pink: second-order statistics
cannot tell the two apart, which is why ``fit`` warns when ``"auto"`` takes the noise as pink.
Every number is measured in this run.
"""

import sys

import numpy as np

from skdenoise.noise import add_noise, estimate_noise_level

LAYOUTS = ((100, 256), (30, 1000), (1, 600), (1, 5000), (1, 30000))
LEVELS = (0.1, 0.3, 1.0)


def signals(kind, n, length, rng):
    t = np.arange(length)
    if kind == "slow sines":
        return np.sin(2 * np.pi * t / rng.uniform(20, 200, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))
    if kind == "fast sines":
        return np.sin(2 * np.pi * t / rng.uniform(3, 12, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))
    if kind == "steps":
        return np.cumsum(rng.random((n, 1, length)) < 0.01, axis=-1) % 3 * 0.7
    if kind == "random walk":
        walk = np.cumsum(rng.normal(0, 0.1, (n, 1, length)), axis=-1)
        return walk - walk.mean(axis=-1, keepdims=True)
    if kind == "autoregressive":
        x, shocks = np.zeros((n, 1, length)), rng.normal(0, 0.3, (n, 1, length))
        for i in range(1, length):
            x[..., i] = 0.9 * x[..., i - 1] + shocks[..., i]
        return x
    if kind == "chirp":
        return np.sin(2 * np.pi * (t / length) ** 2 * rng.uniform(20, 200, (n, 1, 1)))
    pulses = np.where(rng.random((n, 1, length)) < 0.02, rng.normal(0, 2, (n, 1, length)), 0.0)
    return np.apply_along_axis(lambda row: np.convolve(row, np.exp(-np.arange(20) / 4), "same"), -1, pulses)


KINDS = ("slow sines", "fast sines", "steps", "random walk", "autoregressive", "chirp", "decaying pulses")


def reading(noisy):
    estimate = estimate_noise_level(noisy, "auto")
    if getattr(estimate.model, "exponent", 0.0) == 1.0:
        return "pink"
    return "white" if estimate.trusted else "untold"


def main():
    rng = np.random.default_rng(0)
    counts = {}
    for kind in KINDS:
        for n, length in LAYOUTS:
            clean = signals(kind, n, length, rng)
            for noise in ("white", "pink"):
                for level in LEVELS:
                    noisy = add_noise(clean, noise, level * clean.std(), random_state=int(rng.integers(10**6)))
                    key = (kind, noise, reading(noisy))
                    counts[key] = counts.get(key, 0) + 1
        print(f"  {kind} done", file=sys.stderr, flush=True)
    print("\nnoise=\"auto\" on synthetic recordings: draws read white / pink / level not told (of 15 per cell)")
    print(f"{'signal':18s}{'white noise':>16s}{'pink noise':>16s}")
    for kind in KINDS + ("all",):
        cells = []
        for noise in ("white", "pink"):
            found = [sum(v for (k, m, r), v in counts.items() if m == noise and r == read and kind in (k, "all"))
                     for read in ("white", "pink", "untold")]
            cells.append(" / ".join(f"{c:3d}" for c in found))
        print(f"{kind:18s}{cells[0]:>16s}{cells[1]:>16s}")


if __name__ == "__main__":
    main()
