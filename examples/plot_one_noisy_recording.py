"""
One noisy recording and nothing else
====================================

The common case: a single long recording, noisy, and no clean version of it. ``objective="self-supervised"``
learns from the recording itself. It estimates the noise level, trains a network by recorruption (the
recording plus more noise of that kind as input, the recording minus it as target, which is clean training
in expectation), and judges that network, the wavelet filter, the Savitzky-Golay filter and the noisy
recording itself by Stein's unbiased risk estimate on held-out stretches: an estimate of each one's error
against the clean signal, without the clean signal. The least estimated error is kept.

Here the recording is the bundled Wii remote gestures joined end to end, with white noise at half their
standard deviation. The clean version is only used to score the result.
"""

import os

import matplotlib.pyplot as plt
import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import WaveletDenoiser
from skdenoise.metrics import snr_gain_db
from skdenoise.noise import add_noise
from skdenoise.preprocessing import zscore_signals
from skdenoise.recordings import load_pickup_gestures

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
gestures = zscore_signals(load_pickup_gestures().astype(np.float64))[: 8 if SMALL else 20]
clean = np.concatenate(list(gestures), axis=-1)[None]  # one recording: (1, 1, length)
noisy = add_noise(clean, "white", 0.5, random_state=0)

model = DenoisingAutoencoder(objective="self-supervised", window_length=256, random_state=0,
                             **(dict(max_epochs=5) if SMALL else {}))
model.fit(noisy)
denoised = model.predict(noisy)
wavelet = WaveletDenoiser(threshold="bayes").fit(noisy).transform(noisy)

print(f"recording of {noisy.shape[-1]} samples; noise std estimated {model.noise_std_[0]:.3f} (true 0.5)")
print(f"kept: {model.method_}")
identity = model.validation_mse_["identity"]
for name, mse in model.validation_mse_.items():
    print(f"  {name:16s} estimated MSE {mse:.4f} ({10 * np.log10(identity / mse):+.1f} dB)")
print(f"measured against the clean recording: {snr_gain_db(clean, noisy, denoised):+.1f} dB "
      f"(wavelet filter {snr_gain_db(clean, noisy, wavelet):+.1f} dB)")

# %%
# A stretch of the recording: noisy, denoised, clean.
shown = slice(1000, 1800)
fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(noisy[0, 0, shown], color="0.75", lw=0.8, label="noisy")
ax.plot(clean[0, 0, shown], color="k", lw=1.0, label="clean")
ax.plot(denoised[0, 0, shown], color="C0", lw=1.2, label=f"self-supervised ({model.method_})")
ax.legend(loc="upper right", fontsize=8)
ax.set_xlabel("sample")
fig.tight_layout()
plt.show()
