"""
Denoising without clean signals: Noise2Noise and Noise2Self
===========================================================

Real recordings rarely come with clean versions. With two noisy recordings of the same thing, train
against the second one (Noise2Noise): the noise is independent and zero-mean, so the best prediction of
the second copy is the clean signal. With one recording only, ``objective="noise2self"`` hides random
values and learns to predict them from their context (Noise2Self).

The signals are *not* min-max scaled here: scaling each noisy target by its own extremes would make its
noise neither independent of the signal nor zero-mean.
"""

import os

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
n_train, epochs = (1_000, 10) if SMALL else (10_000, 40)
generator = CyclicSignalGenerator(normalization=None, random_state=0)
noisy_a, noisy_b, clean = generator.generate_noisy_pairs(n_train + 300)
X, X_test, y_test = noisy_a[:n_train], noisy_a[n_train:], clean[n_train:]

# Noisy validation losses cannot time early stopping: train every model for the same epochs.
settings = dict(max_epochs=epochs, n_iter_no_change=None, random_state=0)
models = {
    "supervised": DenoisingAutoencoder(**settings).fit(X, clean[:n_train]),
    # Both copies are recordings, so each serves as input for the other.
    "Noise2Noise": DenoisingAutoencoder(**settings).fit(np.concatenate([X, noisy_b[:n_train]]),
                                                        np.concatenate([noisy_b[:n_train], X])),
    "Noise2Self": DenoisingAutoencoder(objective="noise2self", **settings).fit(X),
}
print(f"identity: test MSE {np.mean((X_test - y_test) ** 2):.4f}")
for name, model in models.items():
    print(f"{name}: test MSE {np.mean((model.predict(X_test) - y_test) ** 2):.4f}")

# %%
plot_denoising(X_test, y_test, {name: model.predict(X_test) for name, model in models.items()}, n_signals=1,
               x=generator.x_axis)
