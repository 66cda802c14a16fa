"""
Multichannel signals
====================

3-D arrays ``(n_samples, n_channels, n_timesteps)`` go in and come out; every channel draws its own
coefficients and noise, and the output step works per channel.
"""

import os

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
generator = CyclicSignalGenerator(samples_per_period=64, n_channels=3, random_state=0)
noisy, clean = generator.generate(1_000 if SMALL else 6_000)
X, y, X_test, y_test = noisy[:-300], clean[:-300], noisy[-300:], clean[-300:]

model = DenoisingAutoencoder(max_epochs=15 if SMALL else 60, random_state=0).fit(X, y)
denoised = model.predict(X_test)
print("shape in:", X_test.shape, "shape out:", denoised.shape)
print(f"R2: {model.score(X_test, y_test):.4f}")

# %%
# The second channel of the first test signals.
plot_denoising(X_test[:, 1], y_test[:, 1], denoised[:, 1], x=generator.x_axis)
