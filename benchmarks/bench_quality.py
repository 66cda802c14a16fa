"""Denoising quality: every baseline and the autoencoder (MLP and conv) with defaults, on two tasks.

Run: ``python benchmarks/bench_quality.py [--task seed|nonlinear|both] [--n-train N] [--quick]``

1. The seed task (REFERENCE.md): cos(0.1x), cos(x), cos(3x), 1,024 samples, gaussian noise std 0.4,
   min-max. MSE/oracle compares with the projection onto the true basis.
2. A nonlinear task: square, sawtooth and triangle waves, each with a random phase and a random frequency in
   [1, 3] cycles per 2*pi, 256 samples (2 periods of 128), gaussian noise std 0.4, min-max. No fixed
   low-dimensional basis exists, so there is no oracle row.

3. Without clean signals: the seed task without min-max scaling (normalising a noisy target per signal
   breaks the zero-mean noise Noise2Noise relies on). Supervised training (clean y), Noise2Noise (a second
   noisy copy as y) and Noise2Self (no y), with the same data and epochs and no early stopping (a noisy
   validation loss cannot time it); MSE against the clean signals, ratio to the supervised MSE.

Every row is fitted and measured in the same run on the same signals.
"""

import argparse

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, Wave
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.evaluation import compare_denoisers, format_table


def baselines():
    return {
        "PCA(4)": PCADenoiser(),
        "Savitzky-Golay (window chosen in fit)": SavitzkyGolayDenoiser(),
        "wavelet sym8, universal threshold": WaveletDenoiser(),
        "wavelet sym8, BayesShrink": WaveletDenoiser(threshold="bayes"),
        "identity": IdentityDenoiser(),
    }


def autoencoders(conv_epochs, seed):
    return {
        "DenoisingAutoencoder(mlp)": DenoisingAutoencoder(random_state=seed),
        f"DenoisingAutoencoder(conv, max_epochs={conv_epochs})": DenoisingAutoencoder(
            architecture="conv", max_epochs=conv_epochs, random_state=seed),
    }


def nonlinear_generator(seed):
    waves = [Wave(shape, frequency=(1, 3), phase="random") for shape in ("square", "sawtooth", "triangle")]
    return CyclicSignalGenerator(waves, samples_per_period=128, random_state=seed)


def run(name, generator, n_train, n_test, conv_epochs, seed, oracle):
    noisy, clean = generator.generate(n_train + n_test)
    X, y, X_test, y_test = noisy[:n_train], clean[:n_train], noisy[n_train:], clean[n_train:]
    estimators = {"oracle projection": ProjectionDenoiser.from_generator(generator)} if oracle else {}
    estimators.update(baselines())
    estimators.update(autoencoders(conv_epochs, seed))
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


def run_without_clean(n_train, n_test, epochs, seed):
    generator = CyclicSignalGenerator(normalization=None, random_state=seed)
    noisy_a, noisy_b, clean = generator.generate_noisy_pairs(n_train + n_test)
    X, X_test, y_test = noisy_a[:n_train], noisy_a[n_train:], clean[n_train:]
    settings = dict(max_epochs=epochs, n_iter_no_change=None, random_state=seed)
    rows = compare_denoisers({"supervised (y = clean)": DenoisingAutoencoder(**settings),
                              "identity": IdentityDenoiser()}, X, clean[:n_train], X_test, y_test)
    rows += compare_denoisers({"Noise2Noise (y = second noisy copy)": DenoisingAutoencoder(**settings)},
                              X, noisy_b[:n_train], X_test, y_test)
    # Both copies are recordings: each can be the input for the other (twice the steps per epoch).
    both_in, both_out = np.concatenate([X, noisy_b[:n_train]]), np.concatenate([noisy_b[:n_train], X])
    rows += compare_denoisers({"Noise2Noise, both directions (a->b, b->a)": DenoisingAutoencoder(**settings)},
                              both_in, both_out, X_test, y_test)
    rows += compare_denoisers({"Noise2Self (no y)": DenoisingAutoencoder(objective="noise2self", **settings)},
                              X, None, X_test, y_test)
    for row in rows:
        row["ratio"] = row["mse"] / rows[0]["mse"]
    print(format_table(rows, title=f"\nWithout clean signals (seed task, no normalisation), {n_train} training / "
                                   f"{n_test} test signals, {epochs} epochs; MSE/oracle column = MSE / supervised MSE"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=["seed", "nonlinear", "self", "all"], default="all")
    parser.add_argument("--n-train", type=int, default=None, help="default: 20000 (seed), 10000 (nonlinear)")
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--conv-epochs", type=int, nargs=2, default=[5, 60], metavar=("SEED", "NONLINEAR"),
                        help="max_epochs of the conv net on each task (it is slow on CPUs; default: 5 60)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.task in ("seed", "all"):
        rows = run("Seed task", CyclicSignalGenerator(random_state=args.seed), args.n_train or 20_000,
                   args.n_test, args.conv_epochs[0], args.seed, oracle=True)
        summarize(rows)
    if args.task in ("nonlinear", "all"):
        rows = run("Nonlinear task (square/sawtooth/triangle, random phase and frequency)",
                   nonlinear_generator(args.seed), args.n_train or 10_000, args.n_test, args.conv_epochs[1],
                   args.seed, oracle=False)
        summarize(rows)
    if args.task in ("self", "all"):
        run_without_clean(args.n_train or 20_000, args.n_test, 60, args.seed)


if __name__ == "__main__":
    main()
