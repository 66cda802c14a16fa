"""Denoising without clean signals: the self-supervised default against the classical filters and supervised training.

Run: ``python benchmarks/bench_without_clean.py [--data-dir ../shared/data] [--sets ...] [--kinds ...]``
(``python benchmarks/bench_noise.py --part without-clean`` runs it too).

The data README's protocol without clean signals: each training series once with one noise draw
(``default_rng(1)``), the test series once (``default_rng(2)``), every noise kind. Rows: the recommended
``objective="self-supervised"`` and ``"noise2self"`` with their defaults, the wavelet filter (BayesShrink;
it needs no clean signals either) and the supervised default on the matched protocol's 10 noisy copies per
series (the supervised table of ``bench_noise.py``); with ``--every-row`` also ``"recorrupted"``,
Noise2Self with the noise's true standard deviation as ``noise_std``, ``"noise2noise"`` with a second draw
(``default_rng(4)``) and the supervised default on the same single pairs (clean y). Each cell is the dB
gain of the pooled MSE over the noisy input; ``!`` marks a fit that warned. Below each set: the method
the self-supervised race kept, its estimated error (``validation_mse_``, from held-out training series, no
clean signal) beside its measured error on the test series, and its margins over the wavelet filter and
under the supervised default.

Single long recordings are ``benchmarks/bench_files.py``'s (the sets written as files, denoised by the
command line).

Every number is fitted and measured in this run.
"""

import argparse
import pathlib
import sys
import time
import warnings

import numpy as np

from skdenoise import DenoisingAutoencoder, HarmWarning
from skdenoise.baselines import WaveletDenoiser
from skdenoise.recordings import make_noisy_pairs, train_test_pairs

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_real import NOISE_KINDS, add_set_arguments, exit_if_sets_missing  # noqa: E402  (a sibling script)

SELF = 'self-supervised (default)'
WAVELET = "wavelet sym8, BayesShrink"
SUPERVISED = "supervised default, 10 copies (clean y)"


def methods(seed, noise_std, every_row):
    """(estimator, what y is) per row; the last four only with `every_row`."""
    rows = {
        SELF: (DenoisingAutoencoder(objective="self-supervised", random_state=seed), None),
        'noise2self': (DenoisingAutoencoder(objective="noise2self", random_state=seed), None),
        WAVELET: (WaveletDenoiser(threshold="bayes"), "clean"),
    }
    if every_row:
        rows.update({
            'recorrupted': (DenoisingAutoencoder(objective="recorrupted", random_state=seed), None),
            'noise2self, noise_std given': (DenoisingAutoencoder(objective="noise2self", noise_std=noise_std,
                                                                 random_state=seed), None),
            'noise2noise (y = 2nd draw)': (DenoisingAutoencoder(objective="noise2noise", random_state=seed),
                                           "second"),
            'supervised, same draw (clean y)': (DenoisingAutoencoder(random_state=seed), "clean"),
        })
    return rows


def gain(noisy, clean, denoised):
    return 10 * np.log10(np.mean(np.square(noisy - clean), dtype=np.float64)
                         / np.mean(np.square(denoised - clean), dtype=np.float64))


def fit_and_measure(estimator, X, y, X_test, y_test):
    """(dB gain on the test pair, whether fit or predict warned, fit seconds, the fitted estimator)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", HarmWarning)
        start = time.perf_counter()
        estimator.fit(X, y)
        seconds = time.perf_counter() - start
        denoised = estimator.predict(X_test)
    warned = any(issubclass(w.category, HarmWarning) for w in caught)
    return gain(X_test, y_test, denoised), warned, seconds, estimator, denoised


def kept_estimate(model):
    """The self-supervised race's estimated MSE of what it kept (validation_mse_)."""
    scores = model.validation_mse_
    return scores[model.method_] if model.method_ in scores else scores[model.architecture_]


