"""The noise users meet: every method on the real sets under five noise kinds, and at levels it was not trained on.

Run: ``python benchmarks/bench_noise.py [--data-dir ../shared/data] [--sets ...] [--kinds ...] [--part ...]``

Protocol and noise kinds of the data README (``--data-dir``): each series z-normalised per channel, split
60/40 by ``default_rng(0).permutation``; training pairs are each training series 10 times with fresh noise
(``default_rng(1)``), the test series once each (``default_rng(2)``). Noise kinds: ``white0.2``,
``white0.5``, ``white1.0`` (gaussian), ``pink0.5`` (1/f, std 0.5) and ``spikes`` (gaussian std 0.1 plus, on
3% of the samples, spikes of std 2), made by :mod:`skdenoise.noise`.

1. Matched: every method trained and tested on the same kind. dB gain over the noisy input (fit seconds).
2. Mismatch: the default trained on ``white0.5`` and tested on the test series with ``white0.2`` and
   ``white1.0`` (test noise ``default_rng(3)``), beside the default trained at the level it meets, the
   wavelet filter, the same models with ``match_noise_level=False``, the default with ``noise_scaling=None``
   (trained at its pairs' level only, as before level-robust training), and whether ``predict`` warned of
   unfamiliar noise.

3. Without clean signals (``--part without-clean``): ``bench_without_clean.py``, the data README's protocol
   without clean signals for every noise kind, with the supervised default beside it.

Every number is fitted and measured in this run.
"""

import argparse
import copy
import sys
import warnings

import bench_without_clean  # sibling scripts: benchmarks/ is on sys.path
import numpy as np
from bench_real import NOISE_KINDS, add_set_arguments, exit_if_sets_missing

from skdenoise import DenoisingAutoencoder, UnfamiliarNoiseWarning
from skdenoise.baselines import IdentityDenoiser, PCADenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.evaluation import compare_denoisers
from skdenoise.metrics import snr_gain_db
from skdenoise.recordings import make_noisy_pairs, train_test_pairs

DEFAULT = "DenoisingAutoencoder() (default)"
ONE_LEVEL = "default with noise_scaling=None"
MISMATCH_TRAIN, MISMATCH_TESTS = "white0.5", ("white0.2", "white1.0")


def methods(seed):
    rows = {DEFAULT: DenoisingAutoencoder(random_state=seed),
            ONE_LEVEL: DenoisingAutoencoder(noise_scaling=None, random_state=seed)}
    rows.update({
        'architecture="mlp"': DenoisingAutoencoder(architecture="mlp", random_state=seed),
        'architecture="conv"': DenoisingAutoencoder(architecture="conv", random_state=seed),
        "Savitzky-Golay (window chosen in fit)": SavitzkyGolayDenoiser(),
        "wavelet sym8, BayesShrink": WaveletDenoiser(threshold="bayes"),
        "PCA(16)": PCADenoiser(n_components=16),
        "identity": IdentityDenoiser(),
    })
    return rows


