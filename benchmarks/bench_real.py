"""Denoising real recordings: every method on three real data sets and two synthetic tasks, in one run.

Run: ``python benchmarks/bench_real.py [--data-dir ../shared/data] [--tasks ...] [--seed-train 20000]``

Real sets (``--data-dir``, the protocol of its README): each series z-normalised per channel, split 60/40
into training and test series by ``default_rng(0).permutation``; training pairs are each training series 10
times with fresh gaussian noise of std 0.5 (``default_rng(1)``), test pairs each test series once
(``default_rng(2)``). Synthetic tasks: the seed task (cos(0.1x), cos(x), cos(3x), 1,024 samples, noise std
0.4, min-max per signal; 20,000 training signals) and the nonlinear waves task (square, sawtooth and
triangle waves with random phase and frequency, 256 samples; 10,000 training signals); 2,000 test signals
each.

Each cell is the SNR gain in dB over returning the noisy input (``10 log10(MSE(noisy) / MSE(denoised))``;
negative: worse than doing nothing) and the fit time in seconds, every method fitted and measured in this
run. The default row also names the architecture ``"auto"`` chose. Seed task: MSE over the oracle's.
"""

import argparse
import pathlib
import sys

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, Wave
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.evaluation import compare_denoisers
from skdenoise.recordings import train_test_pairs

REAL_SETS = ("ACSF1", "BasicMotions", "PickupGestureWiimoteZ_eq")
SYNTHETIC = ("seed", "nonlinear")
DEFAULT_DATA_DIR = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "data"
#: The data README's noise kinds, name: (kind, level).
NOISE_KINDS = {"white0.2": ("white", 0.2), "white0.5": ("white", 0.5), "white1.0": ("white", 1.0),
               "pink0.5": ("pink", 0.5), "spikes": ("spikes", 0.1)}


def add_set_arguments(parser):
    """``--data-dir``, ``--sets`` and ``--kinds``: the real sets and noise kinds a benchmark runs on."""
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--sets", nargs="+", choices=REAL_SETS, default=list(REAL_SETS))
    parser.add_argument("--kinds", nargs="+", choices=list(NOISE_KINDS), default=list(NOISE_KINDS))


def exit_if_sets_missing(args, script):
    """End `script` with a message naming the sets of ``args.sets`` that ``args.data_dir`` lacks."""
    missing = [s for s in args.sets if not (args.data_dir / f"{s}.npz").is_file()]
    if missing:
        sys.exit(f"{script}: no {', '.join(f'{m}.npz' for m in missing)} in {args.data_dir}; pass --data-dir.")


def real_task(path):
    """Training and test pairs of one real set, by the protocol of the data README."""
    return (*train_test_pairs(np.load(path)["X"]), None)


def synthetic_task(name, n_train, n_test, seed):
    if name == "seed":
        generator = CyclicSignalGenerator(random_state=seed)
    else:
        waves = [Wave(shape, frequency=(1, 3), phase="random") for shape in ("square", "sawtooth", "triangle")]
        generator = CyclicSignalGenerator(waves, samples_per_period=128, random_state=seed)
    noisy, clean = generator.generate(n_train + n_test)
    oracle = ProjectionDenoiser.from_generator(generator) if name == "seed" else None
    return noisy[:n_train], clean[:n_train], noisy[n_train:], clean[n_train:], oracle


def methods(task, seed):
    real = task in REAL_SETS
    return {
        "DenoisingAutoencoder() (default)": DenoisingAutoencoder(random_state=seed),
        'architecture="mlp"': DenoisingAutoencoder(architecture="mlp", random_state=seed),
        'architecture="conv"': DenoisingAutoencoder(architecture="conv", random_state=seed),
        "Savitzky-Golay (window chosen in fit)": SavitzkyGolayDenoiser(),
        "wavelet sym8, BayesShrink": WaveletDenoiser(threshold="bayes"),
        "PCA (16 components real, 4 synthetic)": PCADenoiser(n_components=16 if real else 4),
        "identity": IdentityDenoiser(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR,
                        help="folder with ACSF1.npz, BasicMotions.npz, PickupGestureWiimoteZ_eq.npz "
                             "(default: ../shared/data next to the repository)")
    parser.add_argument("--tasks", nargs="+", choices=REAL_SETS + SYNTHETIC, default=list(REAL_SETS + SYNTHETIC))
    parser.add_argument("--seed-train", type=int, default=20_000, help="training signals of the seed task")
    parser.add_argument("--nonlinear-train", type=int, default=10_000, help="training signals, nonlinear task")
    parser.add_argument("--n-test", type=int, default=2_000, help="test signals of the synthetic tasks")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    real = [task for task in args.tasks if task in REAL_SETS]
    missing = [task for task in real if not (args.data_dir / f"{task}.npz").is_file()]
    if missing:
        sys.exit(f"bench_real.py: no {', '.join(f'{m}.npz' for m in missing)} in {args.data_dir}; pass "
                 f"--data-dir with the folder that holds them, or --tasks {' '.join(SYNTHETIC)} to skip them.")

    results, notes = {}, []
    for task in args.tasks:
        if task in REAL_SETS:
            X, y, X_test, y_test, oracle = real_task(args.data_dir / f"{task}.npz")
        else:
            n_train = args.seed_train if task == "seed" else args.nonlinear_train
            X, y, X_test, y_test, oracle = synthetic_task(task, n_train, args.n_test, args.seed)
        print(f"{task}: {len(X)} training pairs, {len(X_test)} test signals of shape {X.shape[1:]}",
              file=sys.stderr, flush=True)
        estimators = methods(task, args.seed)
        for row in compare_denoisers(estimators, X, y, X_test, y_test):
            results[row["method"], task] = {**row, "chose": getattr(estimators[row["method"]], "architecture_", None)}
        if oracle is not None:
            oracle_mse = compare_denoisers({"oracle": oracle}, X, y, X_test, y_test)[0]["mse"]
            ratios = {name: results[name, task]["mse"] / oracle_mse for name in estimators}
            notes.append("seed task, MSE / oracle MSE: " + ", ".join(f"{n} {r:.3g}" for n, r in ratios.items()))
    print_table(results, args.tasks, notes)


def print_table(results, tasks, notes):
    names = list(dict.fromkeys(name for name, _ in results))
    header = f"{'method':40s}" + "".join(f"{task[:16]:>18s}" for task in tasks)
    print("SNR gain over the noisy input in dB (fit seconds)")
    print(header)
    for name in names:
        cells = []
        for task in tasks:
            row = results[name, task]
            cells.append(f"{row['snr_gain_db']:+8.2f} ({row['fit_s']:5.1f})")
        print(f"{name:40s}" + "".join(f"{cell:>18s}" for cell in cells))
    chosen = ", ".join(f"{task}: {results[names[0], task]['chose']}" for task in tasks)
    print(f"architecture chosen by the default: {chosen}")
    for task in tasks:
        best = max((name for name in names if not name.startswith(("Denoising", "architecture", "identity"))),
                   key=lambda name: results[name, task]["snr_gain_db"])
        margin = results[names[0], task]["snr_gain_db"] - results[best, task]["snr_gain_db"]
        print(f"{task}: default {margin:+.2f} dB over the best classical baseline ({best})")
    warned = [f"{name} on {task}: {', '.join(row['warnings'])}" for (name, task), row in results.items()
              if row["warnings"]]
    print("warnings: " + ("; ".join(warned) if warned else "none"))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
