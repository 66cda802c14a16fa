"""
Pipelines and cross-validation
==============================

The estimator is an ordinary scikit-learn regressor: put a transformer in front of it, cross-validate it,
score it by R² or by SNR.
"""

import os

import numpy as np
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.metrics import snr_scorer

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
noisy, clean = CyclicSignalGenerator(samples_per_period=64, random_state=0).generate(600 if SMALL else 3000)

# %%
# A pipeline: clip outliers of the noisy input, then denoise.
pipeline = make_pipeline(FunctionTransformer(np.clip, kw_args={"a_min": 0.02, "a_max": 0.98}),
                         DenoisingAutoencoder(max_epochs=10 if SMALL else 40, random_state=0))

# %%
r2 = cross_val_score(pipeline, noisy, clean, cv=3)
snr = cross_val_score(pipeline, noisy, clean, cv=3, scoring=snr_scorer)
print("R2 per fold: ", np.round(r2, 4))
print("SNR (dB) per fold:", np.round(snr, 1))
