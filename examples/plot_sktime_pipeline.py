"""
Denoise series in sktime
========================

sktime adapts a plain scikit-learn transformer as a table with time as rows, so each time point would be a
sample. :class:`~skdenoise.sktime.SktimeDenoiser` is a native sktime transformer instead: Series in, Series
out, with the time index and variable names kept, fitted across all the series it sees. It composes with
sktime's ``*``. Needs ``pip install "skdenoise[sktime]"``.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sktime.classification.distance_based import KNeighborsTimeSeriesClassifier
from sktime.datasets import load_basic_motions
from sktime.dists_kernels import LuckyDtwDist

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import WaveletDenoiser
from skdenoise.sktime import SktimeDenoiser

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
rng = np.random.default_rng(0)

# %%
# One multivariate series, a pandas DataFrame with time as rows: the denoised one has the same index and
# columns.
t = pd.date_range("2026-01-01", periods=600, freq="s")
clean = pd.DataFrame({"x": np.sin(np.arange(600) / 30), "y": np.sign(np.sin(np.arange(600) / 70))}, index=t)
noisy = clean + rng.normal(0, 0.4, clean.shape)
denoised = SktimeDenoiser(WaveletDenoiser()).fit_transform(noisy)
print(denoised.head(3))

fig, axes = plt.subplots(2, 1, figsize=(8, 4), sharex=True)
for ax, column in zip(axes, clean.columns):
    ax.plot(noisy[column], color="0.75", lw=0.8, label="noisy")
    ax.plot(clean[column], color="k", lw=1.2, label="clean")
    ax.plot(denoised[column], color="tab:red", lw=1.2, label="denoised")
    ax.set_ylabel(column)
axes[0].legend(loc="upper right", fontsize=8)
fig.tight_layout()

# %%
# A Panel of unequal lengths, here sktime's bundled BasicMotions cut to random lengths with white noise as
# strong as each channel, as a list of DataFrames, classified by nearest neighbours under dynamic time
# warping with and without the self-supervised autoencoder first. One draw decides little with 40 test
# series; ``benchmarks/bench_pipelines.py`` compares them over five draws at three noise levels.
X_train, y_train = load_basic_motions(split="train", return_type="numpy3D")
X_test, y_test = load_basic_motions(split="test", return_type="numpy3D")


def cut_and_noisy(X):
    std = X.std(axis=(0, 2))[None]
    return [pd.DataFrame(x[:, :n].T + rng.normal(0, 1.0, (n, x.shape[0])) * std)
            for x, n in zip(X, rng.integers(50, 101, len(X)))]


X_train, X_test = cut_and_noisy(X_train), cut_and_noisy(X_test)
autoencoder = DenoisingAutoencoder(objective="self-supervised", max_epochs=3 if SMALL else "auto", random_state=0)
classifier = KNeighborsTimeSeriesClassifier(distance=LuckyDtwDist())
without = classifier.clone().fit(X_train, y_train).score(X_test, y_test)
pipeline = SktimeDenoiser(autoencoder) * classifier
with_denoiser = pipeline.fit(X_train, y_train).score(X_test, y_test)
print(f"accuracy without denoising {without:.3f}, with the autoencoder first {with_denoiser:.3f}")
plt.show()
