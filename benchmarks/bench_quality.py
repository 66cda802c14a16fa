"""Denoising quality: every baseline and the autoencoder (MLP and conv) with defaults, on two tasks.

Run: ``python benchmarks/bench_quality.py [--task seed|nonlinear|self|draws|all] [--n-train N] [--data-dir DIR]``

1. The seed task (REFERENCE.md): cos(0.1x), cos(x), cos(3x), 1,024 samples, gaussian noise std 0.4,
   min-max. MSE/oracle compares with the projection onto the true basis.
2. A nonlinear task: square, sawtooth and triangle waves, each with a random phase and a random frequency in
   [1, 3] cycles per 2*pi, 256 samples (2 periods of 128), gaussian noise std 0.4, min-max. No fixed
   low-dimensional basis exists, so there is no oracle row.

3. Without clean signals, every estimator with its defaults: the seed task without min-max scaling
   (normalising a noisy target per signal breaks the zero-mean noise Noise2Noise relies on; 20,000 pairs,
   noise std 0.4), then the three real sets of ``--data-dir`` (protocol of its README). Supervised training
   (clean y), ``objective="noise2noise"`` (a second noisy copy as y) and ``objective="noise2self"`` (no y),
   next to a wavelet filter (needs no y) and the identity; MSE against the clean signals, ratio to the
   supervised MSE. On the real sets the self-supervised fits get ``groups`` (which recording each noisy copy
   is of): clean targets tell it, noisy ones cannot.
4. ``--task draws`` (not in ``all``; about 35 minutes): the seed task without normalisation at ten data
   draws (``--seed`` to ``--seed + 9``, models at ``random_state=0``), supervised, Noise2Noise and
   Noise2Self with their defaults: each one's test MSE and its ratio to the supervised MSE of the same draw.

Every row is fitted and measured in the same run on the same signals.
"""

import argparse
import pathlib

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, Wave
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.evaluation import compare_denoisers, format_table
from skdenoise.recordings import train_test_pairs

from bench_real import DEFAULT_DATA_DIR, REAL_SETS  # a sibling script: benchmarks/ is on sys.path


def baselines():
    return {
        "PCA(4)": PCADenoiser(),
        "Savitzky-Golay (window chosen in fit)": SavitzkyGolayDenoiser(),
        "wavelet sym8, universal threshold": WaveletDenoiser(),
        "wavelet sym8, BayesShrink": WaveletDenoiser(threshold="bayes"),
        "identity": IdentityDenoiser(),
    }


def autoencoders(seed):
    return {
        "DenoisingAutoencoder() (default)": DenoisingAutoencoder(random_state=seed),
        "DenoisingAutoencoder(mlp)": DenoisingAutoencoder(architecture="mlp", random_state=seed),
        "DenoisingAutoencoder(conv)": DenoisingAutoencoder(architecture="conv", random_state=seed),
    }


def nonlinear_generator(seed):
    waves = [Wave(shape, frequency=(1, 3), phase="random") for shape in ("square", "sawtooth", "triangle")]
    return CyclicSignalGenerator(waves, samples_per_period=128, random_state=seed)


def run(name, generator, n_train, n_test, seed, oracle):
    noisy, clean = generator.generate(n_train + n_test)
    X, y, X_test, y_test = noisy[:n_train], clean[:n_train], noisy[n_train:], clean[n_train:]
    estimators = {"oracle projection": ProjectionDenoiser.from_generator(generator)} if oracle else {}
    estimators.update(baselines())
    estimators.update(autoencoders(seed))
    rows = compare_denoisers(estimators, X, y, X_test, y_test, reference="oracle projection" if oracle else None)
    print(format_table(rows, title=f"\n{name}: {n_train} training / {n_test} test signals of {X.shape[-1]} samples"))
    return rows


def summarize(rows):
    by_name = {row["method"]: row for row in rows}
    best_baseline = max((row for row in rows if not row["method"].startswith(("Denoising", "oracle"))),
                        key=lambda row: row["snr_gain_db"])
    for name, row in by_name.items():
        if name.startswith("Denoising"):
            margin = row["snr_gain_db"] - best_baseline["snr_gain_db"]
            vs_pca = row["mse"] / by_name["PCA(4)"]["mse"]
            print(f"{name}: {margin:+.2f} dB SNR gain over the best baseline ({best_baseline['method']}), "
                  f"MSE {vs_pca:.2f}x PCA(4)'s")


