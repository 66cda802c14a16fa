"""
Grid search over ``z_dim`` and ``lr``
=====================================

Hyper-parameters are plain top-level names, so scikit-learn's search needs no prefixes. Scoring by
SNR gain (:func:`skdenoise.metrics.snr_gain_scorer`) instead of R² is one argument.
"""

import os

from sklearn.model_selection import GridSearchCV

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.metrics import snr_gain_scorer

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
noisy, clean = CyclicSignalGenerator(samples_per_period=64, random_state=0).generate(600 if SMALL else 3000)

search = GridSearchCV(
    DenoisingAutoencoder(max_epochs=10 if SMALL else 40, random_state=0),
    {"z_dim": [16, 64], "lr": [1e-3, 3e-3]}, cv=3, scoring=snr_gain_scorer)
search.fit(noisy, clean)
print("best:", search.best_params_, f"SNR gain {search.best_score_:.1f} dB")
for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
    print(params, f"{score:.1f} dB")
