"""
Denoising without clean signals: Noise2Noise and Noise2Self
===========================================================

Real recordings rarely come with clean versions. With two noisy recordings of the same thing,
``objective="noise2noise"`` trains each copy against the other: the noise is independent and zero-mean,
so the best prediction of the other copy is the clean signal. With one recording only,
``objective="noise2self"`` trains a blind-spot network, which predicts every sample from the others
(never from itself), to reproduce the noisy signal: it cannot copy it, and it cannot predict independent
noise, so it learns the signal. Both use their defaults here, as the supervised model does.

The signals are *not* min-max scaled here: scaling each noisy target by its own extremes would make its
noise neither independent of the signal nor zero-mean.
"""

import os

import numpy as np

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
n_train = 300 if SMALL else 10_000
epochs = dict(max_epochs=4) if SMALL else {}
generator = CyclicSignalGenerator(normalization=None, random_state=0)
noisy_a, noisy_b, clean = generator.generate_noisy_pairs(n_train + 300)
X, X_test, y_test = noisy_a[:n_train], noisy_a[n_train:], clean[n_train:]

models = {
    "supervised": DenoisingAutoencoder(random_state=0, **epochs).fit(X, clean[:n_train]),
    "Noise2Noise": DenoisingAutoencoder(objective="noise2noise", random_state=0, **epochs).fit(
        X, noisy_b[:n_train]),
    "Noise2Self": DenoisingAutoencoder(objective="noise2self", random_state=0, **epochs).fit(X),
}
print(f"identity: test MSE {np.mean((X_test - y_test) ** 2):.5f}")
for name, model in models.items():
    print(f"{name} ({model.architecture_}): test MSE {np.mean((model.predict(X_test) - y_test) ** 2):.5f}")

# %%
plot_denoising(X_test, y_test, {name: model.predict(X_test) for name, model in models.items()}, n_signals=1,
               x=generator.x_axis)
