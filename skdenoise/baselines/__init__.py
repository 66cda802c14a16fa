"""Classical denoisers behind the same API as the autoencoder, so every method is scored the same way.

Each is a scikit-learn regressor and transformer: ``fit(noisy, clean)``, ``predict(noisy)`` (or
``transform``), ``score`` (R²), on 2-D ``(n_samples, n_timesteps)`` or 3-D ``(n_samples, n_channels,
n_timesteps)`` signals, with the same ``output`` step as :class:`~skdenoise.DenoisingAutoencoder` (``"auto"``
min-max scales the denoised signals when the training targets are min-max scaled). When the targets are not
signals of the inputs' shape (for instance scalar targets), a ridge regression on the denoised signals
predicts them. Those that learn nothing from clean signals (all but ``PCADenoiser(fit_on="clean")``) fit
without ``y``, and ``transform`` always denoises (whatever ``fit`` was given, class labels included), so that
they can be the step before a classifier; the wavelet, Savitzky-Golay, Wiener and identity filters, fitted
on 3-D signals or a list of recordings, denoise any length.

The template they share is :mod:`._template`; the filters are in :mod:`.filters` and :mod:`.wiener`, the
projections (the oracle, PCA) in :mod:`.projections`.
"""

from .filters import IdentityDenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from .wiener import WienerDenoiser
from .projections import PCADenoiser, ProjectionDenoiser

__all__ = ["IdentityDenoiser", "ProjectionDenoiser", "PCADenoiser", "SavitzkyGolayDenoiser",
           "WaveletDenoiser", "WienerDenoiser"]
