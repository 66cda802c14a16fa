"""
The noise you will meet
=======================

Training pairs are made by adding noise to clean recordings, and a model learns the noise it is shown. Real
noise is rarely white: :mod:`skdenoise.noise` makes white (iid gaussian), coloured (pink, 1/f; brown, 1/f²)
and impulsive noise (a gaussian core plus sparse spikes), each at a level or at levels drawn from a range.
This draws each kind on one gesture recording, with its spectrum: pink and brown noise put their power at
low frequencies, where the signal lives, and fool a filter that assumes white noise; spikes are rare and
large.
"""

import matplotlib.pyplot as plt
import numpy as np

from skdenoise.noise import add_noise
from skdenoise.preprocessing import zscore_signals
from skdenoise.recordings import load_pickup_gestures

clean = zscore_signals(load_pickup_gestures()[:1, 0].astype(np.float64))
kinds = {"white": 0.5, "pink": 0.5, "brown": 0.5, "spikes": 0.1}

fig, axes = plt.subplots(len(kinds), 2, figsize=(9, 8), gridspec_kw={"width_ratios": [3, 1]})
for (kind, level), (trace, spectrum) in zip(kinds.items(), axes):
    noisy = add_noise(clean, kind, noise_std=level, random_state=0)
    trace.plot(noisy[0], lw=0.8, label=f"{kind} noise, level {level}")
    trace.plot(clean[0], lw=1.2, color="k", label="clean")
    trace.legend(loc="upper right", fontsize=8)
    many = add_noise(np.zeros((500, clean.shape[-1])), kind, noise_std=level, random_state=1)
    power = np.mean(np.abs(np.fft.rfft(many, axis=-1)) ** 2, axis=0)
    spectrum.loglog(np.fft.rfftfreq(clean.shape[-1])[1:], power[1:], lw=0.8)
    spectrum.set_title("power spectrum", fontsize=8)
axes[-1, 0].set_xlabel("time step")
axes[-1, 1].set_xlabel("frequency (cycles per step)")
fig.tight_layout()
plt.show()

# %%
# Levels you do not know in advance
# ---------------------------------
# ``noise_std=(low, high)`` draws one level per copy, log-uniformly: a model trained on such pairs meets
# every level in the range. :func:`skdenoise.recordings.make_noisy_pairs` takes the same ``noise`` and
# ``noise_std``.
from skdenoise.recordings import make_noisy_pairs

noisy, targets = make_noisy_pairs(clean, n_copies=1000, noise="pink", noise_std=(0.2, 1.0), random_state=0)
levels = (noisy - targets).std(axis=-1)
print(f"noise levels of 1000 copies: {levels.min():.2f} to {levels.max():.2f}, median {np.median(levels):.2f}")
