"""
A task without a small basis: square, sawtooth and triangle waves
=================================================================

With random phase and frequency no fixed low-dimensional basis describes the signals, so PCA and
projections fail; the convolutional autoencoder learns the shapes instead.
"""

import os

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder, Wave
from skdenoise.baselines import PCADenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.evaluation import compare_denoisers, format_table
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
waves = [Wave("square", frequency=(1, 3), phase="random"), Wave("sawtooth", frequency=(1, 3), phase="random"),
         Wave("triangle", frequency=(1, 3), phase="random")]
generator = CyclicSignalGenerator(waves, samples_per_period=128, random_state=0)
noisy, clean = generator.generate(1_000 if SMALL else 10_000)
X, y, X_test, y_test = noisy[:-500], clean[:-500], noisy[-500:], clean[-500:]

estimators = {
    "PCA(4)": PCADenoiser(),
    "Savitzky-Golay": SavitzkyGolayDenoiser(),
    "wavelet (sym8, BayesShrink)": WaveletDenoiser(threshold="bayes"),
    "DenoisingAutoencoder(conv)": DenoisingAutoencoder(architecture="conv", max_epochs=5 if SMALL else 40,
                                                       random_state=0),
}
rows = compare_denoisers(estimators, X, y, X_test, y_test)
print(format_table(rows))

# %%
plot_denoising(X_test, y_test, {row["method"]: row["prediction"] for row in rows[2:]}, n_signals=2,
               x=generator.x_axis)