def run_cells(path, kinds, seed, every_row=False):
    """{(method, kind): (dB, warned, fit s)} and {kind: (method kept, estimated MSE, measured MSE)} of one set."""
    recordings = np.load(path)["X"]
    cells, estimates = {}, {}
    for name in kinds:
        kind, level = NOISE_KINDS[name]
        X, y, X_test, y_test = train_test_pairs(recordings, n_copies=1, noise=kind, noise_std=level)
        second = make_noisy_pairs(y, noise=kind, noise_std=level, random_state=4)[0]
        noise_std = np.sqrt(np.mean(np.square(X - y), axis=(0, 2)))
        print(f"  {path.stem} {name}: {len(X)} noisy series, no clean targets", file=sys.stderr, flush=True)
        for method, (estimator, target) in methods(seed, noise_std, every_row).items():
            targets = {"clean": y, "second": second, None: None}[target]
            db, warned, seconds, fitted, denoised = fit_and_measure(estimator, X, targets, X_test, y_test)
            cells[method, name] = (db, warned, seconds)
            if method == SELF:
                measured = float(np.mean(np.square(denoised - y_test), dtype=np.float64))
                estimates[name] = (fitted.method_, kept_estimate(fitted), measured)
        X10, y10, X_test, y_test = train_test_pairs(recordings, n_copies=10, noise=kind, noise_std=level)
        cells[SUPERVISED, name] = fit_and_measure(DenoisingAutoencoder(random_state=seed), X10, y10, X_test,
                                                  y_test)[:3]
    return cells, estimates


def print_cells(sets, kinds, cells, estimates):
    print("\nWithout clean signals: each training series once, one noise draw; dB gain of the pooled MSE over the "
          "noisy input (fit s); ! = fit warned")
    margins, gaps, errors = [], [], []
    for data_set in sets:
        print(f"\n{data_set}")
        print(f"{'method':40s}" + "".join(f"{kind:>17s}" for kind in kinds))
        for method in dict.fromkeys(m for (s, m, _) in cells if s == data_set):
            print(f"{method:40s}" + "".join(f"{db:+7.2f}{'!' if warned else ' '}({seconds:5.1f}) "
                                            for db, warned, seconds in (cells[data_set, method, k] for k in kinds)))
        for kind in kinds:
            method, estimated, measured = estimates[data_set, kind]
            margin = cells[data_set, SELF, kind][0] - cells[data_set, WAVELET, kind][0]
            gap = cells[data_set, SUPERVISED, kind][0] - cells[data_set, SELF, kind][0]
            error = 10 * np.log10(max(estimated, 1e-12) / measured)
            margins.append(margin), gaps.append(gap), errors.append(error)
            print(f"  {kind:9s} kept {method:15s} estimated MSE {estimated:8.4f}, measured {measured:8.4f} "
                  f"({error:+5.1f} dB); over the wavelet filter {margin:+6.2f} dB; under supervised {gap:+6.2f} dB")
    print(f"\nself-supervised over the wavelet filter: worst {min(margins):+.2f} dB, "
          f"{sum(m >= 0.5 for m in margins)} of {len(margins)} cells at +0.5 dB or more")
    print(f"under the supervised default: mean {np.mean(gaps):.2f} dB, worst {max(gaps):.2f} dB")
    print(f"estimated error against measured: median {np.median(np.abs(errors)):.2f} dB, worst "
          f"{np.max(np.abs(errors)):.2f} dB (absolute)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_set_arguments(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every-row", action="store_true",
                        help="also recorrupted, Noise2Self with noise_std given, Noise2Noise and supervised on the "
                             "same single pairs (about twice the time)")
    args = parser.parse_args(argv)
    exit_if_sets_missing(args, "bench_without_clean.py")
    cells, estimates = {}, {}
    for data_set in args.sets:
        found, estimated = run_cells(args.data_dir / f"{data_set}.npz", args.kinds, args.seed, args.every_row)
        cells.update({(data_set, *key): value for key, value in found.items()})
        estimates.update({(data_set, kind): value for kind, value in estimated.items()})
    print_cells(args.sets, args.kinds, cells, estimates)


if __name__ == "__main__":
    main()
