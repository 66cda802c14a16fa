"""
Recordings of unequal length: a list of arrays
==============================================

Real collections rarely share one length: gestures, heartbeats and sessions last as long as they last.
skdenoise takes them as aeon and sktime hold them, a list of ``(n_channels, length)`` arrays (1-D arrays
for one channel), and returns a list of the same shapes. Here the bundled Wii remote gestures
(:func:`~skdenoise.recordings.load_pickup_gestures`) are cut to random lengths, from a quarter of their
361 samples to all of them, noise is added, and the default model is trained and applied to the lists.
"""

import os

import matplotlib.pyplot as plt
import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import WaveletDenoiser
from skdenoise.preprocessing import zscore_signals
from skdenoise.recordings import load_pickup_gestures

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
rng = np.random.default_rng(0)

# %%
# Each gesture keeps its first n samples, n drawn between 25% and 100% of its length, and is
# z-normalised. 60 recordings train (in 10 noisy copies each, fresh noise of standard deviation 0.5),
# 40 test.
gestures = load_pickup_gestures()
lengths = rng.integers(91, 362, len(gestures))
recordings = [zscore_signals(g[None, :, :n])[0] for g, n in zip(gestures, lengths)]
order = rng.permutation(len(recordings))
train, test = [recordings[i] for i in order[:60]], [recordings[i] for i in order[60:]]
copies = 3 if SMALL else 10
y = [r for r in train for _ in range(copies)]
X = [r + rng.normal(0, 0.5, r.shape).astype(np.float32) for r in y]
X_test = [r + rng.normal(0, 0.5, r.shape).astype(np.float32) for r in test]
print(f"{len(X)} training recordings, {len(X_test)} test recordings, lengths {lengths.min()} to {lengths.max()}")

# %%
# ``fit`` draws windows across the recordings in proportion to their lengths and holds out whole
# recordings for validation; ``predict`` denoises each recording at its own length.
model = DenoisingAutoencoder(max_epochs=8 if SMALL else "auto", random_state=0).fit(X, y)
denoised = model.predict(X_test)
print(f"architecture {model.architecture_}, windows of {model.window_length_} samples")


def gain(outputs):
    """dB over returning the noisy recordings, squared errors pooled over all of them."""
    error = sum(np.sum((o - c) ** 2) for o, c in zip(outputs, test))
    return 10 * np.log10(sum(np.sum((x - c) ** 2) for x, c in zip(X_test, test)) / error)


wavelet = WaveletDenoiser(threshold="bayes").fit(X_test).transform(X_test)  # learns nothing, any length
print(f"SNR gain over the noisy input: DenoisingAutoencoder {gain(denoised):+.2f} dB, "
      f"wavelet (BayesShrink) {gain(wavelet):+.2f} dB")

# %%
# Three test recordings of different lengths: the noisy input, the clean recording and the denoised one.
shortest, longest = np.argsort([r.shape[-1] for r in test])[[0, -1]]
fig, axes = plt.subplots(3, 1, figsize=(8, 6), sharex=True)
for ax, index in zip(axes, [shortest, len(test) // 2, longest]):
    ax.plot(X_test[index][0], color="0.75", lw=0.8, label="noisy")
    ax.plot(test[index][0], color="k", lw=1.2, label="clean")
    ax.plot(denoised[index][0], color="tab:red", lw=1.2, label="denoised")
    ax.set_title(f"{test[index].shape[-1]} samples", fontsize=9)
axes[0].legend(loc="upper right", fontsize=8)
axes[-1].set_xlabel("sample")
fig.tight_layout()
plt.show()
