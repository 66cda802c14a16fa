"""
Spikes without clean signals: Noise2Self and its noise level
============================================================

One noisy recording of each gesture, no clean version: the data README's protocol without clean signals,
under impulsive noise (a gaussian core of 0.1 plus, on 3% of the samples, spikes of standard deviation 2).
A blind-spot network predicts each sample from its neighbours, which a spike does not touch, and ``fit``
then blends the noisy input back in by the noise level: where the neighbours say little (a sharp turn of the
gesture), the sample; where they agree (a spike among smooth samples), the prediction.

The noise level decides the blend. ``fit`` estimates it from the signals' short windows, spikes included
(:func:`~skdenoise.noise.estimate_white_noise_variance`), or takes ``noise_std`` when you know it;
``validation_mse_`` holds the blend's expected error and the input's (the noise variance), measured
without clean signals. The wavelet filter, which needs no clean signals either, is the comparison.
"""

import os

import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import WaveletDenoiser
from skdenoise.noise import estimate_noise_variance, estimate_white_noise_variance
from skdenoise.plotting import plot_denoising
from skdenoise.recordings import load_pickup_gestures, train_test_pairs

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
X, y, X_test, y_test = train_test_pairs(load_pickup_gestures(), n_copies=1, noise="spikes", noise_std=0.1)
print(f"{len(X)} noisy recordings of {X.shape[-1]} samples; noise variance {np.mean((X - y) ** 2):.3f}, "
      f"estimated {estimate_white_noise_variance(X)[0][0]:.3f} "
      f"(the wavelet MAD sees the gaussian core only: {np.mean(estimate_noise_variance(X)):.3f})")

epochs = dict(max_epochs=10) if SMALL else {}
models = {
    "Noise2Self": DenoisingAutoencoder(objective="noise2self", random_state=0, **epochs).fit(X),
    "Noise2Self, noise_std given": DenoisingAutoencoder(
        objective="noise2self", noise_std=float(np.std(X - y)), random_state=0, **epochs).fit(X),
    "wavelet (BayesShrink)": WaveletDenoiser(threshold="bayes").fit(X),  # needs no clean signals
}
identity = np.mean((X_test - y_test) ** 2)
denoised = {name: model.predict(X_test) for name, model in models.items()}
for name, output in denoised.items():
    print(f"{name}: {10 * np.log10(identity / np.mean((output - y_test) ** 2)):+.2f} dB over the noisy input")
model = models["Noise2Self"]
print(f"Noise2Self's expected MSE, without clean signals: {model.validation_mse_[model.architecture_]:.4f} "
      f"(returning the input: {model.validation_mse_['identity']:.4f}); blend radius "
      f"{int(model.net_.module_.blend.radius)}")

# %%
plot_denoising(X_test, y_test, denoised, n_signals=1)
