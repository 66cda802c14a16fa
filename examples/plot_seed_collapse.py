"""
The seed's collapse, and the fix
================================

The question this package grew from trained a fully connected autoencoder (ReLU layers, a Tanh output)
with SGD (learning rate 0.01, momentum 0.9) for 200 steps on fresh batches of 64 signals, and got a
constant. Here that configuration is rebuilt from the facts the question states
(:func:`skdenoise.seed.make_seed_autoencoder`), the :class:`~skdenoise.CollapseWarning` it triggers is
shown, and the default estimator is trained on the same signals.
"""

import os
import warnings

import numpy as np

from skdenoise import CollapseWarning, CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.seed import SEED_BATCH_SIZE, SEED_STEPS, make_seed_autoencoder
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
generator = CyclicSignalGenerator(random_state=0)
n_seed = SEED_STEPS * SEED_BATCH_SIZE  # one pass: every signal is a fresh one, as in the seed's loop
noisy, clean = generator.generate(n_seed + 500)
X, y, X_test, y_test = noisy[:n_seed], clean[:n_seed], noisy[n_seed:], clean[n_seed:]

# %%
# The seed's configuration collapses, and says so.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", CollapseWarning)
    seed_model = make_seed_autoencoder(random_state=0).fit(X, y)
print(caught[0].message if caught else "no warning")
seed_mse = np.mean((seed_model.predict(X_test) - y_test) ** 2)
print(f"seed configuration: test MSE {seed_mse:.3g}; predicting each target's mean: "
      f"{np.mean(y_test.var(axis=-1)):.3g}")

# %%
# The defaults, on the same signals.
model = DenoisingAutoencoder(max_epochs=10 if SMALL else 60, random_state=0).fit(X, y)
print(f"DenoisingAutoencoder(): test MSE {np.mean((model.predict(X_test) - y_test) ** 2):.3g}")

# %%
plot_denoising(X_test, y_test, {"seed model": seed_model.predict(X_test), "skdenoise": model.predict(X_test)},
               x=generator.x_axis)
