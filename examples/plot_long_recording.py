"""
A long recording: train on windows, denoise the whole
=====================================================

A single recording of hundreds of thousands of samples is not a data set of signals, and cutting windows
by hand and stitching predictions back is tedious. With ``window_length``, ``fit`` takes the recordings
as they are and draws fresh random windows every epoch (validating on the last stretch of each, which
training never sees); ``predict`` takes a recording of any length and returns it denoised, in one call.
Numpy memmaps work too: only the windows of each batch are read.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from scipy.ndimage import gaussian_filter1d

from skdenoise import DenoisingAutoencoder
from skdenoise.metrics import snr_gain_db

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
length = 40_000 if SMALL else 200_000


def recording(length, seed):
    """A drift, a tone whose frequency wanders, on/off steps and spikes: every stretch is different."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    drift = gaussian_filter1d(np.cumsum(rng.normal(size=length)), 300)
    tone = np.sin(np.cumsum(2 * np.pi / (40 + 20 * np.sin(2 * np.pi * t / 5000))))
    steps = 1.5 * (np.cumsum(rng.random(length) < 1 / 2000) % 2)
    spikes = gaussian_filter1d((rng.random(length) < 1 / 500) * rng.choice([-8.0, 8.0], length), 2)
    signal = drift / drift.std() + tone + steps + spikes
    return ((signal - signal.mean()) / signal.std()).astype(np.float32)


# %%
# Two recordings to train on, a third to denoise: arrays of shape (recordings, channels, samples).
clean = np.stack([recording(length, seed) for seed in range(3)])[:, None]
noisy = clean + np.random.default_rng(0).normal(0, 0.5, clean.shape).astype(np.float32)

model = DenoisingAutoencoder(window_length=256, max_epochs=3 if SMALL else "auto", random_state=0)
model.fit(noisy[:2], clean[:2])
print(f"architecture: {model.architecture_}, epochs: {model.n_iter_}")

# %%
# The whole third recording in one call; the network runs over it in chunks, so memory stays bounded.
denoised = model.predict(noisy[2:])
print(f"denoised {denoised.shape[-1]:,} samples: SNR gain {snr_gain_db(clean[2:], noisy[2:], denoised):.1f} dB")

# %%
# A stretch of it.
stretch = slice(10_000, 11_500)
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(noisy[2, 0, stretch], color="0.75", lw=0.8, label="noisy")
ax.plot(clean[2, 0, stretch], color="k", lw=1.2, label="clean")
ax.plot(denoised[0, 0, stretch], color="C3", lw=1.2, label="denoised")
ax.set_xlabel("sample (from 10,000)")
ax.legend(loc="upper right")
fig.tight_layout()