def self_supervised_rows(X, y, X_test, y_test, second_copy, seed, groups=None):
    """Supervised, Noise2Noise (y = `second_copy`) and Noise2Self with defaults, wavelet, identity.

    `groups` (the recording of each signal) goes to the fits without clean targets, which cannot tell it.
    """
    rows = compare_denoisers({"supervised (y = clean)": DenoisingAutoencoder(random_state=seed),
                              "identity": IdentityDenoiser(),
                              "wavelet sym8, BayesShrink (needs no y)": WaveletDenoiser(threshold="bayes")},
                             X, y, X_test, y_test)
    rows += compare_denoisers({'objective="noise2noise" (y = 2nd copy)': DenoisingAutoencoder(
        objective="noise2noise", random_state=seed)}, X, second_copy, X_test, y_test, fit_params={"groups": groups})
    rows += compare_denoisers({'objective="noise2self" (no y)': DenoisingAutoencoder(
        objective="noise2self", random_state=seed)}, X, None, X_test, y_test, fit_params={"groups": groups})
    for row in rows:
        row["ratio"] = row["mse"] / rows[0]["mse"]
    return rows


def run_without_clean(n_train, n_test, seed, data_dir):
    generator = CyclicSignalGenerator(normalization=None, random_state=seed)
    noisy_a, noisy_b, clean = generator.generate_noisy_pairs(n_train + n_test)
    rows = self_supervised_rows(noisy_a[:n_train], clean[:n_train], noisy_a[n_train:], clean[n_train:],
                                noisy_b[:n_train], seed)
    print(format_table(rows, ratio="/supervised", title=f"\nWithout clean signals: seed task without normalisation, "
                                                        f"{n_train} training / {n_test} test signals, defaults"))
    for name in REAL_SETS:
        path = data_dir / f"{name}.npz"
        if not path.is_file():
            print(f"\n{name}: skipped, no {path} (--data-dir)")
            continue
        X, y, X_test, y_test = train_test_pairs(np.load(path)["X"])
        # The protocol's 10 noisy copies of each recording: copies 1, 3, 5, ... are the second recordings
        # of copies 0, 2, 4, ... (same clean signal, independent noise); `groups` says which recording.
        first, second = X[0::2], X[1::2]
        recording = np.repeat(np.arange(len(first) // 5), 5)
        rows = self_supervised_rows(first, y[0::2], X_test, y_test, second, seed, groups=recording)
        print(format_table(rows, ratio="/supervised", title=f"\n{name} (real; protocol of the data README, 5 noisy "
                                                            f"pairs per training recording)"))


def run_draws(n_train, n_test, first_seed, n_draws=10):
    objectives = ("supervised", "noise2noise", "noise2self")
    print(f"\nSeed task without normalisation, {n_draws} data draws ({n_train} training / {n_test} test signals), "
          f"defaults: test MSE (ratio to supervised)")
    print(f"{'draw':>5s}" + "".join(f"{name:>22s}" for name in objectives))
    worst = dict.fromkeys(objectives[1:], 0.0)
    for seed in range(first_seed, first_seed + n_draws):
        noisy_a, noisy_b, clean = CyclicSignalGenerator(normalization=None, random_state=seed).generate_noisy_pairs(
            n_train + n_test)
        targets = {"supervised": clean[:n_train], "noise2noise": noisy_b[:n_train], "noise2self": None}
        errors = {}
        for name in objectives:
            model = DenoisingAutoencoder(objective=name, random_state=0).fit(noisy_a[:n_train], targets[name])
            errors[name] = float(np.mean(np.square(model.predict(noisy_a[n_train:]) - clean[n_train:])))
        ratios = {name: errors[name] / errors["supervised"] for name in objectives}
        worst = {name: max(worst[name], ratios[name]) for name in worst}
        print(f"{seed:5d}" + "".join(f"{errors[name]:13.3g} ({ratios[name]:4.2f}x)" for name in objectives), flush=True)
    print("worst ratio to supervised: " + ", ".join(f"{name} {ratio:.2f}x" for name, ratio in worst.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=["seed", "nonlinear", "self", "draws", "all"], default="all")
    parser.add_argument("--n-train", type=int, default=None, help="default: 20000 (seed), 10000 (nonlinear)")
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR,
                        help="real data sets for the rows without clean signals (default: ../shared/data)")
    args = parser.parse_args()
    if args.task in ("seed", "all"):
        rows = run("Seed task", CyclicSignalGenerator(random_state=args.seed), args.n_train or 20_000,
                   args.n_test, args.seed, oracle=True)
        summarize(rows)
    if args.task in ("nonlinear", "all"):
        rows = run("Nonlinear task (square/sawtooth/triangle, random phase and frequency)",
                   nonlinear_generator(args.seed), args.n_train or 10_000, args.n_test, args.seed,
                   oracle=False)
        summarize(rows)
    if args.task in ("self", "all"):
        run_without_clean(args.n_train or 20_000, args.n_test, args.seed, args.data_dir)
    if args.task == "draws":
        run_draws(args.n_train or 20_000, args.n_test, args.seed)


if __name__ == "__main__":
    main()
