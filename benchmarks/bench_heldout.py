"""Without clean signals, on recordings never tuned on: the corpus's tuning half and held-out half in one run.

Run: ``python benchmarks/bench_heldout.py [--half tuning|held-out|both] [--families ...] [--kinds ...]
[--supervised-cache FILE]``

The corpus (``benchmarks/corpus.py``): seven synthetic families (sines, chirps, steps, decaying pulses,
heartbeat-like pulse trains, autoregressive processes, random walks) at three shapes (lengths 192 to 384,
one or three channels, amplitudes 0.01 to 40) x nine noise kinds (white 0.2, 0.5 and 1.0, pink 0.5, brown
0.3, spikes, a level ramping from 0.1 to 0.9 along each series, a level jumping from 0.2 to 0.8, white 0.5
shared 70% across channels) x three seeds, split once into halves by a fixed seed; and three real sets that
ship with aeon (GunPoint, ArrowHead, OSULeaf), held out. Each cell follows the shared sets' protocol: series
z-normalised, 60% train once with one noise draw, the rest test.

Each cell: the dB gain on the test series of ``objective="self-supervised"`` (``!``: it warned), of the best
classical filter fitted without clean signals (the wavelet filter, Savitzky-Golay with its window by Stein's
estimate, or the noisy input itself), and of the supervised default on 10 noisy copies of the same training
series with their clean versions. Per half: the share of cells where self-supervised is 0.5 dB or more over
the best classical, those more than 0.5 dB under it without a warning, and the gap to supervised (mean,
worst). Every number is measured in this run (``--supervised-cache`` reuses supervised rows of an earlier
run of the same code, to iterate faster).
"""

import argparse
import json
import pathlib
import sys
import time
import warnings

import numpy as np

from skdenoise import DenoisingAutoencoder, HarmWarning
from skdenoise.baselines import SavitzkyGolayDenoiser, WaveletDenoiser

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import corpus  # noqa: E402  (a sibling module)

MARGIN = 0.5  # dB over the best classical filter


def gain(noisy, clean, denoised):
    return float(10 * np.log10(np.mean(np.square(noisy - clean), dtype=np.float64)
                               / np.mean(np.square(denoised - clean), dtype=np.float64)))


def self_supervised(X, X_test, y_test):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", HarmWarning)
        start = time.perf_counter()
        model = DenoisingAutoencoder(objective="self-supervised", random_state=0).fit(X)
        seconds = time.perf_counter() - start
        denoised = model.predict(X_test)
    warned = any(issubclass(w.category, HarmWarning) for w in caught)
    return gain(X_test, y_test, denoised), warned, seconds, model.method_


def best_classical(X, X_test, y_test):
    """The best of the wavelet filter, Savitzky-Golay fitted without clean signals, and the input (0 dB)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gains = {name: gain(X_test, y_test, denoiser.fit(X).predict(X_test)) for name, denoiser in
                 (("wavelet", WaveletDenoiser(threshold="bayes")), ("savgol", SavitzkyGolayDenoiser()))}
    gains["identity"] = 0.0
    best = max(gains, key=gains.get)
    return gains[best], best


def supervised(cell, train, X_test, y_test):
    rng = np.random.default_rng([corpus.hash_of(cell.family), 99, cell.seed])
    X10 = np.concatenate([corpus.noisy(train.astype(np.float64) / _scale(cell), cell.kind, rng) * _scale(cell)
                          for _ in range(10)]).astype(np.float32)
    y10 = np.concatenate([train] * 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = DenoisingAutoencoder(random_state=0).fit(X10, y10)
        return gain(X_test, y_test, model.predict(X_test))


def _scale(cell):
    return 1.0 if cell.family in corpus.REAL_SETS else corpus.SHAPES[cell.seed][3]


def run_cell(cell, cache):
    X, train, X_test, y_test = cell.data()
    mine, warned, seconds, kept = self_supervised(X, X_test, y_test)
    classical, which = best_classical(X, X_test, y_test)
    if cell.name not in cache:
        cache[cell.name] = supervised(cell, train, X_test, y_test)
    return {"self": mine, "warned": warned, "seconds": seconds, "kept": kept, "classical": classical,
            "which": which, "supervised": cache[cell.name]}


def summary(label, rows):
    if not rows:
        return
    margins = np.array([r["self"] - r["classical"] for r in rows])
    gaps = np.array([r["supervised"] - r["self"] for r in rows])
    silent = sum(m < -MARGIN and not r["warned"] for m, r in zip(margins, rows))
    print(f"{label}: {len(rows)} cells; over the best classical by {MARGIN} dB or more in "
          f"{np.sum(margins >= MARGIN)} ({100 * np.mean(margins >= MARGIN):.0f}%), more than {MARGIN} dB under it "
          f"without a warning in {silent}; under supervised: mean {gaps.mean():.2f} dB, worst {gaps.max():.2f} dB; "
          f"fit s: median {np.median([r['seconds'] for r in rows]):.1f}, longest {max(r['seconds'] for r in rows):.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=["tuning", "held-out", "both"], default="both")
    parser.add_argument("--families", nargs="+", default=None, help="only these families or real sets")
    parser.add_argument("--kinds", nargs="+", choices=corpus.NOISE_KINDS, default=None)
    parser.add_argument("--supervised-cache", type=pathlib.Path, default=None)
    args = parser.parse_args(argv)
    tuning, held_out = corpus.split()
    halves = {"tuning": tuning, "held-out": held_out}
    chosen = halves if args.half == "both" else {args.half: halves[args.half]}
    cache = json.loads(args.supervised_cache.read_text()) if args.supervised_cache and \
        args.supervised_cache.is_file() else {}
    results = {}
    print(f"{'cell':34s} {'self':>7s} {'classical':>17s} {'supervised':>10s} {'margin':>7s} {'gap':>6s} "
          f"{'fit s':>6s}  kept")
    for half, cells in chosen.items():
        cells = [c for c in cells if (args.families is None or c.family in args.families)
                 and (args.kinds is None or c.kind in args.kinds)]
        for index, cell in enumerate(cells, start=1):
            print(f"[{half} {index}/{len(cells)}] {cell.name}", file=sys.stderr, flush=True)
            row = results.setdefault(half, {})[cell.name] = run_cell(cell, cache)
            print(f"{half[:4]} {cell.name:29s} {row['self']:+6.2f}{'!' if row['warned'] else ' '} "
                  f"{row['classical']:+6.2f} ({row['which']:8s}) {row['supervised']:+10.2f} "
                  f"{row['self'] - row['classical']:+7.2f} {row['supervised'] - row['self']:+6.2f} "
                  f"{row['seconds']:6.1f}  {row['kept']}", flush=True)
            if args.supervised_cache:
                args.supervised_cache.write_text(json.dumps(cache))
    print()
    for half, rows in results.items():
        summary(half, list(rows.values()))
        for real in corpus.REAL_SETS:
            summary(f"  {real}", [r for name, r in rows.items() if name.startswith(real + "/")])
        for kind in corpus.NOISE_KINDS:
            summary(f"  {kind}", [r for name, r in rows.items() if name.split("/")[1] == kind])


if __name__ == "__main__":
    main()
