"""Run by tests/test_distributed.py under torchrun: one fit, its results written per rank to a JSON file."""

import json
import os
import sys

import numpy as np
import torch

from skdenoise import DenoisingAutoencoder
from skdenoise.recordings import make_noisy_pairs


def main(out, distributed, architecture, n_signals):
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    t = np.arange(128)
    shape = (n_signals + 100, 1, 1)
    clean = np.sin(2 * np.pi * t / rng.uniform(20, 60, shape) + rng.uniform(0, 6, shape))
    X, y = make_noisy_pairs(clean.astype(np.float32), noise_std=0.4, random_state=0)
    model = DenoisingAutoencoder(architecture=architecture, max_epochs=8, device="cpu", random_state=0,
                                 on_collapse="ignore", distributed=distributed == "1")
    model.fit(X[:n_signals], y[:n_signals])
    rank = int(os.environ.get("RANK", 0))
    test_mse = float(np.mean((model.predict(X[n_signals:]) - y[n_signals:]) ** 2))
    weights = float(sum(p.detach().double().sum() for p in model.net_.module_.parameters()))
    with open(f"{out}.{rank}.json", "w") as handle:
        json.dump({"test_mse": test_mse, "n_iter": model.n_iter_, "architecture": model.architecture_,
                   "weights": weights, "validation_mse": model.validation_mse_}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
