"""
Quick start
===========

Generate the seed question's signals, fit :class:`~skdenoise.DenoisingAutoencoder` with its defaults,
and look at the result.
"""

import os

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.metrics import snr_gain_db
from skdenoise.plotting import plot_denoising, plot_history

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
n_train = 1_000 if SMALL else 10_000

# %%
# The data: random sums of cos(0.1x), cos(x) and cos(3x), gaussian noise, min-max scaled per signal.
generator = CyclicSignalGenerator(random_state=0)
noisy, clean = generator.generate(n_train + 500)
X_train, y_train, X_test, y_test = noisy[:n_train], clean[:n_train], noisy[n_train:], clean[n_train:]

# %%
# Fit with the defaults. The targets are min-max scaled, so ``output="auto"`` adds the min-max output step.
model = DenoisingAutoencoder(max_epochs=15 if SMALL else 60, random_state=0).fit(X_train, y_train)
denoised = model.predict(X_test)
print(f"output step: {model.output_}, epochs: {model.n_iter_}")
print(f"R2 on test signals: {model.score(X_test, y_test):.4f}")
print(f"SNR gain: {snr_gain_db(y_test, X_test, denoised):.1f} dB")

# %%
plot_denoising(X_test, y_test, denoised, x=generator.x_axis)

# %%
plot_history(model)
