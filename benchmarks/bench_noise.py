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

3. Without clean signals (``--part without-clean``): the data README's protocol, each training series once
   with one noise draw, for every noise kind: ``objective="noise2self"`` with its defaults and with
   ``noise_std`` given (the standard deviation of the noise drawn, per channel), ``objective="noise2noise"``
   with a second draw of each series (``default_rng(4)``), the supervised default on the same single pairs,
   and the wavelet filter (which needs no clean signals either). Each cell is the protocol's score, the dB
   gain of the pooled MSE over the noisy input (``10 log10(MSE(noisy) / MSE(denoised))``); ``!`` marks a
   fit that warned (harm, noise level).

Every number is fitted and measured in this run.
"""

import argparse
import copy
import pathlib
import sys
import warnings

import numpy as np

from skdenoise import DenoisingAutoencoder, UnfamiliarNoiseWarning
from skdenoise.baselines import IdentityDenoiser, PCADenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.evaluation import compare_denoisers
from skdenoise.metrics import snr_gain_db
from skdenoise.recordings import make_noisy_pairs, train_test_pairs

from bench_real import DEFAULT_DATA_DIR, REAL_SETS  # a sibling script: benchmarks/ is on sys.path

#: name: (kind, level) as the data README defines them
NOISE = {"white0.2": ("white", 0.2), "white0.5": ("white", 0.5), "white1.0": ("white", 1.0),
         "pink0.5": ("pink", 0.5), "spikes": ("spikes", 0.1)}
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
        kind, level = NOISE[name]
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
            kind, level = NOISE[test]
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


def without_clean_methods(seed, noise_std):
    return {
        'noise2self (no y)': (DenoisingAutoencoder(objective="noise2self", random_state=seed), None),
        'noise2self, noise_std given': (DenoisingAutoencoder(objective="noise2self", noise_std=noise_std,
                                                             random_state=seed), None),
        'noise2noise (y = 2nd draw)': (DenoisingAutoencoder(objective="noise2noise", random_state=seed), "second"),
        "supervised (y = clean)": (DenoisingAutoencoder(random_state=seed), "clean"),
        "wavelet sym8, BayesShrink": (WaveletDenoiser(threshold="bayes"), "clean"),
    }


def run_without_clean(path, kinds, seed):
    """{(method, kind): (pooled dB gain, warned)} for one set, each training series once with one noise draw."""
    recordings = np.load(path)["X"]
    cells = {}
    for name in kinds:
        kind, level = NOISE[name]
        X, y, X_test, y_test = train_test_pairs(recordings, n_copies=1, noise=kind, noise_std=level)
        second = make_noisy_pairs(y, noise=kind, noise_std=level, random_state=4)[0]
        noise_std = np.sqrt(np.mean(np.square(X - y), axis=(0, 2)))
        print(f"  {path.stem} {name}: {len(X)} noisy series, no clean targets", file=sys.stderr, flush=True)
        identity = float(np.mean(np.square(X_test - y_test), dtype=np.float64))
        for method, (estimator, target) in without_clean_methods(seed, noise_std).items():
            targets = {"clean": y, "second": second, None: None}[target]
            row = compare_denoisers({method: estimator}, X, targets, X_test, y_test)[0]
            cells[method, name] = (10 * np.log10(identity / row["mse"]), bool(row["warnings"]), row["fit_s"])
    return cells


def print_without_clean(sets, kinds, cells):
    print("\nWithout clean signals: each training series once, one noise draw; dB gain of the pooled MSE over the "
          "noisy input (fit s); ! = fit warned")
    for data_set in sets:
        print(f"\n{data_set}")
        print(f"{'method':32s}" + "".join(f"{kind:>17s}" for kind in kinds))
        methods_here = list(dict.fromkeys(m for (s, m, _) in cells if s == data_set))
        for method in methods_here:
            row = [cells[data_set, method, kind] for kind in kinds]
            print(f"{method:32s}" + "".join(f"{db:+7.2f}{'!' if warned else ' '}({fit_s:5.1f}) "
                                            for db, warned, fit_s in row))
        margins = [cells[data_set, "noise2self (no y)", k][0] - cells[data_set, "wavelet sym8, BayesShrink", k][0]
                   for k in kinds]
        print("noise2self over the wavelet filter: " + ", ".join(f"{k} {m:+.2f}" for k, m in zip(kinds, margins)))


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
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--sets", nargs="+", choices=REAL_SETS, default=list(REAL_SETS))
    parser.add_argument("--kinds", nargs="+", choices=list(NOISE), default=list(NOISE))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--part", choices=["matched", "without-clean", "all"], default="all",
                        help="matched and mismatch tables (1, 2), the table without clean signals (3), or all")
    args = parser.parse_args()
    missing = [s for s in args.sets if not (args.data_dir / f"{s}.npz").is_file()]
    if missing:
        sys.exit(f"bench_noise.py: no {', '.join(f'{m}.npz' for m in missing)} in {args.data_dir}; pass --data-dir.")
    if args.part in ("matched", "all"):
        matched, mismatch = {}, {}
        for data_set in args.sets:
            cells, mismatched = run_set(args.data_dir / f"{data_set}.npz", args.kinds, args.seed)
            matched.update({(data_set, *key): row for key, row in cells.items()})
            mismatch.update({(data_set, *key): value for key, value in mismatched.items()})
        print_tables(args.sets, args.kinds, matched, mismatch)
    if args.part in ("without-clean", "all"):
        cells = {}
        for data_set in args.sets:
            found = run_without_clean(args.data_dir / f"{data_set}.npz", args.kinds, args.seed)
            cells.update({(data_set, *key): value for key, value in found.items()})
        print_without_clean(args.sets, args.kinds, cells)


if __name__ == "__main__":
    main()
