"""Why the seed's autoencoder output a constant: change its configuration one step at a time.

Run: ``python benchmarks/ablation_seed.py [--n-train 20000] [--n-test 2000] [--seed 0]``

Each row applies one more change to the row above, starting from the seed question's configuration (its
layers, ReLU/Tanh, raw inputs and outputs, SGD lr 0.01 momentum 0.9, 200 steps of 64 signals). Reference
rows (oracle projection, PCA, identity, constant) are measured on the same test signals in the same run.
"""

import argparse

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.baselines import IdentityDenoiser, PCADenoiser, ProjectionDenoiser
from skdenoise.evaluation import compare_denoisers
from skdenoise.nn import MLPAutoencoder
from skdenoise.seed import SEED_BATCH_SIZE, SEED_STEPS, make_seed_autoencoder


class UntiedMLP(MLPAutoencoder):
    """The package's MLP with independent decoder weights."""

    def __init__(self, in_shape, out_shape, z_dim=64, activation="gelu"):
        super().__init__(in_shape, out_shape, z_dim, activation, tied=False)


def ablation_steps(seed):
    """(name, estimator, n_train or None for all) for each cumulative change."""
    base = dict(random_state=seed, device="cpu")
    ten_times = dict(max_epochs=10)  # 10 passes over the seed's 12,800 signals: 2,000 steps of 64
    yield "seed configuration", make_seed_autoencoder(**base), SEED_STEPS * SEED_BATCH_SIZE
    yield "(not cumulative) seed configuration, 10x more steps", make_seed_autoencoder(max_epochs=10, **base), \
        SEED_STEPS * SEED_BATCH_SIZE
    yield "+ Adam (lr 1e-3)", make_seed_autoencoder(optimizer="adam", lr=1e-3, **base), SEED_STEPS * SEED_BATCH_SIZE
    steps = dict(optimizer="adam", lr=1e-3, **ten_times, **base)
    yield "+ 10x more steps (2,000)", make_seed_autoencoder(**steps), SEED_STEPS * SEED_BATCH_SIZE
    yield "+ GELU, linear bottleneck, no Tanh", make_seed_autoencoder(architecture=UntiedMLP, **steps), \
        SEED_STEPS * SEED_BATCH_SIZE
    yield "+ min-max output step", make_seed_autoencoder(architecture=UntiedMLP, output="minmax", **steps), \
        SEED_STEPS * SEED_BATCH_SIZE
    budget = dict(architecture=UntiedMLP, input_scaling=None, **base)
    yield "+ all 20k signals, 40 epochs, batch 128, one-cycle lr 3e-3, early stopping", \
        DenoisingAutoencoder(**budget), None
    yield "+ tied decoder weights", DenoisingAutoencoder(input_scaling=None, **base), None
    yield "+ per-signal input standardisation (= the defaults)", DenoisingAutoencoder(**base), None
    yield "(not cumulative) the defaults with untied decoder weights", \
        DenoisingAutoencoder(architecture=UntiedMLP, **base), None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-train", type=int, default=20_000)
    parser.add_argument("--n-test", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generator = CyclicSignalGenerator(random_state=args.seed)
    noisy, clean = generator.generate(args.n_train + args.n_test)
    X, y, X_test, y_test = noisy[:args.n_train], clean[:args.n_train], noisy[args.n_train:], clean[args.n_train:]
    rows = compare_denoisers({"oracle projection + min-max": ProjectionDenoiser.from_generator(generator),
                              "PCA(4) + min-max": PCADenoiser(), "identity (noisy input)": IdentityDenoiser()},
                             X, y, X_test, y_test)
    constant = np.repeat(y_test.mean(axis=-1, keepdims=True), y_test.shape[-1], axis=-1)
    rows.append({"method": "constant (each target's own mean)", "prediction": constant,
                 "mse": float(np.mean((constant - y_test) ** 2)), "collapse_warning": False})
    for name, estimator, n_train in ablation_steps(args.seed):
        n = args.n_train if n_train is None else min(n_train, args.n_train)
        rows += compare_denoisers({name: estimator}, X[:n], y[:n], X_test, y_test)
    oracle = rows[0]["mse"]
    total = np.sum((y_test - y_test.mean(axis=0)) ** 2)
    print(f"Seed task, {args.n_train} training / {args.n_test} test signals; changes are cumulative.")
    print(f"{'configuration':84s} {'test MSE':>10s} {'MSE/oracle':>11s} {'R2':>8s} {'out mean':>9s} "
          f"{'var ratio':>9s}  collapse warning")
    target_var = np.mean(y_test.var(axis=-1))
    for row in rows:
        prediction = row["prediction"]
        r2 = 1 - np.sum((prediction - y_test) ** 2) / total
        variance_ratio = np.mean(prediction.var(axis=-1)) / target_var
        print(f"{row['method']:84s} {row['mse']:10.3g} {row['mse'] / oracle:11.4g} {r2:8.4f} "
              f"{prediction.mean():9.3f} {variance_ratio:9.3f}  {'yes' if row['collapse_warning'] else 'no'}")
    print("out mean: mean of the predictions; var ratio: their variance along time over the targets' "
          "(0 = constant).")


if __name__ == "__main__":
    main()
