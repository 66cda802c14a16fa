"""
Denoising a real recording: Wii remote gestures
===============================================

Real recordings are not sums of a few fixed shapes: the structure is local (a jerk, a pause), shifted
from one recording to the next, and there are few of them. This example uses the one real data set
bundled with skdenoise, 100 recordings of a Wii remote's z-axis acceleration during a pick-up gesture
(:func:`~skdenoise.recordings.load_pickup_gestures`), adds gaussian noise, and compares the default
:class:`~skdenoise.DenoisingAutoencoder` with classical filters on recordings it never saw.
"""

import os

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import PCADenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.evaluation import compare_denoisers, format_table
from skdenoise.plotting import plot_denoising
from skdenoise.recordings import load_pickup_gestures, train_test_pairs

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"

# %%
# Each recording is z-normalised; 60 recordings train, 40 test. Every training recording appears in 10
# noisy copies (fresh noise of standard deviation 0.5 each time), every test recording once.
X, y, X_test, y_test = train_test_pairs(load_pickup_gestures(), n_copies=3 if SMALL else 10, random_state=0)

# %%
# The default trains a fully connected autoencoder and a residual convolutional U-Net and keeps the one
# that denoises the held-out recordings better. Noisy copies of one recording are held out together, so
# that this choice measures denoising of recordings the model has not seen.
model = DenoisingAutoencoder(max_epochs=8 if SMALL else "auto", random_state=0)
estimators = {
    "DenoisingAutoencoder()": model,
    "Savitzky-Golay (window chosen in fit)": SavitzkyGolayDenoiser(),
    "wavelet (sym8, BayesShrink)": WaveletDenoiser(threshold="bayes"),
    "PCA(16)": PCADenoiser(n_components=16),
}
rows = compare_denoisers(estimators, X, y, X_test, y_test)
print(format_table(rows))
print(f"architecture chosen: {model.architecture_}")
print("validation MSE:", {name: round(mse, 4) for name, mse in model.validation_mse_.items()})

# %%
# The U-Net follows the sharp peaks that smoothing filters round off, and leaves the flat stretches flat.
plot_denoising(X_test, y_test, {row["method"]: row["prediction"] for row in rows[:2]}, n_signals=2,
               title="Wii remote pick-up gestures, noise std 0.5")