def measure(estimator, noisy, clean):
    """dB gain of a fitted estimator's prediction, and whether predict warned of unfamiliar noise."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnfamiliarNoiseWarning)
        denoised = estimator.predict(noisy)
    warned = any(issubclass(w.category, UnfamiliarNoiseWarning) for w in caught)
    return snr_gain_db(clean, noisy, denoised), warned


def run_set(path, kinds, seed):
    """Matched cells {(method, kind): row} and mismatch cells {(label, test kind): (dB, warned)}."""
    recordings = np.load(path)["X"]
    matched, fitted = {}, {}
    for name in kinds:
        kind, level = NOISE_KINDS[name]
        # The split is the same for every kind: y_test holds the same clean test series each time.
        X, y, X_test, y_test = train_test_pairs(recordings, noise=kind, noise_std=level)
        print(f"  {path.stem} {name}: {len(X)} training pairs of shape {X.shape[1:]}", file=sys.stderr, flush=True)
        estimators = methods(seed)
        for row in compare_denoisers(estimators, X, y, X_test, y_test):
            matched[row["method"], name] = row
        fitted[name] = estimators
    mismatch = {}
    if MISMATCH_TRAIN in fitted:
        for test in (t for t in MISMATCH_TESTS if t in fitted):
            kind, level = NOISE_KINDS[test]
            noisy = make_noisy_pairs(y_test, noise=kind, noise_std=level, random_state=3)[0]
            default = fitted[MISMATCH_TRAIN][DEFAULT]
            unmatched = copy.copy(default).set_params(match_noise_level=False)  # the same network
            one_level = fitted[MISMATCH_TRAIN][ONE_LEVEL]
            rows = {f"default trained {MISMATCH_TRAIN}": default,
                    "  the same, match_noise_level=False": unmatched,
                    f"{ONE_LEVEL} trained {MISMATCH_TRAIN}": one_level,
                    "  the same, match_noise_level=False ": copy.copy(one_level).set_params(match_noise_level=False),
                    "default trained at the level it meets": fitted[test][DEFAULT],
                    "wavelet sym8, BayesShrink": fitted[test]["wavelet sym8, BayesShrink"]}
            for label, estimator in rows.items():
                mismatch[label, test] = measure(estimator, noisy, y_test)
    return matched, mismatch


def print_tables(sets, kinds, matched, mismatch):
    for data_set in sets:
        print(f"\n{data_set}: SNR gain over the noisy input in dB (fit seconds), trained and tested on the same noise")
        print(f"{'method':40s}" + "".join(f"{kind:>17s}" for kind in kinds) + "  warnings")
        names = list(dict.fromkeys(name for (s, name, _) in matched if s == data_set))
        for name in names:
            rows = [matched[data_set, name, kind] for kind in kinds]
            warned = sorted({f"{w} ({kind})" for row, kind in zip(rows, kinds) for w in row["warnings"]})
            print(f"{name:40s}" + "".join(f"{row['snr_gain_db']:+8.2f} ({row['fit_s']:5.1f})" for row in rows)
                  + "  " + (", ".join(warned) or "none"))
        classical = [n for n in names if not n.startswith(("Denoising", "default", "architecture", "identity"))]
        margins = []
        for kind in kinds:
            gains = {n: matched[data_set, n, kind]["snr_gain_db"] for n in [DEFAULT, *classical]}
            margins.append(f"{kind} {gains[DEFAULT] - max(gains[n] for n in classical):+.2f}")
        print("default over the best classical baseline: " + ", ".join(margins))
    tests = [t for t in MISMATCH_TESTS if any(key[2] == t for key in mismatch)]
    if not tests:
        return
    print("\nMismatch: dB gain on test noise default_rng(3); * = predict warned of unfamiliar noise")
    labels = list(dict.fromkeys(label for (_, label, _) in mismatch))
    print(f"{'':48s}" + "".join(f"{f'{s[:14]} {t}':>26s}" for s in sets for t in tests))
    for label in labels:
        cells = []
        for data_set in sets:
            for test in tests:
                db, warned = mismatch.get((data_set, label, test), (np.nan, False))
                cells.append(f"{db:+.2f}{'*' if warned else ' '}")
        print(f"{label:48s}" + "".join(f"{cell:>26s}" for cell in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_set_arguments(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--part", choices=["matched", "without-clean", "all"], default="all",
                        help="matched and mismatch tables (1, 2), the table without clean signals (3), or all")
    args = parser.parse_args()
    exit_if_sets_missing(args, "bench_noise.py")
    if args.part in ("matched", "all"):
        matched, mismatch = {}, {}
        for data_set in args.sets:
            cells, mismatched = run_set(args.data_dir / f"{data_set}.npz", args.kinds, args.seed)
            matched.update({(data_set, *key): row for key, row in cells.items()})
            mismatch.update({(data_set, *key): value for key, value in mismatched.items()})
        print_tables(args.sets, args.kinds, matched, mismatch)
    if args.part in ("without-clean", "all"):
        bench_without_clean.main(["--data-dir", str(args.data_dir), "--sets", *args.sets, "--kinds", *args.kinds,
                                  "--seed", str(args.seed)])


if __name__ == "__main__":
    main()
