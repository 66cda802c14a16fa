"""
Baselines in the same API
=========================

Every classical alternative is a scikit-learn regressor with the same output step, so one loop compares
them all on the seed task.
"""

import os

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.evaluation import compare_denoisers, format_table
from skdenoise.plotting import plot_denoising

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
n_train = 1_000 if SMALL else 10_000
generator = CyclicSignalGenerator(random_state=0)
noisy, clean = generator.generate(n_train + 500)
X, y, X_test, y_test = noisy[:n_train], clean[:n_train], noisy[n_train:], clean[n_train:]

estimators = {
    "oracle projection": ProjectionDenoiser.from_generator(generator),
    "PCA(4)": PCADenoiser(),
    "Savitzky-Golay": SavitzkyGolayDenoiser(),
    "wavelet (sym8)": WaveletDenoiser(),
    "identity": IdentityDenoiser(),
    "DenoisingAutoencoder": DenoisingAutoencoder(max_epochs=15 if SMALL else 60, random_state=0),
}
rows = compare_denoisers(estimators, X, y, X_test, y_test, reference="oracle projection")
print(format_table(rows))

# %%
plot_denoising(X_test, y_test, {row["method"]: row["prediction"] for row in rows[1:4]}, n_signals=1,
               x=generator.x_axis)
